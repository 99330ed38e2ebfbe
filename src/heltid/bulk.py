"""Set-based writes and reads for imports: rows as plain tuples, never model instances.

Django's ``bulk_create`` compiles SQL for every value of every row, and a model instance costs
more than the row it holds; at 100,000 rows both dominate an import. Here:

- :func:`insert_rows` inserts model instances with one prepared INSERT and executemany (each
  value through its field's ``get_db_prep_save``, so stored exactly as Django would store it);
- :func:`insert_tuples` inserts rows given as tuples of some columns, the other columns taking
  their defaults: PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3), SQLite's executemany;
- :func:`update_tuples` updates rows by primary key: on PostgreSQL the tuples are copied into a
  temporary table and applied with one ``UPDATE … FROM``; on SQLite with executemany;
- :func:`select_in` reads the rows whose key is in a list: one query on PostgreSQL
  (``= ANY(array)``), lists of a few thousand on SQLite;
- :func:`reserve_ids` hands out primary keys before rows are inserted, so that related rows can
  be written without reading the keys back.

Values in tuples are what the driver takes: ``str``, ``int``, ``bool``, ``None``, ``date``,
``Decimal``; datetimes and JSON go through their field's conversion here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import DateField, Field, Model

BATCH = 5000
KEYS_PER_QUERY = 5000  # SQLite: host parameters in one IN list (its limit is 32,766)

_temp_tables = itertools.count(1)


def _needs_pre_save(field: Field) -> bool:  # type: ignore[type-arg]
    """Only auto_now/auto_now_add dates compute their value when saved."""
    return isinstance(field, DateField) and bool(field.auto_now or field.auto_now_add)


# Values of these exact types are stored as they are by text, integer and boolean columns
# (and foreign keys to integer keys): the field's conversion is skipped for them, and used for
# anything else (an enum member, a lazy string, a date).
_AS_IS = {
    "CharField": str,
    "TextField": str,
    "BooleanField": bool,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
}

# Columns whose values both drivers store as given in a tuple (dates and decimals included:
# psycopg adapts them, and Django registers SQLite's adapters for them).
_DRIVER_TYPES = {
    *_AS_IS,
    "AutoField",
    "BigAutoField",
    "ForeignKey",
    "DateField",
    "DecimalField",
}


def _as_is_type(field: Field) -> type | None:  # type: ignore[type-arg]
    internal = field.get_internal_type()
    if internal == "ForeignKey":
        target = field.target_field  # type: ignore[attr-defined]
        return int if target.get_internal_type() in ("AutoField", "BigAutoField") else None
    return _AS_IS.get(internal)


def _connection() -> Any:
    return connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy


def is_postgresql() -> bool:
    return bool(_connection().vendor == "postgresql")


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the connection."""
    return str(_connection().ops.quote_name(model._meta.db_table))


def as_stored(column: str) -> str:
    """A date column in a select list, read without Django's converter: SQLite gives its ISO
    text (converted by the caller, once per distinct date), PostgreSQL a date."""
    return column if is_postgresql() else f"CAST({column} AS TEXT)"


def _quoted(names: Iterable[str]) -> list[str]:
    quote = _connection().ops.quote_name
    return [quote(name) for name in names]


def _fields(model: type[Model], attnames: Sequence[str]) -> list[Field]:  # type: ignore[type-arg]
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    return [by_name[name] for name in attnames]


