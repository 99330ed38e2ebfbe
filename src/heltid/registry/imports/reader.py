"""Turn an uploaded .csv or .xlsx file into header-keyed rows of text, with hard limits.

An upload is read as a stream and never trusted: the size a sheet declares, the sizes in the
zip directory and the number of rows are checked before anything is allocated for them, and
reading stops at the first limit exceeded, with a plain-Swedish :class:`FileError` that names
the limit (decision record 0016). The .xlsx reader here is our own streaming one (expat over the
zipped sheet XML, one row in memory at a time); openpyxl's read-only mode pads rows and sheets to
the declared ``<dimension>`` and is not used for uploads. The catalogue import reads its
workbooks with :func:`open_xlsx` too.

The limits are the module constants below; each can be overridden by a setting of the same
name with the prefix ``HELTID_IMPORT_`` (``HELTID_IMPORT_MAX_ROWS`` …), read when a file is read.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import struct
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from xml.parsers import expat

MAX_ROWS = 500_000  # data rows, the header not counted
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_LINE_CHARS = 1_000_000  # one physical line of a CSV file
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx unpacked, all its parts together
MAX_RATIO = 100  # how many times larger than packed one part may become unpacked ...
RATIO_FROM_BYTES = 1024 * 1024  # ... when it unpacks to more than this
MAX_PART_BYTES = 10 * 1024 * 1024  # workbook.xml, its relations and styles.xml, unpacked
MAX_ZIP_ENTRIES = 1_000
MAX_SHARED_STRINGS = 2_000_000
MAX_SECONDS = 20.0
MAX_FILE_BYTES = 50 * 1024 * 1024  # the upload itself; settings.HELTID_IMPORT_MAX_BYTES wins

_CHUNK = 64 * 1024
_CHECK_EVERY_ROWS = 1_000


class FileError(ValueError):
    """The file as a whole cannot be read; the message is Swedish and shown to the user."""


@dataclass(frozen=True)
class Limits:
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_line_chars: int = MAX_LINE_CHARS
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_ratio: int = MAX_RATIO
    max_part_bytes: int = MAX_PART_BYTES
    max_zip_entries: int = MAX_ZIP_ENTRIES
    max_shared_strings: int = MAX_SHARED_STRINGS
    max_seconds: float = MAX_SECONDS
    max_file_bytes: int = MAX_FILE_BYTES


def limits(**overrides: Any) -> Limits:
    """The limits in force: the module constants, the settings over them, ``overrides`` last."""
    values: dict[str, Any] = {
        "max_rows": MAX_ROWS,
        "max_columns": MAX_COLUMNS,
        "max_cell_chars": MAX_CELL_CHARS,
        "max_line_chars": MAX_LINE_CHARS,
        "max_unpacked_bytes": MAX_UNPACKED_BYTES,
        "max_ratio": MAX_RATIO,
        "max_part_bytes": MAX_PART_BYTES,
        "max_zip_entries": MAX_ZIP_ENTRIES,
        "max_shared_strings": MAX_SHARED_STRINGS,
        "max_seconds": MAX_SECONDS,
        "max_file_bytes": MAX_FILE_BYTES,
    }
    try:
        from django.conf import settings

        if settings.configured:
            values["max_file_bytes"] = getattr(settings, "HELTID_IMPORT_MAX_BYTES", MAX_FILE_BYTES)
            for key in values:
                values[key] = getattr(settings, f"HELTID_IMPORT_{key.upper()}", values[key])
    except ImportError:  # pragma: no cover - Django is always there in Heltid
        pass
    return replace(Limits(**values), **overrides)


def _n(number: float) -> str:
    """A number the Swedish way: 500 000."""
    return f"{number:,.0f}".replace(",", " ")


def _too_many_rows(limit: Limits) -> FileError:
    return FileError(f"Filen har fler än {_n(limit.max_rows)} rader. Dela upp den.")


def _too_many_columns(limit: Limits) -> FileError:
    return FileError(
        f"Filen har fler än {_n(limit.max_columns)} kolumner. "
        "Ta bort de kolumner som inte behövs och försök igen."
    )


def _cell_too_large(limit: Limits, row: int) -> FileError:
    return FileError(
        f"En cell på rad {_n(row)} har fler än {_n(limit.max_cell_chars)} tecken. "
        "Så långa värden kan inte läsas."
    )


def _too_slow(limit: Limits) -> FileError:
    return FileError(
        f"Det tog mer än {_n(limit.max_seconds)} sekunder att läsa filen. "
        "Dela upp den i mindre filer."
    )


def _now() -> float:
    return time.monotonic()


class _Clock:
    """The time spent reading. A streamed file's clock is paused while its reader waits for the
    caller to take the next row, so the limit is on reading, not on what the caller does."""

    def __init__(self, limit: Limits) -> None:
        self.limit = limit
        self.spent = 0.0
        self.since = _now()

    def pause(self) -> None:
        self.spent += _now() - self.since

    def resume(self) -> None:
        self.since = _now()

    def check(self) -> None:
        if self.spent + _now() - self.since > self.limit.max_seconds:
            raise _too_slow(self.limit)


@dataclass(frozen=True)
class Table:
    headers: list[str]  # lower-cased, stripped
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by header)


def read_table(data: bytes, filename: str) -> Table:
    """The whole file as header-keyed rows (small files: the catalogue, tests)."""
    limit = limits()
    rows, _clock = _raw_rows(data, filename, limit)
    builder = _TableBuilder(limit)
    for number, raw in rows:
        builder.add(number, raw)
    return builder.table()


@dataclass
class TableStream:
    """A file read one row at a time: the header at once, then :attr:`rows`, each as
    (row number as the user sees it, values by header), blank rows left out.

    Reading a row may raise :class:`FileError` (a limit met half-way through the file); the
    reading time limit counts only the time spent reading, not the caller's work between rows.
    """

    headers: list[str]  # lower-cased, stripped
    rows: Iterator[tuple[int, dict[str, str]]]


def stream_table(data: bytes, filename: str) -> TableStream:
    """Open a .csv or .xlsx file for reading row by row, with the limits of :func:`read_table`.

    Only the current row is held besides the file itself, so the memory the reading needs does
    not grow with the file."""
    limit = limits()
    raw, clock = _raw_rows(data, filename, limit)
    first = next(raw, None)
    if first is None:
        raise FileError("Filen är tom.")
    headers = _header(first[1])
    return TableStream(headers=headers, rows=_stream_rows(raw, headers, limit, clock))


def _stream_rows(
    raw: Iterator[tuple[int, list[str]]], headers: list[str], limit: Limits, clock: _Clock
) -> Iterator[tuple[int, dict[str, str]]]:
    count = 0
    width = len(headers) if all(headers) else -1  # the rows whose cells map one to one
    for number, raw_cells in raw:
        cells = list(map(str.strip, raw_cells))
        if not any(cells):
            continue  # blank lines are not rows
        count += 1
        if count > limit.max_rows:
            raise _too_many_rows(limit)
        values = (
            dict(zip(headers, cells, strict=True))
            if len(cells) == width
            else _values(headers, cells)
        )
        clock.pause()
        yield number, values
        clock.resume()


def _raw_rows(
    data: bytes, filename: str, limit: Limits
) -> tuple[Iterator[tuple[int, list[str]]], _Clock]:
    """Every row of the file as read, the header first; the clock its reading runs on."""
    if len(data) > limit.max_file_bytes:
        raise FileError(f"Filen är för stor: högst {_n(limit.max_file_bytes / 1024 / 1024)} MB.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        book = open_xlsx(data, limit=limit)
        return _xlsx_rows(book), book.clock
    if name.endswith(".csv") or name.endswith(".txt"):
        clock = _Clock(limit)
        return _csv_rows(data, limit, clock), clock
    raise FileError("Filen måste vara en .csv- eller .xlsx-fil.")


def _header(raw: list[str]) -> list[str]:
    return [h.strip().lower().lstrip("\ufeff") for h in raw]


def _values(headers: list[str], cells: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A row's cells by header; cells beyond the header, when not empty, mark the row."""
    values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}
    if len(cells) > len(headers) and any(cells[len(headers) :]):
        values["\x00extra"] = "1"
    return values


