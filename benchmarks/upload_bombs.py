"""Issue 12: upload bombs are refused within a fixed memory budget (peak RSS under 300 MB) and
in good time. Each bomb is read in a fresh subprocess, so its peak RSS is its own; the
recipient reader (``read_table``) and, for .xlsx, the catalogue import read every file.

``python -m benchmarks upload-bombs``; one file by hand:
``python -m benchmarks.upload_bombs FILE recipients|catalogue``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.budgets import Result

BUDGET_MB = 300
BUDGET_SECONDS = 25.0  # the reader's own limit is 20 s; requests time out at 30 s

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Steg" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _xlsx(path: Path, write_sheet: Callable[[Any], None]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _RELATIONS)
        with package.open("xl/worksheets/sheet1.xml", "w") as member:
            write_sheet(member)


def _dimension_bomb(path: Path) -> None:
    """A few kB declaring A1:XFD1048576 with one cell (the 3 GB worker of the issue)."""

    def write(member: Any) -> None:
        member.write(_SHEET_START + b'<dimension ref="A1:XFD1048576"/><sheetData>')
        member.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>kod</t></is></c></row>')
        member.write(b"</sheetData></worksheet>")

    _xlsx(path, write)


def _zip_bomb(path: Path) -> None:
    """Half a megabyte that unpacks to 200 MB of rows."""

    def write(member: Any) -> None:
        member.write(_SHEET_START + b"<sheetData>")
        chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
        for _ in range(200 * 1024 * 1024 // len(chunk) + 1):
            member.write(chunk)
        member.write(b"</sheetData></worksheet>")

    _xlsx(path, write)


def _xlsx_3m_rows(path: Path) -> None:
    """3 million numbered rows of one cell, no dimension (about 120 MB unpacked, 15 MB packed:
    within the size limits, so the rows themselves are read until the row limit)."""

    def write(member: Any) -> None:
        member.write(_SHEET_START + b"<sheetData>")
        for first in range(1, 3_000_001, 10_000):
            member.write(
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n * 7919)
                    for n in range(first, first + 10_000)
                )
            )
        member.write(b"</sheetData></worksheet>")

    _xlsx(path, write)


def _csv_40mb(path: Path) -> None:
    """40 MB of recipient-like rows (about 800,000 of them)."""
    header = b"personnummer;fornamn;efternamn;hushall;sambo;enhet;deltid_timmar\n"
    with path.open("wb") as out:
        out.write(header)
        written, n = len(header), 0
        while written < 40 * 1024 * 1024:
            block = b"".join(
                b"1890%06d-%04d;Fornamn%d;Efternamn%d;H%d;nej;ekb-nord;0\n"
                % (m, m % 10_000, m, m, m)
                for m in range(n, n + 10_000)
            )
            out.write(block)
            written += len(block)
            n += 10_000


def _csv_long_field(path: Path) -> None:
    path.write_bytes(b"personnummer;fornamn\n18900101-1234;" + b"a" * 200_000 + b"\n")


def _csv_wide(path: Path) -> None:
    columns = 10_000
    row = b";".join(b"k%d" % n for n in range(columns)) + b"\n"
    path.write_bytes(row + b"x;" * (columns - 1) + b"x\n")


BOMBS: dict[str, Callable[[Path], None]] = {
    "dimension-A1-XFD1048576.xlsx": _dimension_bomb,
    "zip-bomb-200MB.xlsx": _zip_bomb,
    "3M-rows.xlsx": _xlsx_3m_rows,
    "40MB-800k-rows.csv": _csv_40mb,
    "200kB-field.csv": _csv_long_field,
    "10000-columns.csv": _csv_wide,
}


def bench_upload_bombs(workdir: Path) -> list[Result]:
    folder = workdir / "upload-bombs"
    folder.mkdir(exist_ok=True)
    results: list[Result] = []
    for name, build in BOMBS.items():
        path = folder / name
        build(path)
        readers = ("recipients", "catalogue") if name.endswith(".xlsx") else ("recipients",)
        for kind in readers:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.upload_bombs", str(path), kind],
                capture_output=True,
                text=True,
                check=False,
                env=os.environ.copy(),
            )
            if out.returncode != 0:
                raise SystemExit(f"{name} ({kind}) was not refused:\n{out.stdout}{out.stderr}")
            measured = json.loads(out.stdout.strip().splitlines()[-1])
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{name} ({size:.1f} MB, {kind}): refused in {measured['seconds']:.2f} s, "
                f"peak RSS {measured['peak_mb']} MB (at start {measured['start_mb']} MB): "
                f"{measured['message']}"
            )
            label = f"bomb {name} ({kind})"
            results.append(Result(f"{label}, peak RSS", BUDGET_MB, measured["peak_mb"], "MB"))
            results.append(Result(f"{label}, time", BUDGET_SECONDS, measured["seconds"], "s"))
    return results


def _peak_mb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)  # kB on Linux


def _read_one(path: Path, kind: str) -> int:
    """Read one file as an upload would be; print the measurement; 0 only when refused."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    import django

    django.setup()
    from datetime import date

    from heltid.catalog.excel import import_catalogue
    from heltid.registry.imports.reader import FileError, read_table

    start = _peak_mb()
    data = path.read_bytes()
    started = time.perf_counter()
    message = ""
    if kind == "catalogue":
        report = import_catalogue(
            data=data, filename=path.name, acting_user=None, today=date(2026, 10, 1), dry_run=True
        )
        message = report.file_error
    else:
        try:
            read_table(data, path.name)
        except FileError as exc:
            message = str(exc)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"message": message, "seconds": seconds, "peak_mb": _peak_mb(), "start_mb": start},
            ensure_ascii=False,
        )
    )
    return 0 if message else 1


if __name__ == "__main__":
    sys.exit(_read_one(Path(sys.argv[1]), sys.argv[2]))


__all__ = ["BOMBS", "bench_upload_bombs"]
