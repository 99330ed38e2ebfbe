"""Small-cell suppression for the tables analysts see (pure: no Django).

A published cross-table is the cells plus the row totals, the column totals and the grand total.
Every row (cells and row total), every column (cells and column total), the row totals with the
grand total and the column totals with the grand total are linear equations: the entries sum to
the total. A suppressed entry must not be recoverable from those equations.

Rules, in order:

1. Primary suppression: a count from 1 to ``threshold - 1`` is suppressed, cells and totals
   alike. Zero is shown: "nobody" in a group reveals no person's count and Statistics Sweden's
   tables show zeros too. (A zero can still be suppressed as a complement in step 2, when there
   is nothing else to hide in its line.)
2. Secondary suppression: a line (row, column, or the line of totals) with exactly one
   suppressed entry would give it away by subtraction, so the smallest other entry of that line
   is suppressed too (a non-zero cell before a zero, a cell before the total). Repeated until no
   line has exactly one suppressed entry.
3. The whole system of equations is then solved exactly (fractions): a suppressed entry whose
   value still follows from the published ones (for example one cell joining two otherwise
   separate blocks of suppressed cells) gets a further complement in its row, and steps 2–3 run
   again. Suppression only grows, and a fully suppressed table reveals nothing, so this ends.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

THRESHOLD = 5

# An entry of the augmented table: (row index, column index); index len(rows) is the column
# totals' row, len(cols) the row totals' column, (len(rows), len(cols)) the grand total.
Entry = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable(Generic[R, C]):
    """A cross-table as it may be published: None where a count is suppressed."""

    rows: tuple[R, ...]
    cols: tuple[C, ...]
    cells: dict[R, dict[C, int | None]]
    row_totals: dict[R, int | None]
    col_totals: dict[C, int | None]
    total: int | None

    @property
    def suppressed_count(self) -> int:
        inner = sum(v is None for row in self.cells.values() for v in row.values())
        margins = sum(v is None for v in self.row_totals.values()) + sum(
            v is None for v in self.col_totals.values()
        )
        return inner + margins + (self.total is None)


def _columns(rows: Mapping[R, Mapping[C, int]], cols: Iterable[C] | None) -> tuple[C, ...]:
    if cols is not None:
        return tuple(cols)
    seen: dict[C, None] = {}
    for row in rows.values():
        for col in row:
            seen.setdefault(col, None)
    return tuple(seen)


def lines(n_rows: int, n_cols: int) -> list[list[Entry]]:
    """Every equation of the augmented table as its entries; the total is the last entry."""
    result = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
    result += [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    return result


def determined_entries(
    values: Mapping[Entry, int], hidden: set[Entry], n_rows: int, n_cols: int
) -> set[Entry]:
    """The hidden entries whose value follows from the published entries and the equations.

    An unknown is determined exactly when its unit vector lies in the row space of the
    equations' coefficients on the unknowns (the published entries only move the constants).
    """
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {entry: i for i, entry in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for line in lines(n_rows, n_cols):
        coefficients = [Fraction(0)] * len(unknowns)
        *parts, total = line
        for entry in parts:
            if entry in index:
                coefficients[index[entry]] += 1
        if total in index:
            coefficients[index[total]] -= 1
        if any(coefficients):
            matrix.append(coefficients)
    basis = _row_reduce(matrix)
    return {unknowns[i] for i in range(len(unknowns)) if _in_span(basis, i, len(unknowns))}


def _row_reduce(matrix: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form as (pivot column, row) pairs."""
    rows = [row[:] for row in matrix]
    basis: list[tuple[int, list[Fraction]]] = []
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((row for row in rows if row[col] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        factor = pivot[col]
        pivot = [value / factor for value in pivot]
        for other in [*rows, *(row for _, row in basis)]:
            if other[col] != 0:
                scale = other[col]
                for k in range(width):
                    other[k] -= scale * pivot[k]
        basis.append((col, pivot))
    return basis


def _in_span(basis: list[tuple[int, list[Fraction]]], unknown: int, width: int) -> bool:
    vector = [Fraction(0)] * width
    vector[unknown] = Fraction(1)
    for col, row in basis:
        if vector[col] != 0:
            scale = vector[col]
            vector = [v - scale * r for v, r in zip(vector, row, strict=True)]
    return not any(vector)


def _complement(line: list[Entry], values: Mapping[Entry, int], hidden: set[Entry]) -> Entry | None:
    """The entry to hide next in a line: smallest non-zero cell, then a zero cell, then the
    line's total."""
    *parts, total = line
    candidates = [e for e in parts if e not in hidden]
    if candidates:
        return min(candidates, key=lambda e: (values[e] == 0, values[e], e))
    return total if total not in hidden else None


def _augmented(
    rows: Mapping[R, Mapping[C, int]], row_keys: tuple[R, ...], col_keys: tuple[C, ...]
) -> dict[Entry, int]:
    """The cells with row totals, column totals and the grand total."""
    n_rows, n_cols = len(row_keys), len(col_keys)
    values: dict[Entry, int] = {}
    for r, row_key in enumerate(row_keys):
        for c, col_key in enumerate(col_keys):
            count = rows[row_key].get(col_key, 0)
            if count < 0:
                raise ValueError("counts cannot be negative")
            values[(r, c)] = count
        values[(r, n_cols)] = sum(values[(r, c)] for c in range(n_cols))
    for c in range(n_cols + 1):
        values[(n_rows, c)] = sum(values[(r, c)] for r in range(n_rows))
    return values


def _hidden_entries(
    values: Mapping[Entry, int], n_rows: int, n_cols: int, threshold: int
) -> set[Entry]:
    """Primary suppression, then complements until nothing can be derived."""
    hidden = {entry for entry, count in values.items() if 0 < count < threshold}
    all_lines = lines(n_rows, n_cols)
    while True:
        changed = True
        while changed:
            changed = False
            for line in all_lines:
                if sum(entry in hidden for entry in line) == 1:
                    extra = _complement(line, values, hidden)
                    if extra is not None:
                        hidden.add(extra)
                        changed = True
        leaks = determined_entries(values, hidden, n_rows, n_cols)
        if not leaks:
            return hidden
        # Hide one more entry in the row of the first leak, else in its column, else the
        # smallest published entry anywhere (the table ends fully hidden at worst).
        first = min(leaks)
        extra = _complement(all_lines[first[0]], values, hidden) or _complement(
            all_lines[n_rows + 1 + first[1]], values, hidden
        )
        if extra is None:
            extra = min(
                (e for e in values if e not in hidden), key=lambda e: (values[e] == 0, values[e], e)
            )
        hidden.add(extra)


def suppress_table(
    rows: Mapping[R, Mapping[C, int]],
    *,
    threshold: int = THRESHOLD,
    cols: Iterable[C] | None = None,
) -> SuppressedTable[R, C]:
    """The table with its totals, every count under ``threshold`` (but over 0) suppressed, and
    enough further cells suppressed that no suppressed count follows from the published ones.

    ``cols`` fixes the columns and their order (default: in order of first appearance); a
    missing cell counts as 0."""
    row_keys = tuple(rows)
    col_keys = _columns(rows, cols)
    n_rows, n_cols = len(row_keys), len(col_keys)
    values = _augmented(rows, row_keys, col_keys)
    hidden = _hidden_entries(values, n_rows, n_cols, threshold)

    def shown(entry: Entry) -> int | None:
        return None if entry in hidden else values[entry]

    return SuppressedTable(
        rows=row_keys,
        cols=col_keys,
        cells={
            row_key: {col_key: shown((r, c)) for c, col_key in enumerate(col_keys)}
            for r, row_key in enumerate(row_keys)
        },
        row_totals={row_key: shown((r, n_cols)) for r, row_key in enumerate(row_keys)},
        col_totals={col_key: shown((n_rows, c)) for c, col_key in enumerate(col_keys)},
        total=shown((n_rows, n_cols)),
    )


K = TypeVar("K", bound=Hashable)


def suppress_distribution(
    counts: Mapping[K, int], *, threshold: int = THRESHOLD
) -> tuple[dict[K, int | None], int | None]:
    """One variable's counts with their total (a one-column table), suppressed so that no
    hidden count follows from the published ones — the total included."""
    table = suppress_table(
        {key: {0: n} for key, n in counts.items()}, threshold=threshold, cols=(0,)
    )
    return {key: table.cells[key][0] for key in counts}, table.col_totals[0]


def suppress_subtotal(
    counts: Mapping[K, int], keys: Iterable[K], *, threshold: int = THRESHOLD
) -> int | None:
    """The sum of some of a distribution's counts (e.g. exits to work or studies), published
    only when every count in it is published by :func:`suppress_distribution` and the sum is not
    small: a subtotal over a hidden count would give it back by subtraction."""
    shown, _total = suppress_distribution(counts, threshold=threshold)
    chosen = list(keys)
    if any(shown.get(key) is None for key in chosen):
        return None
    subtotal = sum(counts[key] for key in chosen)
    return subtotal if subtotal == 0 or subtotal >= threshold else None
