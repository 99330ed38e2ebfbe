"""The staircase chart: Altair (Vega-Lite) rendered to SVG on the server by vl-convert.

Per step, one bar of the places (occupied + free, stacked) and beside it one bar of the
waiting list. The chart is an image for the eye; the same figures are always shown in a table
beside it, which is what screen readers read. The SVG is rendered from the figures of the
request; only identical input reuses an earlier rendering, so nothing shown can be stale.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from heltid.catalog.selectors import StepSummary, staircase

logger = logging.getLogger(__name__)

# Colours with at least 3:1 contrast against white where it matters (WCAG 1.4.11): the
# occupied part dark blue, the free part a light shade of the same blue with a dark outline,
# the waiting list orange-brown (blue/orange stays distinct for colour-blind readers).
OCCUPIED_COLOUR = "#00539b"
FREE_COLOUR = "#9cc3e6"
WAITING_COLOUR = "#a14d00"
INK = "#1b1b1b"
# Text is measured by vl-convert with the fonts of the server and drawn by the browser with the
# reader's: Arial and Liberation Sans have the same widths, so labels fit on either side.
FONT = "Arial, Liberation Sans, Helvetica, sans-serif"

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-describedby)="[^"]*"')


# One step's bars: its name, then occupied, free and waiting.
Figures = tuple[tuple[str, int, int, int], ...]


def _figures(rows: Sequence[StepSummary]) -> Figures:
    return tuple((row.step.name, row.occupied, row.free, row.waiting) for row in rows)


def staircase_spec(rows: Sequence[StepSummary], *, width: int = 420) -> dict[str, Any]:
    """The Vega-Lite specification of the staircase chart, labels in the active language."""
    return _spec(_figures(rows), width=width)


def _spec(figures: Figures, *, width: int) -> dict[str, Any]:
    import altair as alt  # imported here: loading Altair costs time every command would pay

    occupied, free, waiting = _("Occupied"), _("Free"), _("Waiting")
    places_bar, queue_bar = _("Places"), _("Waiting list")
    values: list[dict[str, Any]] = []
    for name, n_occupied, n_free, n_waiting in figures:
        values += [
            {"step": name, "bar": places_bar, "part": occupied, "n": n_occupied, "order": 1},
            {"step": name, "bar": places_bar, "part": free, "n": n_free, "order": 2},
            {"step": name, "bar": queue_bar, "part": waiting, "n": n_waiting, "order": 3},
        ]
    step_order = [name for name, *_counts in figures]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(stroke=INK, strokeWidth=0.5)
        .encode(
            y=alt.Y("step:N", sort=step_order, title=None, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("bar:N", sort=[places_bar, queue_bar]),
            x=alt.X("n:Q", stack="zero", title=_("Number of places and persons waiting")),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(
                    domain=[occupied, free, waiting],
                    range=[OCCUPIED_COLOUR, FREE_COLOUR, WAITING_COLOUR],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(
            width=width,
            height=alt.Step(18),
            padding={"left": 16, "top": 5, "right": 10, "bottom": 5},
        )
        .configure(aria=False, font=FONT)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12)
        .configure_legend(labelColor=INK, labelFontSize=12)
        .configure_view(stroke=None)
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


# Numbers on the axes as Swedish writes them: 1 000 000 and 2,5.
SWEDISH_NUMBERS = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
}


def render_svg(spec_json: str) -> str:
    """SVG for a specification, with numbers formatted for the active language."""
    language = translation.get_language() or "sv"
    return _render_svg(spec_json, swedish=not language.startswith("en"))


@lru_cache(maxsize=32)
def _render_svg(spec_json: str, *, swedish: bool) -> str:
    """Keyed by the whole specification (figures and labels) and the number format, so a cached
    answer is always the answer for exactly this input."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(
        json.loads(spec_json), format_locale=SWEDISH_NUMBERS if swedish else None
    )
    return svg


def accessible_svg(svg: str, *, label: str) -> SafeString:
    """Mark the SVG as one image with a name: ``role="img"``, ``aria-label`` and a <title>."""
    text = escape(label)
    match = _SVG_OPEN.search(svg)
    if match is None:
        return mark_safe("")
    attributes = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", match.group(1))
    opening = f'<svg{attributes} role="img" aria-label="{text}" focusable="false">'
    # one image: the marks inside have no roles of their own for assistive technology
    body = _INNER_ARIA.sub("", svg[match.end() :])
    # the SVG is vl-convert's output, built from our data with every text escaped by it
    return mark_safe(f"{opening}<title>{text}</title>{body}")


def staircase_chart(rows: Sequence[StepSummary], *, width: int = 420) -> SafeString:
    """The staircase chart as safe SVG markup, or "" when it cannot be drawn (the table
    beside it still shows every figure)."""
    if not rows:
        return mark_safe("")
    try:
        return _staircase_chart(
            _figures(rows), width=width, language=translation.get_language() or "sv"
        )
    except Exception:  # the table carries the figures; a failed drawing must not fail the page
        logger.exception("the staircase chart could not be rendered")
        return mark_safe("")


@lru_cache(maxsize=64)
def _staircase_chart(figures: Figures, *, width: int, language: str) -> SafeString:
    """Keyed by every figure and label drawn, the width and the language (labels and number
    format): building the specification costs more than the rendering, and both only change
    when the figures do."""
    with translation.override(language):
        svg = render_svg(json.dumps(_spec(figures, width=width), sort_keys=True))
        return accessible_svg(
            svg,
            label=_(
                "Staircase chart: occupied and free places and the waiting list per step. "
                "The figures are in the table beside the chart."
            ),
        )


@dataclass(frozen=True)
class StaircaseTotals:
    places: int
    occupied: int
    free: int
    waiting: int
    interventions: int
    cost_per_month: int
    needs: int


def staircase_totals(rows: Sequence[StepSummary]) -> StaircaseTotals:
    return StaircaseTotals(
        places=sum(r.places for r in rows),
        occupied=sum(r.occupied for r in rows),
        free=sum(r.free for r in rows),
        waiting=sum(r.waiting for r in rows),
        interventions=sum(r.interventions for r in rows),
        cost_per_month=sum(r.cost_per_month for r in rows),
        needs=sum(r.needs for r in rows),
    )


def staircase_context(*, on: date) -> dict[str, Any]:
    """What the staircase figure (``catalog/_staircase_figure.html``: the chart and the table
    beside it) needs: two queries and one rendering, from this request's figures."""
    rows = staircase(on=on)
    return {
        "staircase_rows": rows,
        "staircase_totals": staircase_totals(rows),
        "staircase_chart": staircase_chart(rows),
        "staircase_on": on,
    }