def insert_rows(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert unsaved instances (their primary keys are not read back): ``COPY`` on
    PostgreSQL, executemany of one prepared INSERT on SQLite."""
    if not objects:
        return
    connection = _connection()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    target = table(model)
    columns = ", ".join(_quoted(str(f.column) for f in fields))
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {target} ({columns}) VALUES ({placeholders})"
    plan = [(f, f.attname, _needs_pre_save(f), _as_is_type(f)) for f in fields]

    def value(obj: Model, field: Field, attname: str, pre: bool, kind: type | None) -> Any:  # type: ignore[type-arg]
        raw = field.pre_save(obj, True) if pre else getattr(obj, attname)
        if raw is None or (kind is not None and type(raw) is kind):
            return raw
        return field.get_db_prep_save(raw, connection)

    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                for obj in objects:
                    copy.write_row([value(obj, *step) for step in plan])
            return
        for start in range(0, len(objects), BATCH):
            rows = [[value(obj, *step) for step in plan] for obj in objects[start : start + BATCH]]
            cursor.executemany(sql, rows)


def _converter(
    fields: Sequence[Field],  # type: ignore[type-arg]
) -> Any:
    """A function making a tuple's values storable, or None when they are as they are.

    On SQLite a date is stored as its ISO text; the few distinct dates of an import are each
    converted once here, not once per value by the driver's adapter."""
    connection = _connection()
    prepared = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() not in _DRIVER_TYPES
    ]
    dates = (
        []
        if is_postgresql()
        else [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
    )
    if not prepared and not dates:
        return None
    iso: dict[Any, str] = {}

    def convert(row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(row)
        for index, field in prepared:
            if values[index] is not None:
                values[index] = field.get_db_prep_save(values[index], connection)
        for index in dates:
            day = values[index]
            if day is not None:
                text = iso.get(day)
                if text is None:
                    text = iso[day] = day.isoformat()
                values[index] = text
        return tuple(values)

    return convert


@contextmanager
def large_writes(cache_mb: int = 32) -> Iterator[None]:
    """Around a transaction's many writes: on SQLite a larger page cache for the connection
    (indexes in random order, such as names, then stay in memory), restored afterwards."""
    connection = _connection()
    if is_postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _defaults(model: type[Model], given: Sequence[str]) -> tuple[list[Field], tuple[Any, ...]]:  # type: ignore[type-arg]
    """The concrete fields not given (the primary key left out), and their stored defaults."""
    from django.utils import timezone

    connection = _connection()
    rest = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
    values = []
    for field in rest:
        if _needs_pre_save(field):
            default: Any = timezone.now()
            if field.get_internal_type() == "DateField":
                default = timezone.localdate()
        else:
            default = field.get_default()
        values.append(None if default is None else field.get_db_prep_save(default, connection))
    return rest, tuple(values)


def insert_tuples(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows``, each a tuple of the values of ``columns`` (attnames, the primary key
    among them when it is given); every other column takes its field's default (auto_now: now).
    Returns how many rows were inserted."""
    connection = _connection()
    given = _fields(model, columns)
    rest, defaults = _defaults(model, columns)  # stored values already
    fields = given + rest
    names = ", ".join(_quoted(str(f.column) for f in fields))
    convert = _converter(given)
    target = table(model)
    count = 0
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*(convert(row) if convert else row), *defaults))
                    count += 1
            return count
        sql = f"INSERT INTO {target} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        iterator = iter(rows)
        while batch := [
            (*(convert(row) if convert else row), *defaults)
            for row in itertools.islice(iterator, BATCH)
        ]:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def update_tuples(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Set ``columns`` (attnames) of the rows whose primary key is each tuple's first value to
    the tuple's other values. Returns how many tuples were given."""
    rows = list(rows)
    if not rows:
        return 0
    connection = _connection()
    pk = model._meta.pk
    assert pk is not None
    fields = [pk, *_fields(model, columns)]
    convert = _converter(fields)
    if convert:
        rows = [convert(row) for row in rows]
    target = table(model)
    key, *names = _quoted(str(f.column) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if is_postgresql():
            temp = connection.ops.quote_name(f"heltid_bulk_update_{next(_temp_tables)}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} AS SELECT {key}, {', '.join(names)} "
                f"FROM {target} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {temp} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {temp}")
            assignments = ", ".join(f"{name} = s.{name}" for name in names)
            cursor.execute(
                f"UPDATE {target} AS t SET {assignments} FROM {temp} AS s WHERE t.{key} = s.{key}"
            )
            cursor.execute(f"DROP TABLE {temp}")
        else:
            assignments = ", ".join(f"{name} = %s" for name in names)
            sql = f"UPDATE {target} SET {assignments} WHERE {key} = %s"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, [(*row[1:], row[0]) for row in rows[start : start + BATCH]])
    return len(rows)


def delete_in(model: type[Model], column: str, keys: Sequence[Any]) -> None:
    """Delete the rows whose ``column`` (an attname) is one of ``keys``."""
    if not keys:
        return
    name = _quoted([str(_fields(model, [column])[0].column)])[0]
    sql = f"DELETE FROM {table(model)} WHERE {name} {{in}}"
    with _connection().cursor() as cursor:
        for statement, params in _in_lists(sql, keys):
            cursor.execute(statement, params)


def select_in(sql: str, keys: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` where ``{in}`` stands for membership of ``keys`` (after a column;
    ``params`` are the parameters before it): ``SELECT id FROM t WHERE key {in}``."""
    found: list[tuple[Any, ...]] = []
    if not keys:
        return found
    with _connection().cursor() as cursor:
        for statement, values in _in_lists(sql, keys, params):
            cursor.execute(statement, values)
            found += cursor.fetchall()
    return found


def _in_lists(
    sql: str, keys: Sequence[Any], params: Sequence[Any] = ()
) -> Iterator[tuple[str, list[Any]]]:
    if is_postgresql():
        yield sql.replace("{in}", "= ANY(%s)"), [*params, list(keys)]
        return
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        yield sql.replace("{in}", f"IN ({', '.join(['%s'] * len(chunk))})"), [*params, *chunk]


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted with them (in the transaction that
    inserts them). PostgreSQL: from the key's sequence. SQLite: after the largest key used,
    which is safe because a writing transaction holds the database's write lock."""
    if count <= 0:
        return []
    connection = _connection()
    name = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(name), pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({_quoted([str(pk.column)])[0]}) FROM {table(model)}), 0))",
            [name],
        )
        last = int(cursor.fetchone()[0])
    return list(range(last + 1, last + count + 1))
