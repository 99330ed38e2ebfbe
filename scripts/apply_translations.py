"""Fill src/heltid/locale/sv/LC_MESSAGES/django.po from scripts/translations_sv.py."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations_sv import SV

PO = Path(__file__).resolve().parent.parent / "src/heltid/locale/sv/LC_MESSAGES/django.po"


def main() -> int:
    catalogue = polib.pofile(str(PO))
    catalogue.metadata["Language"] = "sv"
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in catalogue:
        value = SV.get(entry.msgid)
        if value is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()
    for msgid in missing:
        print(f"no Swedish translation: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
