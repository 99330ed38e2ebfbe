"""Set-based writes: ids reserved from the sequences, COPY on PostgreSQL, executemany on
SQLite."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from benchmarks.city.data import COPY_BATCH

# --- writing rows ---------------------------------------------------------------------------


class Writer:
    """Set-based writes into the default database: ids reserved from a table's sequence, rows
    written with COPY on PostgreSQL and executemany on SQLite. Every column the table requires
    must be given (checked before anything is written)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.counts: Counter[str] = Counter()

    def reserve(self, model: Any, n: int) -> int:
        """The first of ``n`` consecutive free ids of ``model``'s table."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT last_value, is_called FROM " + sequence)
                last, called = cursor.fetchone()
                first = max(highest, last if called else last - 1) + 1
                cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, first + max(n, 1) - 1])
                return int(first)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return int(max(highest, row[0] if row else 0)) + 1

    def _check(self, model: Any, columns: Sequence[str]) -> None:
        names = {f.attname for f in model._meta.concrete_fields}
        unknown = set(columns) - names
        missing = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and not f.null and f.attname not in columns
        ]
        if unknown or missing:
            raise ValueError(f"{model.__name__}: unknown {unknown}, missing {missing}")

    def write(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        self._check(model, columns)
        ops = self.connection.ops
        table = ops.quote_name(model._meta.db_table)
        names = ", ".join(ops.quote_name(c) for c in columns)
        written = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                iterator = iter(rows)
                while batch := [
                    [self._sqlite(v) for v in row] for row in islice(iterator, COPY_BATCH)
                ]:
                    cursor.executemany(sql, batch)
                    written += len(batch)
        self.counts[model.__name__] += written
        return written

    def _sqlite(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value
