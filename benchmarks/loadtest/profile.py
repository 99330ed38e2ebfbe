"""Where each page's time goes, from a py-spy profile of gunicorn's workers in the raw (collapsed
stacks) format that ``LOADTEST_PROFILE`` records (``--idle``: waiting counts too)::

    python -m benchmarks.loadtest.profile profile.txt [--views 5] [--functions 8]

Per view function, slowest total first: its samples and share, how much of it is waiting for
PostgreSQL, rendering templates and building SQL in Django's ORM, and the Heltid functions it
spends the most samples in (inclusive: a function and what it calls).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
# Buckets of a view's samples, by the frames on the stack (first match wins).
BUCKETS = (
    ("database", ("psycopg",)),
    ("templates", ("django/template/",)),
    ("ORM", ("django/db/models/",)),
)


def _frames(stack: str) -> list[tuple[str, str]]:
    out = []
    for frame in stack.split(";"):
        match = FRAME.match(frame.strip())
        if match:
            out.append((match.group("function"), match.group("file")))
    return out


def _name(function: str, file: str) -> str:
    """heltid/registry/views.py + person_page → registry.views.person_page."""
    path = file.split("heltid/", 1)[-1].removesuffix(".py").replace("/", ".")
    return f"{path}.{function}"


def _view(frames: list[tuple[str, str]]) -> int | None:
    """The index of the view function on the stack: the first Heltid frame in a views module."""
    for i, (_function, file) in enumerate(frames):
        if "heltid/" in file and "views" in file.rsplit("heltid/", 1)[-1]:
            return i
    return None


def summary(text: str, *, views: int = 5, functions: int = 8) -> str:
    samples: Counter[str] = Counter()
    buckets: dict[str, Counter[str]] = defaultdict(Counter)
    inside: dict[str, Counter[str]] = defaultdict(Counter)
    for line in text.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = _frames(stack)
        at = _view(frames)
        if at is None:
            continue
        view = _name(*frames[at])
        samples[view] += count
        below = frames[at + 1 :]
        bucket = next(
            (name for name, marks in BUCKETS if any(m in f for _fn, f in below for m in marks)),
            "Python",
        )
        buckets[view][bucket] += count
        for seen in {_name(fn, f) for fn, f in below if "heltid/" in f}:
            inside[view][seen] += count
    total = sum(samples.values())
    if not total:
        return "profile: no samples inside a view"
    lines = [f"\nwhere the time goes ({total} samples inside views; waiting included):"]
    for view, count in samples.most_common(views):
        parts = ", ".join(
            f"{name} {100 * n / count:.0f} %" for name, n in buckets[view].most_common()
        )
        lines.append(f"  {view}: {count} samples ({100 * count / total:.0f} %): {parts}")
        for function, n in inside[view].most_common(functions):
            lines.append(f"      {100 * n / count:5.1f} %  {function}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--views", type=int, default=5)
    parser.add_argument("--functions", type=int, default=8)
    options = parser.parse_args(argv)
    text = options.profile.read_text(encoding="utf-8")
    print(summary(text, views=options.views, functions=options.functions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
