"""Uploads that cannot hurt (issue 12): every bomb is refused early, in Swedish, as a file error
on the import page — never a 500, never English, nothing written (decision record 0016)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from heltid.registry.imports import import_recipients, reader
from heltid.registry.imports.reader import FileError, open_xlsx, read_table
from heltid.registry.models import Person

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>personnummer</t></is></c></row>'


def xlsx(sheet: bytes | Callable[[Any], None]) -> bytes:
    """A minimal workbook whose only sheet is ``sheet`` (raw XML, or written by a function
    into the open zip member, for sheets too large to hold in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", RELATIONS)
        if isinstance(sheet, bytes):
            package.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with package.open("xl/worksheets/sheet1.xml", "w") as member:
                sheet(member)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """5 kB that declare the whole of Excel's grid and hold one cell."""
    return xlsx(
        SHEET_START
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + HEADER_ROW
        + b"</sheetData></worksheet>"
    )


def zip_bomb(unpacked: int = 200 * 1024 * 1024) -> bytes:
    """About half a megabyte that unpacks to ``unpacked`` bytes of rows."""

    def write(member: Any) -> None:
        member.write(SHEET_START + b"<sheetData>" + HEADER_ROW)
        chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
        written = 0
        while written < unpacked:
            member.write(chunk)
            written += len(chunk)
        member.write(b"</sheetData></worksheet>")

    return xlsx(write)


def xlsx_rows(count: int, *, with_dimension: bool = False) -> bytes:
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(2, count + 2)
    )
    dimension = b'<dimension ref="A1:A%d"/>' % (count + 1) if with_dimension else b""
    return xlsx(
        SHEET_START + dimension + b"<sheetData>" + HEADER_ROW + rows + b"</sheetData></worksheet>"
    )


def csv_rows(count: int) -> bytes:
    return b"personnummer;fornamn\n" + b"".join(b"%d;x\n" % n for n in range(count))


def csv_long_field() -> bytes:
    return b"personnummer;fornamn\n19900101-1234;" + b"a" * 200_000 + b"\n"


def csv_wide(columns: int) -> bytes:
    return b";".join(b"k%d" % n for n in range(columns)) + b"\n" + b"x;" * (columns - 1) + b"x\n"


@pytest.fixture
def small_limits(settings: Any) -> None:
    """Row limits small enough to reach in a test; the others as in production."""
    settings.HELTID_IMPORT_MAX_ROWS = 50


def message(data: bytes, name: str) -> str:
    with pytest.raises(FileError) as refused:
        read_table(data, name)
    return str(refused.value)