_SEPARATOR = "\x1f"  # cannot occur in XML text; a CSV row holding it is kept as a tuple


class _TableBuilder:
    """Header-keyed rows from raw rows given one at a time (the first is the header).

    While the file is read, a row is kept packed as one string (a few dozen bytes over its
    text), so that a file refused at the row limit has cost about its text and no more; the
    rows become dictionaries only once the whole file has been read within the limits.
    """

    def __init__(self, limit: Limits) -> None:
        self.limit = limit
        self.headers: list[str] | None = None
        self.packed: list[tuple[int, str | tuple[str, ...]]] = []

    def add(self, number: int, raw: list[str]) -> None:
        if self.headers is None:
            self.headers = _header(raw)
            return
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            return  # blank lines are not rows
        if len(self.packed) >= self.limit.max_rows:
            raise _too_many_rows(self.limit)
        if any(_SEPARATOR in cell for cell in cells):
            self.packed.append((number, tuple(cells)))
        else:
            self.packed.append((number, _SEPARATOR.join(cells)))

    def table(self) -> Table:
        if self.headers is None:
            raise FileError("Filen är tom.")
        headers = self.headers
        rows: list[tuple[int, dict[str, str]]] = []
        packed, self.packed = self.packed, []
        for index, (number, row) in enumerate(packed):
            packed[index] = (0, "")  # freed as we go
            cells = row.split(_SEPARATOR) if isinstance(row, str) else row
            rows.append((number, _values(headers, cells)))
        return Table(headers=headers, rows=rows)


