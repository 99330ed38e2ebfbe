"""Small-cell suppression: no suppressed count can be derived from what is published.

The properties run on pure functions (no database): each example starts from nothing but its
own input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heltid.insights.privacy import SuppressedTable, determined_entries, suppress_table


def _entries(table: SuppressedTable[Any, Any]) -> dict[tuple[int, int], int | None]:
    """The augmented table: cells, row totals (last column), column totals and grand total
    (last row)."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    entries: dict[tuple[int, int], int | None] = {}
    for r, row in enumerate(table.rows):
        for c, col in enumerate(table.cols):
            entries[(r, c)] = table.cells[row][col]
        entries[(r, n_cols)] = table.row_totals[row]
    for c, col in enumerate(table.cols):
        entries[(n_rows, c)] = table.col_totals[col]
    entries[(n_rows, n_cols)] = table.total
    return entries


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    rows = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
    cols = [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    return rows + cols


def _assert_safe(raw: dict[str, dict[str, int]], table: SuppressedTable[Any, Any]) -> None:
    n_rows, n_cols = len(table.rows), len(table.cols)
    entries = _entries(table)
    hidden = {entry for entry, value in entries.items() if value is None}
    # The published numbers are the true ones.
    for row in table.rows:
        for col in table.cols:
            shown = table.cells[row][col]
            assert shown is None or shown == raw[row].get(col, 0)
            assert shown is None or shown == 0 or shown >= 5
    for value in entries.values():
        assert value is None or value == 0 or value >= 5
    # Every line (a row with its total, a column with its total, the totals with the grand
    # total) with a suppressed entry has at least two: one equation cannot give it away.
    for line in _lines(n_rows, n_cols):
        assert sum(entry in hidden for entry in line) != 1, line
    # And the whole system of equations together determines no suppressed entry either.
    values = {
        entry: value if value is not None else 0 for entry, value in entries.items()
    }  # the hidden values do not matter to whether they are determined
    assert determined_entries(values, hidden, n_rows, n_cols) == set()


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda n_cols: st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "f"]),
        st.lists(
            st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=n_cols, max_size=n_cols
        ).map(lambda counts: {f"k{i}": count for i, count in enumerate(counts)}),
        min_size=1,
        max_size=6,
    )
)


@pytest.mark.slow  # hundreds of examples
@settings(database=None, max_examples=400, deadline=None)
@given(tables)
def test_suppress_table__random_tables__no_suppressed_count_can_be_derived(
    raw: dict[str, dict[str, int]],
) -> None:
    _assert_safe(raw, suppress_table(raw))


def test_suppress_table__no_small_cells__everything_published() -> None:
    table = suppress_table({"F": {"x": 10, "y": 0}, "M": {"x": 7, "y": 20}})
    assert table.cells == {"F": {"x": 10, "y": 0}, "M": {"x": 7, "y": 20}}
    assert table.row_totals == {"F": 10, "M": 27}
    assert table.col_totals == {"x": 17, "y": 20}
    assert table.total == 37
    assert table.suppressed_count == 0


def test_suppress_table__one_small_cell__complements_in_row_and_column() -> None:
    raw = {"F": {"x": 3, "y": 12, "z": 40}, "M": {"x": 9, "y": 30, "z": 50}}
    table = suppress_table(raw)
    assert table.cells["F"]["x"] is None
    # the smallest other cell of the row and of the column are hidden too
    assert table.cells["F"]["y"] is None
    assert table.cells["M"]["x"] is None
    assert table.cells["M"]["y"] is None  # closes the rectangle
    assert table.cells["F"]["z"] == 40 and table.cells["M"]["z"] == 50
    assert table.row_totals == {"F": 55, "M": 89}
    assert table.total == 144
    _assert_safe(raw, table)


def test_suppress_table__small_row_total__total_suppressed() -> None:
    raw = {"F": {"x": 2, "y": 1}, "M": {"x": 20, "y": 30}}
    table = suppress_table(raw)
    assert table.row_totals["F"] is None
    assert table.cells["F"] == {"x": None, "y": None}
    _assert_safe(raw, table)


def test_suppress_table__zero_is_shown() -> None:
    table = suppress_table({"F": {"x": 0, "y": 10}, "M": {"x": 0, "y": 10}})
    assert table.cells["F"]["x"] == 0
    assert table.col_totals["x"] == 0


