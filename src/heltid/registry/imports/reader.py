"""Turn an uploaded .csv or .xlsx file into header-keyed rows of text."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

MAX_ROWS = 500_000


class FileError(ValueError):
    """The file as a whole cannot be read; the message is Swedish and shown to the user."""


@dataclass(frozen=True)
class Table:
    headers: list[str]  # lower-cased, stripped
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by header)


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(data)
    raise FileError("Filen måste vara en .csv- eller .xlsx-fil.")


def _table(raw_rows: list[list[str]]) -> Table:
    if not raw_rows:
        raise FileError("Filen är tom.")
    headers = [h.strip().lower().lstrip("\ufeff") for h in raw_rows[0]]
    if len(raw_rows) - 1 > MAX_ROWS:
        raise FileError(f"Filen har fler än {MAX_ROWS} rader. Dela upp den.")
    rows: list[tuple[int, dict[str, str]]] = []
    for index, raw in enumerate(raw_rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are not rows
        values = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(headers) if h}
        if len(raw) > len(headers) and any(c.strip() for c in raw[len(headers) :]):
            values["\x00extra"] = "1"
        rows.append((index, values))
    return Table(headers=headers, rows=rows)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            "Filen är inte i teckenkodningen UTF-8. Spara den som "
            "”CSV UTF-8” i Excel och försök igen."
        ) from exc
    if "\x00" in text:
        raise FileError("Filen innehåller otillåtna tecken (NUL) och kan inte läsas som CSV.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        raw_rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileError(f"Filen kan inte läsas som CSV: {exc}.") from exc
    return _table(raw_rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise FileError("Filen kan inte läsas som en Excel-fil (.xlsx).") from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise FileError("Filen kan inte läsas som en Excel-fil (.xlsx).") from exc
    try:
        sheet = workbook.worksheets[0]
        raw_rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:
        raise FileError("Excel-filens första blad kan inte läsas.") from exc
    finally:
        workbook.close()
    return _table(raw_rows)