# --------------------------------------------------------------------------------------------
# CSV


def _csv_rows(data: bytes, limit: Limits, clock: _Clock) -> Iterator[tuple[int, list[str]]]:
    end = data.find(b"\n", 0, limit.max_line_chars * 4 + 1)
    first_line = data[: end if end >= 0 else limit.max_line_chars * 4]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(_lines(stream, limit), delimiter=delimiter)
    number = 0
    try:
        for raw in reader:
            number = reader.line_num
            if len(raw) > limit.max_columns:
                raise _too_many_columns(limit)
            if max(map(len, raw), default=0) > limit.max_cell_chars:
                raise _cell_too_large(limit, number)
            if number % _CHECK_EVERY_ROWS == 0:
                clock.check()
            yield number, raw
    except UnicodeDecodeError as exc:
        raise FileError(
            "Filen är inte i teckenkodningen UTF-8. Spara den som "
            "”CSV UTF-8” i Excel och försök igen."
        ) from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_too_large(limit, reader.line_num) from exc
        raise FileError(
            f"Filen kan inte läsas som CSV: fel på rad {_n(reader.line_num)} "
            "(kontrollera citattecknen)."
        ) from exc


def _lines(stream: io.TextIOWrapper, limit: Limits) -> Iterator[str]:
    """The file's lines, none longer than the limit (checked before it is read whole)."""
    number = 0
    while True:
        line = stream.readline(limit.max_line_chars + 1)
        if not line:
            return
        number += 1
        if len(line.rstrip("\r\n")) > limit.max_line_chars:
            raise FileError(
                f"Rad {_n(number)} i filen är längre än {_n(limit.max_line_chars)} tecken "
                "och kan inte läsas."
            )
        if "\x00" in line:
            raise FileError("Filen innehåller otillåtna tecken (NUL) och kan inte läsas som CSV.")
        yield line