def test_suppress_table__single_column__small_cell_needs_a_second() -> None:
    raw = {"a": {"n": 2}, "b": {"n": 10}, "c": {"n": 30}}
    table = suppress_table(raw)
    assert table.cells["a"]["n"] is None
    assert table.cells["b"]["n"] is None
    assert table.cells["c"]["n"] == 30
    _assert_safe(raw, table)


def test_suppress_table__bridge_between_blocks__hidden_further() -> None:
    # Two 2x2 blocks of small cells joined by one small cell: each line has two hidden
    # entries, yet the joining cell follows from the totals unless more is hidden.
    raw = {
        "r1": {"c1": 1, "c2": 1, "c3": 1, "c4": 50},
        "r2": {"c1": 1, "c2": 1, "c3": 60, "c4": 70},
        "r3": {"c1": 80, "c2": 90, "c3": 1, "c4": 1},
        "r4": {"c1": 85, "c2": 95, "c3": 1, "c4": 1},
    }
    _assert_safe(raw, suppress_table(raw))


def test_suppress_table__columns_fixed__missing_cells_are_zero() -> None:
    table = suppress_table({"F": {"y": 10}}, cols=["x", "y"])
    assert table.cols == ("x", "y")
    assert table.cells["F"] == {"x": 0, "y": 10}


def test_determined_entries__lone_hidden_cell__found() -> None:
    values = {(0, 0): 3, (0, 1): 10, (1, 0): 3, (1, 1): 10}  # one row, one column + totals
    assert determined_entries(values, {(0, 0)}, 1, 1) == {(0, 0)}
    assert determined_entries(values, {(0, 0), (0, 1), (1, 0), (1, 1)}, 1, 1) == set()


@pytest.mark.slow  # hundreds of examples
@settings(database=None, max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 80)), min_size=1, max_size=10))
def test_dashboard_distribution__no_hidden_count_follows_from_counts_total_or_shares(
    counts: list[int],
) -> None:
    """The dashboard's by-reason tables publish counts, a total and shares: a hidden count must
    not follow from them — by subtraction from the total, or from a share giving the total."""
    from heltid.insights.dashboard import _distribution_rows

    rows, total = _distribution_rows([(f"r{i}", n) for i, n in enumerate(counts)])
    hidden = [i for i, row in enumerate(rows) if row.count is None]
    assert all(row.count == n for row, n in zip(rows, counts, strict=True) if row.count is not None)
    for row, n in zip(rows, counts, strict=True):
        assert row.count is None or n == 0 or n >= 5
    if total is not None:
        assert total == sum(counts)
        assert len(hidden) != 1, "one hidden count = the total minus the shown ones"
    else:
        assert all(row.pct is None for row in rows), "a share with its count gives the total"


def test_suppress_subtotal__hidden_when_one_of_its_counts_is_hidden() -> None:
    from heltid.insights.privacy import suppress_subtotal

    counts = {"work_regular": 3, "work_subsidised": 8, "studies": 6, "moved": 4, "other": 20}
    # 17 − 8 − 6 would give back the hidden 3
    assert suppress_subtotal(counts, ["work_regular", "work_subsidised", "studies"]) is None
    counts = {"work_regular": 7, "work_subsidised": 8, "studies": 6, "moved": 4, "other": 2}
    assert suppress_subtotal(counts, ["work_regular", "work_subsidised", "studies"]) == 21


@pytest.mark.slow  # hundreds of examples
@settings(database=None, max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=3, max_size=8))
def test_suppress_subtotal__never_with_a_hidden_part(counts: list[int]) -> None:
    from heltid.insights.privacy import suppress_distribution, suppress_subtotal

    data = {f"r{i}": n for i, n in enumerate(counts)}
    part = ["r0", "r1", "r2"]
    shown, _total = suppress_distribution(data)
    subtotal = suppress_subtotal(data, part)
    if subtotal is not None:
        assert all(shown[k] is not None for k in part)
        assert subtotal == sum(data[k] for k in part)


def test_statistics_page_shares__only_when_the_part_and_the_rest_are_not_small() -> None:
    from heltid.insights.statistics import share_pct

    assert share_pct(2, 20) is None  # 10 % of 20 gives back 2
    assert share_pct(18, 20) is None  # and 90 % gives back the other 2
    assert share_pct(10, 20) == 50
    assert share_pct(0, 0) is None
