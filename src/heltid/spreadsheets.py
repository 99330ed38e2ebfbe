"""Excel files we write hold values, never formulas: a name typed as ``=HYPERLINK(…)`` must
arrive as that text, not as a formula Excel runs (formula injection)."""

from __future__ import annotations

from typing import Any


def values_only(workbook: Any) -> None:
    """Every cell openpyxl took for a formula (text starting with "=") becomes text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