# --------------------------------------------------------------------------------------------
# .xlsx

_UNREADABLE = "Filen kan inte läsas som en Excel-fil (.xlsx)."
_SHEET_UNREADABLE = "Excel-filens första blad kan inte läsas."
_REL_SHARED_STRINGS = "/sharedStrings"
_REL_STYLES = "/styles"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


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


def _xlsx_rows(book: XlsxBook) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as text, the header first (an empty one when row 1 is empty)."""
    try:
        if not book.sheet_names:
            raise FileError(_SHEET_UNREADABLE)
        first = True
        for number, values in book.rows(book.sheet_names[0]):
            if first and number != 1:
                yield 1, []  # the header row is empty
            first = False
            yield number, [v if type(v) is str else _cell_text(v) for v in values]
    finally:
        book.close()


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _cell_position(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref)
    if not match:
        return None
    return int(match[2]), _column_number(match[1])


_COLUMNS: dict[str, int] = {}  # column letters -> number, for the letters seen in good refs


def _column_of(ref: str) -> int | None:
    """The column number of a cell reference (A1, $B$7), or None when it is not one."""
    letters = ref.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is not None and 0 < len(ref) - len(letters) <= 7:
        return column  # letters already checked, then 1 to 7 digits: as the pattern says
    position = _cell_position(ref)
    if position is None:
        return None
    if "$" not in ref and len(_COLUMNS) < 20_000:
        _COLUMNS[letters] = position[1]
    return position[1]


_LOCAL_NAMES: dict[str, str] = {}


def _local(name: str) -> str:
    """The element's name without its namespace (remembered for the few names .xlsx uses)."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rsplit("}", 1)[-1]
        if len(_LOCAL_NAMES) < 200:
            _LOCAL_NAMES[name] = local
    return local


def _check_zip_directory(data: bytes, limit: Limits) -> None:
    """The number of parts from the zip's end record, before ``zipfile`` reads its directory."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise FileError(_UNREADABLE)
    (entries,) = struct.unpack("<H", data[end + 10 : end + 12])
    if entries > limit.max_zip_entries:
        raise FileError(
            f"Filen består av fler än {_n(limit.max_zip_entries)} delar och är inte en vanlig "
            "Excel-fil. Spara den på nytt i Excel."
        )


def _check_package(entries: list[zipfile.ZipInfo], limit: Limits) -> None:
    """No zip bomb: every part's unpacked size and packing ratio, before anything is unpacked."""
    total = 0
    for entry in entries:
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > limit.max_ratio * max(
            entry.compress_size, 1
        ):
            raise FileError(
                f"En del av filen blir mer än {_n(limit.max_ratio)} gånger större när den packas "
                "upp. Så packas inga vanliga Excel-filer, och filen läses inte. "
                "Spara den på nytt i Excel."
            )
        total += entry.file_size
        if total > limit.max_unpacked_bytes:
            raise _unpacked_too_large(limit)


def _unpacked_too_large(limit: Limits) -> FileError:
    return FileError(
        "Filen blir för stor när den packas upp: mer än "
        f"{_n(limit.max_unpacked_bytes / 1024 / 1024)} MB. Dela upp den."
    )


