"""The dashboard's charts: Altair (Vega-Lite) rendered to SVG on the server by vl-convert,
drawn the way the staircase chart is (:mod:`heltid.catalog.charts`). A chart is an image for the
eye; every figure is also in the table beside it, which is what screen readers read."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from heltid.catalog.charts import (
    FONT,
    INK,
    OCCUPIED_COLOUR,
    WAITING_COLOUR,
    accessible_svg,
    render_svg,
)

logger = logging.getLogger(__name__)


def _finish(chart: Any, *, label: str) -> SafeString:
    chart = (
        chart.configure(aria=False, font=FONT)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12)
        .configure_legend(labelColor=INK, labelFontSize=12)
        .configure_view(stroke=None)
    )
    spec_json = json.dumps(chart.to_dict(validate=False), sort_keys=True)
    try:
        svg = render_svg(spec_json)
    except Exception:  # the table carries the figures; a failed drawing must not fail the page
        logger.exception("a dashboard chart could not be rendered")
        return mark_safe("")
    return accessible_svg(svg, label=label)


def bar_chart(
    rows: Sequence[tuple[str, float | int | None]], *, label: str, x_title: str, width: int = 360
) -> SafeString:
    """Horizontal bars, one per row, in the given order; rows without a value (suppressed or
    unknown) are left out of the drawing."""
    import altair as alt

    kept = [(name, n) for name, n in rows if n is not None]
    values = [{"label": name, "n": n} for name, n in kept]
    if not values:
        return mark_safe("")
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(color=OCCUPIED_COLOUR, stroke=INK, strokeWidth=0.5)
        .encode(
            y=alt.Y(
                "label:N",
                sort=[name for name, _n in kept],
                title=None,
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X("n:Q", title=x_title),
        )
        .properties(width=width, height=alt.Step(20), padding=8)
    )
    return _finish(chart, label=label)


def paired_bar_chart(
    rows: Sequence[tuple[str, int, int]],
    *,
    names: tuple[str, str],
    label: str,
    x_title: str,
    width: int = 360,
) -> SafeString:
    """Two bars per row (e.g. demand and supply), blue and orange-brown."""
    import altair as alt

    if not rows:
        return mark_safe("")
    first, second = names
    values: list[dict[str, Any]] = []
    for name, a, b in rows:
        values += [{"label": name, "bar": first, "n": a}, {"label": name, "bar": second, "n": b}]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(stroke=INK, strokeWidth=0.5)
        .encode(
            y=alt.Y(
                "label:N", sort=[r[0] for r in rows], title=None, axis=alt.Axis(labelLimit=260)
            ),
            yOffset=alt.YOffset("bar:N", sort=[first, second]),
            x=alt.X("n:Q", title=x_title),
            color=alt.Color(
                "bar:N",
                title=None,
                scale=alt.Scale(domain=[first, second], range=[WAITING_COLOUR, OCCUPIED_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=width, height=alt.Step(16), padding=8)
    )
    return _finish(chart, label=label)


def line_chart(
    points: Sequence[tuple[str, int | None]], *, label: str, y_title: str, width: int = 420
) -> SafeString:
    """A line over months (labels YYYY-MM); suppressed points are left out."""
    import altair as alt

    kept = [(m, n) for m, n in points if n is not None]
    values = [{"month": m, "n": n} for m, n in kept]
    if not values:
        return mark_safe("")
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_line(color=OCCUPIED_COLOUR, point=alt.OverlayMarkDef(color=OCCUPIED_COLOUR))
        .encode(
            x=alt.X("month:O", title=None, sort=[m for m, _n in kept]),
            y=alt.Y("n:Q", title=y_title),
        )
        .properties(width=width, height=200, padding=8)
    )
    return _finish(chart, label=label)


# Lines told apart by dash as well as colour (not by colour alone: WCAG 1.4.1).
SERIES_COLOURS = (OCCUPIED_COLOUR, WAITING_COLOUR, "#4d4d4d", "#1b7837", "#762a83", "#b35806")
SERIES_DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3), (4, 4), (1, 3))


def series_chart(
    series: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    *,
    label: str,
    y_title: str,
    width: int = 480,
) -> SafeString:
    """One line per named series over months (labels YYYY-MM), each with its own colour and
    dash, named in a legend."""
    import altair as alt

    values = [
        {"month": month, "n": n, "series": name} for name, points in series for month, n in points
    ]
    if not values:
        return mark_safe("")
    names = [name for name, _points in series]
    months = [m for m, _n in series[0][1]] if series else []
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_line()
        .encode(
            x=alt.X("month:O", title=None, sort=months, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("n:Q", title=y_title),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=names, range=list(SERIES_COLOURS[: len(names)])),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=320),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=names, range=[list(d) for d in SERIES_DASHES[: len(names)]]),
                legend=None,
            ),
        )
        .properties(width=width, height=220, padding=8)
    )
    return _finish(chart, label=label)


def band_chart(
    points: Sequence[tuple[str, float, float, float]],
    *,
    label: str,
    y_title: str,
    width: int = 480,
) -> SafeString:
    """The median as a line over a shaded band from the 10th to the 90th percentile."""
    import altair as alt

    values = [{"month": m, "low": low, "mid": mid, "high": high} for m, low, mid, high in points]
    if not values:
        return mark_safe("")
    months = [p[0] for p in points]
    base = alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
    x = alt.X("month:O", title=None, sort=months, axis=alt.Axis(labelAngle=-45))
    band = base.mark_area(color=OCCUPIED_COLOUR, opacity=0.25).encode(
        x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q"
    )
    line = base.mark_line(color=OCCUPIED_COLOUR).encode(x=x, y="mid:Q")
    return _finish(
        alt.layer(band, line).properties(width=width, height=220, padding=8), label=label
    )