# (file, name, a part of the Swedish message); the row-count cases use ``small_limits``
BOMBS: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "xlsx-dimension": (dimension_bomb, "a.xlsx", "anger storleken A1:XFD1048576"),
    "xlsx-zip-bomb": (zip_bomb, "a.xlsx", "gånger större när den packas upp"),
    "xlsx-rows": (lambda: xlsx_rows(60), "a.xlsx", "Filen har fler än 50 rader. Dela upp den."),
    "xlsx-rows-declared": (
        lambda: xlsx_rows(60, with_dimension=True),
        "a.xlsx",
        "Högst 50 rader och 100 kolumner kan läsas",
    ),
    "csv-rows": (lambda: csv_rows(51), "a.csv", "Filen har fler än 50 rader. Dela upp den."),
    "csv-long-field": (csv_long_field, "a.csv", "har fler än 32 767 tecken"),
    "csv-columns": (lambda: csv_wide(101), "a.csv", "Filen har fler än 100 kolumner"),
}


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_read_table__bomb__refused_in_swedish(bomb: str) -> None:
    make, name, part = BOMBS[bomb]
    text = message(make(), name)
    assert part in text
    assert not any(word in text for word in ("field", "larger", "limit", "Error", "error"))


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_import__bomb__file_error_and_nothing_written(db: None, bomb: str) -> None:
    make, name, part = BOMBS[bomb]
    report = import_recipients(data=make(), filename=name, acting_user=None)
    assert part in report.file_error
    assert not report.rows and not report.created
    assert Person.objects.count() == 0


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_import_page__bomb__field_error_not_500(staff: Any, client: Client, bomb: str) -> None:
    make, name, part = BOMBS[bomb]
    client.force_login(staff.officer)
    response = client.post(
        "/personer/import/", {"file": SimpleUploadedFile(name, make())}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in body
    assert part in body
    assert Person.objects.count() == 0


def test_zip_bomb__refused_before_anything_is_unpacked(monkeypatch: Any) -> None:
    def unpack(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a part was unpacked")

    data = zip_bomb(20 * 1024 * 1024)
    monkeypatch.setattr(zipfile.ZipFile, "open", unpack)
    assert "gånger större" in message(data, "a.xlsx")


def test_unpacked_size__refused_from_the_directory(settings: Any) -> None:
    settings.HELTID_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    settings.HELTID_IMPORT_MAX_RATIO = 10_000
    text = message(zip_bomb(2 * 1024 * 1024), "a.xlsx")
    assert text == "Filen blir för stor när den packas upp: mer än 1 MB. Dela upp den."


def test_too_many_zip_parts__refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for n in range(1_001):
            package.writestr(f"x{n}", b"")
    assert "fler än 1 000 delar" in message(out.getvalue(), "a.xlsx")


def test_xlsx_cell_over_the_limit__refused() -> None:
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"a" * 40_000 + b"</t></is></c></row>"
    data = xlsx(SHEET_START + b"<sheetData>" + HEADER_ROW + cell + b"</sheetData></worksheet>")
    assert message(data, "a.xlsx").startswith("En cell på rad 2 har fler än 32 767 tecken.")


def test_xlsx_value_beyond_the_column_limit__refused() -> None:
    cell = b'<row r="2"><c r="CX2"><v>1</v></c></row>'  # column 102
    data = xlsx(SHEET_START + b"<sheetData>" + HEADER_ROW + cell + b"</sheetData></worksheet>")
    assert "fler än 100 kolumner" in message(data, "a.xlsx")


def test_xlsx_row_far_down__refused_without_padding() -> None:
    row = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    data = xlsx(SHEET_START + b"<sheetData>" + HEADER_ROW + row + b"</sheetData></worksheet>")
    assert message(data, "a.xlsx") == "Filen har fler än 500 000 rader. Dela upp den."


def test_xlsx_with_a_doctype__refused() -> None:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData/></worksheet>"
    )
    assert "Excel-fil" in message(xlsx(sheet), "a.xlsx")


def test_csv_line_over_the_limit__refused(settings: Any) -> None:
    settings.HELTID_IMPORT_MAX_LINE_CHARS = 1_000
    data = b"personnummer;fornamn\n" + b"x;" * 1_000 + b"\n"
    assert message(data, "a.csv") == "Rad 2 i filen är längre än 1 000 tecken och kan inte läsas."


def test_reading_too_long__refused(settings: Any) -> None:
    settings.HELTID_IMPORT_MAX_SECONDS = 0
    assert message(xlsx_rows(10), "a.xlsx").startswith("Det tog mer än 0 sekunder")


def test_file_over_the_upload_limit__refused(settings: Any) -> None:
    settings.HELTID_IMPORT_MAX_BYTES = 100
    assert message(csv_rows(100), "a.csv") == "Filen är för stor: högst 0 MB."


def test_limits__module_constants_under_settings(settings: Any) -> None:
    assert reader.limits().max_rows == reader.MAX_ROWS == 500_000
    settings.HELTID_IMPORT_MAX_COLUMNS = 7
    assert reader.limits().max_columns == 7
    assert reader.limits(max_columns=3).max_columns == 3


def test_xlsx__values_as_openpyxl_reads_them() -> None:
    """The streaming reader gives what openpyxl's own reader gives: shared and inline text,
    numbers, booleans, dates (1900 calendar), gaps between cells and rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["personnummer", "namn", None, "tal", "sant", "datum"])
    sheet.append(["19900101-1234", "Åsa", None, 15, True, datetime(2026, 10, 1)])
    sheet.append([])
    sheet.append(["x", None, None, 2.5, False, datetime(2026, 10, 1, 12, 30)])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    expected = [
        tuple(row)
        for row in load_workbook(io.BytesIO(data), data_only=True).active.iter_rows(
            values_only=True
        )
        if any(v is not None for v in row)
    ]
    book = open_xlsx(data)
    try:
        got = list(book.rows(book.sheet_names[0]))
    finally:
        book.close()
    assert [number for number, _values in got] == [1, 2, 4]
    assert [values + (None,) * (6 - len(values)) for _n, values in got] == expected
    table = read_table(data, "a.xlsx")
    assert table.rows[0][1]["datum"] == "2026-10-01"
    assert [number for number, _values in table.rows] == [2, 4]