class XlsxBook:
    """An opened, checked .xlsx upload: its sheet names and a stream of each sheet's rows."""

    _epoch: datetime  # the workbook's calendar (1900 or 1904)

    def __init__(self, package: zipfile.ZipFile, limit: Limits) -> None:
        self._package = package
        self._limit = limit
        self._clock = _Clock(limit)
        self._unpacked = 0
        self._names = {entry.filename: entry for entry in package.infolist()}
        self._sheets: list[tuple[str, str]] = []  # (name, part)
        self._read_workbook()
        self._shared: list[str] = []
        self._date_styles: set[int] = set()
        self._timedelta_styles: set[int] = set()
        self._read_shared_strings()
        self._read_styles()

    @property
    def sheet_names(self) -> list[str]:
        return [name for name, _part in self._sheets]

    @property
    def clock(self) -> _Clock:
        return self._clock

    def close(self) -> None:
        self._package.close()

    # -- parts

    def _stream(self, part: str, handler: _Handler, cap: int) -> None:
        """Feed one part through expat in chunks, counting what is unpacked; any problem but
        a limit (a :class:`FileError`) makes the file unreadable."""
        entry = self._names.get(part)
        if entry is None:
            raise FileError(_UNREADABLE)
        parser = _parser(handler)
        read = 0
        try:
            with self._package.open(entry) as stream:
                while chunk := stream.read(_CHUNK):
                    read += len(chunk)
                    self._unpacked += len(chunk)
                    if read > cap or self._unpacked > self._limit.max_unpacked_bytes:
                        raise _unpacked_too_large(self._limit)
                    parser.Parse(chunk, False)
                    self._clock.check()
            parser.Parse(b"", True)
        except FileError:
            raise
        except Exception as exc:  # expat errors, bad numbers, a damaged zip ...
            raise FileError(_UNREADABLE) from exc

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relations: id -> (type, target part)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self._names:
            return {}
        handler = _Relations(folder, self._limit)
        self._stream(rels, handler, self._limit.max_part_bytes)
        return handler.found

    def _read_workbook(self) -> None:
        workbook = "xl/workbook.xml"
        if "[Content_Types].xml" not in self._names or workbook not in self._names:
            raise FileError(_UNREADABLE)
        handler = _Workbook(self._limit)
        self._stream(workbook, handler, self._limit.max_part_bytes)
        self._epoch = handler.epoch
        self._relations_of_workbook = self._relations(workbook)
        for name, rid in handler.sheets:
            kind, part = self._relations_of_workbook.get(rid, ("", ""))
            if part in self._names and kind.endswith("/worksheet"):
                self._sheets.append((name, part))

    def _related(self, suffix: str, default: str) -> str | None:
        for kind, part in self._relations_of_workbook.values():
            if kind.endswith(suffix) and part in self._names:
                return part
        return default if default in self._names else None

    def _read_shared_strings(self) -> None:
        part = self._related(_REL_SHARED_STRINGS, "xl/sharedStrings.xml")
        if part is not None:
            handler = _SharedStrings(self._shared, self._limit)
            self._stream(part, handler, self._limit.max_unpacked_bytes)

    def _read_styles(self) -> None:
        part = self._related(_REL_STYLES, "xl/styles.xml")
        if part is None:
            return
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        handler = _Styles()
        self._stream(part, handler, self._limit.max_part_bytes)
        for index, format_id in enumerate(handler.styles):
            code = handler.formats.get(format_id) or BUILTIN_FORMATS.get(format_id, "")
            if code and is_date_format(code):
                self._date_styles.add(index)
                if is_timedelta_format(code):
                    self._timedelta_styles.add(index)

    # -- a sheet's rows

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The sheet's rows that hold a value, in order: (row number, values from column A).

        Cells without a value take no room; a row number, a column or a cell beyond the limits
        ends the reading with a :class:`FileError`, as does a declared dimension beyond them.
        """
        part = dict(self._sheets).get(sheet_name)
        if part is None:
            raise FileError(_SHEET_UNREADABLE)
        sheet = _SheetReader(self, sheet_name)
        try:
            for chunk_rows in self._sheet_chunks(part, sheet):
                yield from chunk_rows
        except FileError:
            raise
        except Exception as exc:
            raise FileError(_SHEET_UNREADABLE) from exc

    def _sheet_chunks(self, part: str, sheet: _SheetReader) -> Iterator[list[tuple[int, Any]]]:
        entry = self._names[part]
        parser = _parser(sheet)
        with self._package.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                self._unpacked += len(chunk)
                if self._unpacked > self._limit.max_unpacked_bytes:
                    raise _unpacked_too_large(self._limit)
                parser.Parse(chunk, False)
                self._clock.check()
                if sheet.done:
                    yield sheet.take()
            parser.Parse(b"", True)
        yield sheet.take()

    # -- values

    def cell_value(self, kind: str, style: int, text: str) -> Any:
        """The value openpyxl's read-only, data-only mode gives for a cell."""
        if kind == "s":
            return self._shared[int(text)]
        if kind in ("inlineStr", "str", "e"):
            return text
        if not text:
            return None
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        number: int | float = (
            float(text) if "." in text or "e" in text or "E" in text else int(text)
        )
        if style in self._date_styles:
            try:
                return from_excel(number, self._epoch, timedelta=style in self._timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number


def _refuse_doctype(*_args: Any) -> None:
    raise FileError(_UNREADABLE)


def _refuse_entity(*_args: Any) -> None:
    raise FileError(_UNREADABLE)


class _Handler:
    """expat handlers for one part; the defaults do nothing."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def _parser(handler: _Handler) -> Any:
    """An expat parser without DTDs or entities (no part of an .xlsx has them)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    return parser


class _Relations(_Handler):
    def __init__(self, folder: str, limit: Limits) -> None:
        self.folder = folder
        self.limit = limit
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and len(self.found) < self.limit.max_zip_entries:
            target = attrs.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(self.folder, target))
            )
            self.found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)


