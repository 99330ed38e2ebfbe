"""Chart axes write numbers as the page's language does: 1 000 000 in Swedish."""

from __future__ import annotations

import json
import re

from django.utils import translation

from heltid.catalog.charts import render_svg

SPEC = {
    "data": {"values": [{"a": "x", "b": 2_500_000}]},
    "mark": "bar",
    "encoding": {
        "y": {"field": "a", "type": "nominal"},
        "x": {"field": "b", "type": "quantitative"},
    },
}


def _labels(svg: str) -> list[str]:
    return re.findall(r">([0-9][^<]*)<", svg)


def test_render_svg__swedish_and_english_number_format() -> None:
    spec = json.dumps(SPEC)
    with translation.override("sv"):
        assert "2\u00a0000\u00a0000" in _labels(render_svg(spec))
    with translation.override("en"):
        assert "2,000,000" in _labels(render_svg(spec))
