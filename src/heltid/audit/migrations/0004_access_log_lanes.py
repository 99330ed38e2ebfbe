"""The access log in lanes, bulk operations with their persons, and seals (decision 0021).

The entries written so far stay as they are: they become lane 0 (``seq`` is their number in
it) and the old one-row chain head becomes lane 0's head; new entries go to lanes 1..16. The
new tables are append-only in the database like the log itself, and a lane head only moves
forward. On SQLite, changing the log's table rebuilds it, which drops its triggers: they are
made again at the end."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

LANES = 16
GENESIS = "0" * 64

# the tables whose rows are never changed or removed (the lane heads only move forward)
APPEND_ONLY_TABLES = (
    "audit_accesslog",
    "audit_accesslogperson",
    "audit_seal",
    "audit_sealhead",
)
GUARDED_TABLES = (*APPEND_ONLY_TABLES, "audit_lanehead")

_REFUSE = "SELECT RAISE(ABORT, 'the access log is append-only')"
SQLITE = [
    f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} BEGIN {_REFUSE}; END"
    for table in APPEND_ONLY_TABLES
    for verb in ("update", "delete")
] + [
    """CREATE TRIGGER audit_lanehead_forward BEFORE UPDATE ON audit_lanehead
       WHEN NEW.lane <> OLD.lane OR NEW.number <= OLD.number
       BEGIN SELECT RAISE(ABORT, 'a lane head only moves forward'); END""",
    """CREATE TRIGGER audit_lanehead_no_delete BEFORE DELETE ON audit_lanehead
       BEGIN SELECT RAISE(ABORT, 'a lane head only moves forward'); END""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_no_{verb}"
    for table in APPEND_ONLY_TABLES
    for verb in ("update", "delete")
] + [
    "DROP TRIGGER IF EXISTS audit_lanehead_forward",
    "DROP TRIGGER IF EXISTS audit_lanehead_no_delete",
]

# audit_accesslog_append_only() and the log's own triggers come from migration 0002
POSTGRES = [
    statement
    for table in APPEND_ONLY_TABLES[1:]
    for statement in (
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_append_only()""",
    )
] + [
    """CREATE FUNCTION audit_lanehead_forward() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' OR NEW.lane <> OLD.lane OR NEW.number <= OLD.number THEN
           RAISE EXCEPTION 'a lane head only moves forward';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER audit_lanehead_forward BEFORE UPDATE OR DELETE ON audit_lanehead
       FOR EACH ROW EXECUTE FUNCTION audit_lanehead_forward()""",
    """CREATE TRIGGER audit_lanehead_no_truncate BEFORE TRUNCATE ON audit_lanehead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_append_only()""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table}"
    for table in APPEND_ONLY_TABLES[1:]
    for kind in ("no_change", "no_truncate")
] + [
    "DROP TRIGGER IF EXISTS audit_lanehead_forward ON audit_lanehead",
    "DROP TRIGGER IF EXISTS audit_lanehead_no_truncate ON audit_lanehead",
    "DROP FUNCTION IF EXISTS audit_lanehead_forward()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def create_lanes(apps: Any, schema_editor: Any) -> None:
    """Lane 0 takes over the old chain head; lanes 1..16 start empty."""
    LaneHead = apps.get_model("audit", "LaneHead")
    heads = [LaneHead(lane=lane) for lane in range(1, LANES + 1)]
    try:
        ChainHead = apps.get_model("audit", "ChainHead")
    except LookupError:  # after this migration (the test suite loads the lanes again)
        ChainHead = None
    old = ChainHead.objects.filter(singleton=1).first() if ChainHead is not None else None
    if old is not None and old.seq:
        heads.append(LaneHead(lane=0, number=old.seq, hash=old.hash))
    LaneHead.objects.bulk_create(heads, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_access_log_denied_action"),
        ("registry", "0001_persons_households_support"),
    ]

    operations = [
        # SQLite rebuilds the table below, dropping its triggers: made again at the end
        migrations.RunPython(_run({"sqlite": SQLITE_REVERSE}), _run({"sqlite": SQLITE[:2]})),
        migrations.RemoveIndex(model_name="accesslog", name="accesslog_person_idx"),
        migrations.RemoveIndex(model_name="accesslog", name="accesslog_user_idx"),
        migrations.RenameField(model_name="accesslog", old_name="seq", new_name="number"),
        migrations.AlterField(
            model_name="accesslog",
            name="number",
            field=models.BigIntegerField(verbose_name="number in the lane"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="lane",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="lane"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslog",
            name="persons",
            field=models.PositiveIntegerField(default=0, verbose_name="persons named"),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("search", "Searched"),
                    ("create", "Created"),
                    ("change", "Changed"),
                    ("import", "Imported"),
                    ("export", "Exported"),
                    ("denied", "Refused"),
                    ("several", "Several actions"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.AlterModelOptions(
            name="accesslog",
            options={
                "ordering": ["-id"],
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log",
            },
        ),
        migrations.AddConstraint(
            model_name="accesslog",
            constraint=models.UniqueConstraint(
                fields=("lane", "number"), name="accesslog_lane_number"
            ),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["person", "-id"], name="accesslog_person_id_idx"),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["user", "-id"], name="accesslog_user_id_idx"),
        ),
        migrations.CreateModel(
            name="AccessLogPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("view", "Viewed"),
                            ("search", "Searched"),
                            ("create", "Created"),
                            ("change", "Changed"),
                            ("import", "Imported"),
                            ("export", "Exported"),
                            ("denied", "Refused"),
                            ("several", "Several actions"),
                        ],
                        max_length=10,
                        verbose_name="action",
                    ),
                ),
                ("detail", models.JSONField(blank=True, default=dict, verbose_name="detail")),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="named",
                        to="audit.accesslog",
                        verbose_name="entry",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "person in an access log entry",
                "verbose_name_plural": "persons in access log entries",
                "indexes": [
                    models.Index(fields=["person", "-entry"], name="accesslogperson_person_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entry", "position"), name="accesslogperson_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LaneHead",
            fields=[
                ("lane", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("number", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default=GENESIS, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="Seal",
            fields=[
                (
                    "number",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="number"
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="time")),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "access log seal",
                "verbose_name_plural": "access log seals",
                "ordering": ["-number"],
            },
        ),
        migrations.CreateModel(
            name="SealHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("lane", models.PositiveSmallIntegerField()),
                ("number", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                (
                    "seal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="heads",
                        to="audit.seal",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["lane", "number"], name="sealhead_lane_number_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("seal", "lane"), name="sealhead_lane")
                ],
            },
        ),
        migrations.RunPython(create_lanes, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChainHead"),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