class _Workbook(_Handler):
    def __init__(self, limit: Limits) -> None:
        from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

        self.limit = limit
        self.epoch: datetime = CALENDAR_WINDOWS_1900
        self.sheets: list[tuple[str, str]] = []  # (name, relation id)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            from openpyxl.utils.datetime import CALENDAR_MAC_1904

            self.epoch = CALENDAR_MAC_1904
        elif local == "sheet" and len(self.sheets) < self.limit.max_zip_entries:
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), rid))


class _SharedStrings(_Handler):
    """The shared strings, each within the cell limit, at most so many of them."""

    def __init__(self, shared: list[str], limit: Limits) -> None:
        self.shared = shared
        self.limit = limit
        self.parts: list[str] | None = None
        self.size = 0
        self.rph = 0  # inside phonetic text, which is not the value
        self.in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "si":
            if len(self.shared) >= self.limit.max_shared_strings:
                raise FileError(
                    f"Filen innehåller fler än {_n(self.limit.max_shared_strings)} olika texter. "
                    "Dela upp den."
                )
            self.parts = []
            self.size = 0
        elif local == "rPh":
            self.rph += 1
        elif local == "t" and not self.rph:
            self.in_text = True

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "si":
            self.shared.append("".join(self.parts or ()))
            self.parts = None
        elif local == "rPh":
            self.rph -= 1
        elif local == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text and self.parts is not None:
            self.size += len(data)
            if self.size > self.limit.max_cell_chars:
                raise FileError(
                    f"En text i filen har fler än {_n(self.limit.max_cell_chars)} tecken. "
                    "Så långa värden kan inte läsas."
                )
            self.parts.append(data)


