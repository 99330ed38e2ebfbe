"""Recipient files in the benefit system's import format, for tests, benchmarks and demos."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator, Sequence
from datetime import date

from heltid.registry.imports.rows import COLUMNS

REASONS = (
    "Arbetslös, ingen ersättning/stöd",
    "Arbetslös, otillräcklig ersättning/stöd",
    "Arbetshinder, sociala skäl",
    "Sjukskriven med läkarintyg, ingen sjukpenning",
    "Saknar barnomsorg",
)
FIRST = ("Anna", "Maria", "Fatima", "Sara", "Erik", "Mohammed", "Johan", "Ali", "Eva", "Lars")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Hassan", "Ahmed", "Lindberg", "Berg")


def recipient_rows(
    numbers: Sequence[str], *, seed: int, units: Sequence[str], on: date
) -> list[dict[str, str]]:
    """One row per number: singles and some two-adult households, deterministic for a seed."""
    rng = random.Random(seed)
    rows = []
    for index, number in enumerate(numbers):
        household = f"H{index // 2 if index % 10 < 2 else index + 1_000_000:07d}"
        children = ""
        if index % 10 < 2:  # the first two of every ten share a sambo household with children
            children = f"{on.year - 5}-03-14,{on.year - 9}-11-02"
        months_back = rng.randint(0, 48)
        since_index = on.year * 12 + on.month - 1 - months_back
        programme = rng.choice(("ingen", "ingen", "ingen", "JOB", "UGA"))
        rows.append(
            {
                "personnummer": number,
                "fornamn": rng.choice(FIRST),
                "efternamn": rng.choice(LAST),
                "hushall": household,
                "sambo": "ja" if index % 10 < 2 else "nej",
                "barn_fodda": children,
                "deltid_timmar": rng.choice(("0", "0", "0", "10", "12,5")),
                "forsorjningshinder": rng.choice(REASONS),
                "bistand_sedan": f"{since_index // 12}-{since_index % 12 + 1:02d}",
                "af_program": programme,
                "af_program_sedan": "" if programme == "ingen" else f"{on.year - 1}-02-01",
                "skyddad_identitet": "ja" if index % 97 == 0 else "nej",
                "enhet": units[index % len(units)],
            }
        )
    return rows


def to_csv(rows: Sequence[dict[str, str]], *, delimiter: str = ";", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("mottagare")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def synthetic_personnummer(count: int) -> Iterator[str]:
    """Valid numbers born 1890–1899, for benchmark databases only (never demo or test data).

    Nobody born then is alive, so these cannot identify a living person."""
    produced = 0
    for year in range(1890, 1900):
        for month in range(1, 13):
            for day in range(1, 29):
                for serial in range(1, 1000):
                    base = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
                    yield f"{year}{month:02d}{day:02d}{serial:03d}{_check_digit(base)}"
                    produced += 1
                    if produced >= count:
                        return


def _check_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10
