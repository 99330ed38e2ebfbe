"""Test setup for heltid.rules (pure Python; runs without Django settings)."""

from __future__ import annotations

import sys
from pathlib import Path

# heltid.rules is pure Python: make src/ importable even when the project is
# not installed, so these tests also run with `-p no:django`.
_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))