class _Styles(_Handler):
    """The number format of every cell style (to tell dates from numbers)."""

    def __init__(self) -> None:
        self.formats: dict[int, str] = {}
        self.styles: list[int] = []
        self.in_cell_styles = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "numFmt":
            self.formats[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            self.in_cell_styles = True
        elif local == "xf" and self.in_cell_styles:
            self.styles.append(int(attrs.get("numFmtId", "0")))

    def end(self, tag: str) -> None:
        if _local(tag) == "cellXfs":
            self.in_cell_styles = False


class _SheetReader(_Handler):
    """expat handlers for one worksheet: completed rows are collected until taken."""

    def __init__(self, book: XlsxBook, name: str) -> None:
        self.book = book
        self.name = name
        self.limit = book._limit
        self.ready: list[tuple[int, tuple[Any, ...]]] = []
        self.done = False
        self.row = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.collecting = False
        self.text_parts: list[str] = []
        self.size = 0
        self.in_cell = False
        self.in_inline = False
        self.rph = 0

    def take(self) -> list[tuple[int, tuple[Any, ...]]]:
        ready, self.ready, self.done = self.ready, [], False
        return ready

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _LOCAL_NAMES.get(tag) or _local(tag)
        if local == "c":
            column = _column_of(attrs["r"]) if "r" in attrs else None
            self.column = column or self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = int(attrs.get("s", "0") or 0)
            self.text_parts = []
            self.size = 0
            self.in_cell = True
        elif local == "v" and self.in_cell and not self.in_inline:
            self.collecting = True
        elif local == "is" and self.in_cell:
            self.in_inline = True
        elif local == "rPh":
            self.rph += 1
        elif local == "t" and self.in_inline and not self.rph:
            self.collecting = True
        elif local == "row":
            self.row = int(attrs["r"]) if "r" in attrs else self.row + 1
            if self.row > self.limit.max_rows + 1:
                raise _too_many_rows(self.limit)
            self.cells = {}
            self.column = 0
        elif local == "dimension":
            self._check_dimension(attrs.get("ref", ""))

    def end(self, tag: str) -> None:
        local = _LOCAL_NAMES.get(tag) or _local(tag)
        if local == "c":
            self.in_cell = False
            self.in_inline = False
            self.collecting = False
            if self.kind in ("inlineStr", "str"):  # text as it is (the commonest cell)
                value: Any = "".join(self.text_parts)
            elif self.text_parts:
                value = self.book.cell_value(self.kind, self.style, "".join(self.text_parts))
            else:
                value = None
            if value is not None and value != "":
                if self.column > self.limit.max_columns:
                    raise _too_many_columns(self.limit)
                self.cells[self.column] = value
        elif local in ("v", "t"):
            self.collecting = False
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.rph -= 1
        elif local == "row":
            if self.cells:
                width = max(self.cells)
                values = tuple(self.cells.get(i) for i in range(1, width + 1))
                self.ready.append((self.row, values))
                self.done = True
            self.cells = {}

    def text(self, data: str) -> None:
        if self.collecting:
            self.size += len(data)
            if self.size > self.limit.max_cell_chars:
                raise _cell_too_large(self.limit, self.row)
            self.text_parts.append(data)

    def _check_dimension(self, ref: str) -> None:
        last = ref.split(":")[-1]
        position = _cell_position(last)
        if position is None:
            return  # no usable dimension: the rows themselves are checked as they come
        rows, columns = position
        if rows > self.limit.max_rows + 1 or columns > self.limit.max_columns:
            raise FileError(
                f"Bladet ”{self.name}” anger storleken {ref}: {_n(rows)} rader och "
                f"{_n(columns)} kolumner. Högst {_n(self.limit.max_rows)} rader och "
                f"{_n(self.limit.max_columns)} kolumner kan läsas. Dela upp filen."
            )


def open_xlsx(data: bytes, *, limit: Limits | None = None) -> XlsxBook:
    """Check an .xlsx upload's package (no zip bomb) and open it for streaming its sheets.

    Raises :class:`FileError` with a Swedish message; nothing is unpacked before the zip's
    directory (parts, unpacked sizes, packing ratios) has been checked.
    """
    limit = limit or limits()
    _check_zip_directory(data, limit)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except Exception as exc:  # BadZipFile, but also ValueError, EOFError, ... on garbage
        raise FileError(_UNREADABLE) from exc
    try:
        if len(entries) > limit.max_zip_entries:
            raise FileError(_UNREADABLE)
        _check_package(entries, limit)
        return XlsxBook(package, limit)
    except BaseException:
        package.close()
        raise


__all__ = [
    "FileError",
    "Limits",
    "Table",
    "TableStream",
    "XlsxBook",
    "limits",
    "open_xlsx",
    "read_table",
    "stream_table",
]
