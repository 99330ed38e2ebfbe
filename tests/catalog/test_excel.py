"""The catalogue's Excel round trip: lossless, all or nothing, per-cell report, never crashes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from heltid.catalog.excel import (
    SHEET_SPECS,
    CatalogueImportReport,
    export_catalogue,
    import_catalogue,
)
from heltid.catalog.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    CapacityChange,
    Intervention,
    InterventionStatus,
    OccupancyCount,
    Step,
)
from heltid.catalog.selectors import interventions
from tests.catalog.factories import (
    ActorFactory,
    AgreementFactory,
    InterventionFactory,
    default_step,
    since,
)
from tests.clock import suite_today
from tests.examples import rolled_back

YEAR = since().year  # the factories' capacity starts on 1 January of it
ON = date(YEAR, 3, 2)


def run(data: bytes, name: str = "katalog.xlsx", **kwargs: Any) -> CatalogueImportReport:
    return import_catalogue(data=data, filename=name, acting_user=None, today=ON, **kwargs)


def cells(data: bytes, *, computed: bool = True) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values, optionally without the computed columns."""
    workbook = load_workbook(io.BytesIO(data))
    result = {}
    for sheet in workbook.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if not computed and rows:
            keep = [i for i, h in enumerate(rows[0]) if not str(h).endswith("_beraknat")]
            rows = [[r[i] for i in keep] for r in rows]
        result[sheet.title] = rows
    return result


def edit(data: bytes, sheet: str, row: int, key: str, value: Any) -> bytes:
    """The workbook with one cell (by header key) changed."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook[sheet]
    headers = [c.value for c in ws[1]]
    cell = ws.cell(row=row, column=headers.index(key) + 1)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def remove_catalogue() -> None:
    Intervention.objects.all().delete()
    Agreement.objects.all().delete()
    Actor.objects.all().delete()
    Step.objects.all().delete()


@dataclass
class Rich:
    full: Intervention
    need: Intervention


def rich_catalogue(staff: Any) -> Rich:
    """Every field set somewhere, and None/empty somewhere else."""
    extra = Step.objects.create(
        code="efter-arbete",
        name="Uppföljning",
        description="Stöd efter anställning.\nAndra raden.",
        position=9,
        active=False,
    )
    full_actor = ActorFactory(
        code="amc",
        name="Arbetsmarknadscenter",
        kind=ActorKind.MUNICIPAL,
        rank=1,
        rank_note="Driver de flesta platserna",
        affects="Erbjuder arbetsträning",
        affected="Fler deltagare",
        conflicts="Lokalbrist",
        contact_name="Karin Ek",
        contact_email="karin.ek@example.se",
        contact_phone="010-123 45 67",
        unit=staff.provider.unit,
    )
    bare_actor = ActorFactory(
        code="af", name="Arbetsförmedlingen", kind=ActorKind.EMPLOYMENT_SERVICE, rank=2
    )
    agreement = AgreementFactory(
        code="amc-uppdrag-2026",
        actor=full_actor,
        kind=AgreementKind.INTERNAL,
        title="Uppdrag 2026",
        valid_from=date(YEAR, 1, 1),
        valid_to=date(YEAR, 12, 31),
        note="Förlängs årsvis",
    )
    AgreementFactory(
        code="af-hangavtal", actor=bare_actor, kind=AgreementKind.ATTACHED, title="Hängavtal"
    )
    full = InterventionFactory(
        code="arbetstraning-verkstad",
        name="Arbetsträning i verkstaden",
        description="=inte en formel, – ”citat” och åäö",
        provider=full_actor,
        agreement=agreement,
        step=default_step("arbetsinriktad-rehabilitering"),
        activity_type="workplace",
        track="municipal",
        target_groups="unemployment,ill_health",
        min_activity_hours=Decimal("10.5"),
        swedish_requirement="moderate",
        age_min=18,
        age_max=64,
        criteria_text="Ska kunna ta sig till verkstaden.\nKörkort är ett plus.",
        hours_per_week=Decimal("20.5"),
        cost_per_place_month=7500,
        language_support=True,
        language_support_note="arabiska, somaliska",
        location="Industrigatan 4",
        start_date=date(YEAR - 1, 9, 1),
        end_date=date(YEAR + 1, 6, 30),
        places=12,
        occupied=5,
        waiting=2,
    )
    InterventionFactory(
        code="sysselsattning-cafe",
        name="Café",
        step=default_step("sysselsattning"),
        provider=bare_actor,
        status=InterventionStatus.PAUSED,
        places=4,
        occupied=4,
        waiting=3,
    )
    InterventionFactory(
        code="uppfoljning",
        name="Uppföljning på jobbet",
        step=extra,
        provider=bare_actor,
        status=InterventionStatus.ENDED,
        places=1,
    )
    need = Intervention.objects.create(
        code="behov-samhallsstod",
        name="Fler platser med samhällsstöd",
        provider=full_actor,
        step=default_step("arbete-med-samhallsstod"),
        activity_type="workplace",
        track="employer",
        status=InterventionStatus.NEEDED,
    )  # a recorded need: no capacity change at all
    InterventionFactory(
        code="behov-sprak",
        name="Språkpraktik",
        step=default_step("arbete-studier"),
        provider=bare_actor,
        status=InterventionStatus.NEEDED,
        places=0,
    )
    return Rich(full=full, need=need)


def test_export__sheets_headers_and_real_dates(staff: Any) -> None:
    rich_catalogue(staff)
    workbook = load_workbook(io.BytesIO(export_catalogue(on=ON)))
    assert workbook.sheetnames == ["Steg", "Aktörer", "Avtal", "Insatser", "Koder"]
    sheet = workbook["Insatser"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["kod", "namn", "beskrivning"]
    assert headers[-4:] == ["platser", "upptagna_beraknat", "lediga_beraknat", "i_ko_beraknat"]
    row = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "arbetstraning-verkstad"
    )
    values = dict(zip(headers, row, strict=True))
    assert values["startdatum"] == datetime(YEAR - 1, 9, 1)
    assert values["aktivitetstyp"] == "workplace"
    assert values["sprakstod"] == "ja"
    assert (
        values["platser"],
        values["upptagna_beraknat"],
        values["lediga_beraknat"],
        values["i_ko_beraknat"],
    ) == (12, 5, 7, 2)
    assert values["beskrivning"].startswith("=inte")  # text, not a formula
    assert sheet.cell(
        row=1, column=headers.index("lediga_beraknat") + 1
    ).fill.start_color.rgb.endswith("D9D9D9")
    codes = {(r[1], r[2]) for r in workbook["Koder"].iter_rows(min_row=2, values_only=True)}
    assert ("aktivitetstyp", "workplace") in codes
    assert ("status", "needed") in codes


def test_round_trip__into_an_emptied_database__lossless(staff: Any) -> None:
    rich_catalogue(staff)
    first = export_catalogue(on=ON)
    remove_catalogue()
    assert Intervention.objects.count() == 0

    report = run(first)

    assert report.imported, report.as_json()
    assert report.created == {"Steg": 5, "Aktörer": 2, "Avtal": 2, "Insatser": 5}
    second = export_catalogue(on=ON)
    assert cells(second, computed=False) == cells(first, computed=False)
    item = Intervention.objects.get(code="arbetstraning-verkstad")
    assert (item.min_activity_hours, item.hours_per_week) == (Decimal("10.5"), Decimal("20.5"))
    assert item.provider.unit == staff.provider.unit


def test_round_trip__same_database__changes_nothing(staff: Any) -> None:
    rich = rich_catalogue(staff)
    first = export_catalogue(on=ON)
    changes, log_entries = CapacityChange.objects.count(), LogEntry.objects.count()
    stamp = Intervention.objects.get(pk=rich.full.pk).updated_at

    report = run(first)

    assert report.imported, report.as_json()
    assert report.created == report.updated == {"Steg": 0, "Aktörer": 0, "Avtal": 0, "Insatser": 0}
    assert report.unchanged == {"Steg": 5, "Aktörer": 2, "Avtal": 2, "Insatser": 5}
    assert report.capacity_changes == 0
    assert CapacityChange.objects.count() == changes
    assert LogEntry.objects.count() == log_entries
    assert Intervention.objects.get(pk=rich.full.pk).updated_at == stamp
    assert not CapacityChange.objects.filter(intervention=rich.need).exists()
    assert cells(export_catalogue(on=ON)) == cells(first)


def test_import__changed_row__updates_by_code_and_dates_the_places(staff: Any) -> None:
    rich = rich_catalogue(staff)
    data = export_catalogue(on=ON)
    row = 2 + [r[0] for r in cells(data)["Insatser"][1:]].index(rich.full.code)
    data = edit(data, "Insatser", row, "namn", "Arbetsträning, ny")
    data = edit(data, "Insatser", row, "platser", 15)

    report = run(data)

    assert report.imported, report.as_json()
    assert report.updated["Insatser"] == 1 and report.capacity_changes == 1
    item = interventions(on=ON).get(pk=rich.full.pk)
    assert (item.name, item.places, item.occupied) == ("Arbetsträning, ny", 15, 5)  # type: ignore[attr-defined]
    assert interventions(on=date(YEAR, 3, 1)).get(pk=rich.full.pk).places == 12  # type: ignore[attr-defined]
    assert CapacityChange.objects.get(intervention=rich.full, valid_from=ON).places == 15


def test_import__emptied_cells_and_reordered_steps__update(staff: Any) -> None:
    rich = rich_catalogue(staff)
    data = export_catalogue(on=ON)
    row = 2 + [r[0] for r in cells(data)["Insatser"][1:]].index(rich.full.code)
    data = edit(data, "Insatser", row, "avtal", None)
    data = edit(data, "Insatser", row, "alder_max", None)
    data = edit(data, "Insatser", row, "malgrupper", "social, unemployment")
    steps = [r[0] for r in cells(data)["Steg"][1:]]
    data = edit(data, "Steg", 2 + steps.index("arbete-studier"), "position", 0)
    data = edit(
        data, "Aktörer", 2 + [r[0] for r in cells(data)["Aktörer"][1:]].index("amc"), "enhet", None
    )

    report = run(data)

    assert report.imported, report.as_json()
    assert (report.updated["Insatser"], report.updated["Steg"], report.updated["Aktörer"]) == (
        1,
        1,
        1,
    )
    item = Intervention.objects.get(pk=rich.full.pk)
    assert (item.agreement, item.age_max, item.age_min) == (None, None, 18)
    assert item.target_groups == "social,unemployment"
    assert Step.objects.filter(active=True).order_by("position")[0].code == "arbete-studier"
    assert Actor.objects.get(code="amc").unit is None


def new_rows_workbook(
    *, intervention_rows: int = 1, start_row: dict[str, Any] | None = None
) -> bytes:
    """A workbook (headers from an export of the default steps) that creates an actor, an
    agreement and interventions referring to them."""
    workbook = load_workbook(io.BytesIO(export_catalogue(on=ON)))
    workbook["Aktörer"].append(
        ["ny-aktor", "Ny aktör", "business", 2, None, None, None, None, None, None, None, None]
    )
    workbook["Avtal"].append(
        ["ny-iop", "ny-aktor", "iop", "IOP 2026", datetime(YEAR, 1, 1), None, None]
    )
    headers = [c.value for c in workbook["Insatser"][1]]
    for n in range(intervention_rows):
        values = {
            "kod": f"ny-insats-{n}",
            "namn": f"Ny insats {n}",
            "utforare": "ny-aktor",
            "avtal": "ny-iop",
            "steg": "sysselsattning",
            "aktivitetstyp": "health",
            "spar": "civil_society",
            "svenska": "large",
            "timmar_per_vecka": 10,
            "kostnad_per_plats_manad": 1000,
            "sprakstod": "nej",
            "status": "active",
            "platser": 3,
            **(start_row or {}),
        }
        workbook["Insatser"].append([values.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import__references_inside_the_same_file__resolve(staff: Any) -> None:
    report = run(new_rows_workbook(intervention_rows=3))
    assert report.imported, report.as_json()
    assert report.created == {"Steg": 0, "Aktörer": 1, "Avtal": 1, "Insatser": 3}
    item = interventions(on=ON).get(code="ny-insats-2")
    assert (item.provider.code, item.agreement.code, item.places) == ("ny-aktor", "ny-iop", 3)  # type: ignore[union-attr, attr-defined]


def test_import__one_bad_row_among_many__imports_nothing_and_names_it(staff: Any) -> None:
    data = new_rows_workbook(intervention_rows=300)
    data = edit(data, "Insatser", 201, "alder_min", "tjugo")
    report = run(data)
    assert not report.imported
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Insatser", 201, "alder_min")]
    assert "tjugo" in report.errors[0].message
    assert Intervention.objects.count() == 0
    assert not CapacityChange.objects.exists()
    assert LogEntry.objects.count() == 0


def test_import__dry_run__counts_but_writes_nothing(staff: Any) -> None:
    report = run(new_rows_workbook(intervention_rows=4), dry_run=True)
    assert report.valid and not report.imported
    assert report.created["Insatser"] == 4
    assert Intervention.objects.count() == 0
    assert LogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("key", "value", "column"),
    [
        ("utforare", "okand-aktor", "utforare"),
        ("avtal", "okant-avtal", "avtal"),
        ("steg", "okant-steg", "steg"),
        ("kod", "inte en kod", "kod"),
        ("namn", None, "namn"),
        ("platser", "många", "platser"),
        ("platser", -1, "platser"),
        ("kostnad_per_plats_manad", 12.5, "kostnad_per_plats_manad"),
        ("timmar_per_vecka", 41, "timmar_per_vecka"),
        ("timmar_per_vecka", "10,25", "timmar_per_vecka"),
        ("min_aktivitet_timmar", "mycket", "min_aktivitet_timmar"),
        ("startdatum", "2026-02-30", "startdatum"),
        ("startdatum", "igår", "startdatum"),
        ("startdatum", 45000, "startdatum"),
        ("aktivitetstyp", "dans", "aktivitetstyp"),
        ("malgrupper", "unemployment,alla", "malgrupper"),
        ("status", "kanske", "status"),
        ("sprakstod", "kanske", "sprakstod"),
        ("alder_min", 130, "alder_min"),
        ("namn", "x" * 201, "namn"),
    ],
)
def test_import__bad_cell__reported_with_sheet_row_and_column(
    staff: Any, key: str, value: Any, column: str
) -> None:
    data = edit(new_rows_workbook(intervention_rows=3), "Insatser", 3, key, value)
    report = run(data)
    assert not report.imported
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Insatser", 3, column)]
    assert report.errors[0].message
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"alder_min": 30, "alder_max": 20}, "alder_max"),
        ({"startdatum": datetime(YEAR, 5, 1), "slutdatum": datetime(YEAR, 4, 1)}, "slutdatum"),
    ],
    ids=["ages", "dates"],
)
def test_import__values_out_of_order__reported(
    staff: Any, changes: dict[str, Any], column: str
) -> None:
    report = run(new_rows_workbook(start_row=changes))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Insatser", 2, column)]
    assert Intervention.objects.count() == 0


def test_import__bad_rows_on_other_sheets__reported(staff: Any) -> None:
    data = new_rows_workbook()
    data = edit(data, "Avtal", 2, "giltigt_till", datetime(YEAR - 1, 1, 1))
    data = edit(data, "Aktörer", 2, "rang", 3)
    data = edit(data, "Aktörer", 2, "enhet", "okand-enhet")
    data = edit(data, "Steg", 2, "position", "först")
    report = run(data)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("Steg", 2, "position"),
        ("Aktörer", 2, "rang"),
        ("Aktörer", 2, "enhet"),
        ("Avtal", 2, "giltigt_till"),
    ]


def test_import__duplicate_code__reported_on_the_second_row(staff: Any) -> None:
    data = edit(new_rows_workbook(intervention_rows=3), "Insatser", 4, "kod", "ny-insats-0")
    report = run(data)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Insatser", 4, "kod")]
    assert "2" in report.errors[0].message


def test_import__computed_columns__ignored(staff: Any) -> None:
    rich = rich_catalogue(staff)
    data = export_catalogue(on=ON)
    row = 2 + [r[0] for r in cells(data)["Insatser"][1:]].index(rich.full.code)
    data = edit(data, "Insatser", row, "lediga_beraknat", "massor")
    report = run(data)
    assert report.imported and report.updated["Insatser"] == 0
    assert OccupancyCount.objects.get(intervention=rich.full).occupied == 5


def xlsx_without(sheet: str | None = None, column: str | None = None) -> bytes:
    workbook = load_workbook(io.BytesIO(export_catalogue(on=ON)))
    if sheet is not None and column is None:
        del workbook[sheet]
    if sheet is not None and column is not None:
        ws = workbook[sheet]
        ws.delete_cols([c.value for c in ws[1]].index(column) + 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def a_zip_that_is_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hej.txt", "hej")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: b"", "katalog.xlsx"),
        (lambda: b"kod;namn\nx;y\n", "katalog.xlsx"),
        (lambda: b"kod;namn\nx;y\n", "katalog.csv"),
        (a_zip_that_is_not_xlsx, "katalog.xlsx"),
        (lambda: xlsx_without("Avtal"), "katalog.xlsx"),
        (lambda: xlsx_without("Insatser", "platser"), "katalog.xlsx"),
    ],
    ids=["empty", "csv-renamed", "csv", "zip", "missing-sheet", "missing-column"],
)
def test_import__unusable_file__file_error(staff: Any, make: Any, name: str) -> None:
    report = run(make(), name)
    assert not report.imported
    assert report.file_error
    assert report.as_json()["file_error"] == report.file_error


def test_import__missing_column__named(staff: Any) -> None:
    report = run(xlsx_without("Insatser", "platser"))
    assert "platser" in report.file_error and "Insatser" in report.file_error


def test_import__file_over_the_limit__refused(staff: Any, settings: Any) -> None:
    data = export_catalogue(on=ON)
    settings.HELTID_IMPORT_MAX_BYTES = len(data) - 1
    report = run(data)
    assert report.file_error and not report.imported


def test_import__a_foreign_workbook__file_error_not_exception(staff: Any) -> None:
    workbook = Workbook()
    workbook.active.append(["kod", "namn"])
    out = io.BytesIO()
    workbook.save(out)
    report = run(out.getvalue())
    assert "Steg" in report.file_error


def test_import__report_as_json(staff: Any) -> None:
    data = edit(new_rows_workbook(), "Insatser", 2, "platser", "x")
    out = run(data).as_json()
    assert out["imported"] is False
    assert out["errors"] == [
        {"sheet": "Insatser", "row": 2, "column": "platser", "message": out["errors"][0]["message"]}
    ]
    assert set(out) >= {"created", "updated", "unchanged", "capacity_changes", "file_error"}


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), prefix=st.sampled_from([b"", b"PK\x03\x04"]))
def test_import__random_bytes__never_crash(db: None, data: bytes, prefix: bytes) -> None:
    with rolled_back():
        report = run(prefix + data)
        assert not report.imported and report.file_error


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=25)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2300, 1, 1)),
    st.sampled_from(["sysselsattning", "ja", "workplace", "large", "active", "2026-01-01"]),
)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    spec=st.sampled_from(SHEET_SPECS),
    count=st.integers(min_value=1, max_value=4),
)
def test_import__garbage_cells__never_crash_and_never_half_write(
    staff: Any, data: st.DataObject, spec: Any, count: int
) -> None:
    with rolled_back():
        row = st.fixed_dictionaries({c.key: CELL for c in spec.columns})
        rows = data.draw(st.lists(row, min_size=count, max_size=count))
        workbook = load_workbook(io.BytesIO(export_catalogue(on=ON)))
        sheet = workbook[spec.name]
        headers = [c.value for c in sheet[1]]
        for values in rows:
            sheet.append([values.get(h) for h in headers])
        out = io.BytesIO()
        workbook.save(out)
        before = (spec.model.objects.count(), LogEntry.objects.count())
        report = run(out.getvalue())
        if report.imported:
            assert spec.model.objects.count() <= before[0] + count
        else:
            assert (spec.model.objects.count(), LogEntry.objects.count()) == before
            assert report.errors or report.file_error


# The page


def upload(client: Client, data: bytes, name: str = "katalog.xlsx", **extra: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/insatser/import/", {"file": SimpleUploadedFile(name, data), **extra})


def test_import_page__admin__imports_and_shows_the_report(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    assert client.get("/insatser/import/").status_code == 200
    response = upload(client, new_rows_workbook(intervention_rows=2))
    assert response.status_code == 200
    assert Intervention.objects.filter(code__startswith="ny-insats").count() == 2
    body = response.content.decode()
    assert "<table" in body and 'scope="col"' in body


def test_import_page__dry_run__writes_nothing(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    response = upload(client, new_rows_workbook(), dry_run="on")
    assert response.status_code == 200
    assert Intervention.objects.count() == 0


def test_import_page__bad_row__table_with_sheet_row_column(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    response = upload(client, edit(new_rows_workbook(), "Insatser", 2, "steg", "okant-steg"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "okant-steg" in body and "Insatser" in body
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"kod;namn\n", "katalog.csv"), (b"garbage", "katalog.xlsx")],
    ids=["wrong-type", "garbage"],
)
def test_import_page__unusable_file__field_error(
    staff: Any, client: Client, data: bytes, name: str
) -> None:
    client.force_login(staff.admin)
    response = upload(client, data, name)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in body
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize("role", ["provider", "case_manager", "officer", "analyst"])
def test_import_page__not_admin__403(staff: Any, client: Client, role: str) -> None:
    client.force_login(getattr(staff, role))
    assert client.get("/insatser/import/").status_code == 403
    assert upload(client, new_rows_workbook()).status_code == 403
    assert Intervention.objects.count() == 0


def test_export__case_manager__downloads_a_workbook(staff: Any, client: Client) -> None:
    InterventionFactory(code="en-insats")
    client.force_login(staff.case_manager)
    response = client.get("/insatser/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "insatskatalog-" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert [r[0] for r in workbook["Insatser"].iter_rows(min_row=2, values_only=True)] == [
        "en-insats"
    ]


def test_export__anonymous__redirected_to_login(db: None, client: Client) -> None:
    response = client.get("/insatser/export/")
    assert response.status_code == 302


def test_round_trip__demo_catalogue__lossless(db: None) -> None:
    from heltid.demo.catalogue import build_catalogue

    day = suite_today()
    build_catalogue(today=day)
    first = export_catalogue(on=day)
    changes, log_entries = CapacityChange.objects.count(), LogEntry.objects.count()

    again = import_catalogue(data=first, filename="demo.xlsx", acting_user=None, today=day)
    assert again.imported, again.as_json()
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert (CapacityChange.objects.count(), LogEntry.objects.count()) == (changes, log_entries)

    remove_catalogue()
    report = import_catalogue(data=first, filename="demo.xlsx", acting_user=None, today=day)
    assert report.imported, report.as_json()
    assert report.created["Aktörer"] == 17
    assert report.created["Insatser"] == Intervention.objects.count() > 30
    assert cells(export_catalogue(on=day), computed=False) == cells(first, computed=False)
