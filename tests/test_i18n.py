"""Swedish is the default and every source string has a Swedish translation."""

from __future__ import annotations

from pathlib import Path

import polib

import heltid

PO = Path(heltid.__file__).parent / "locale/sv/LC_MESSAGES/django.po"


def test_every_message__has_a_swedish_translation() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert len(catalogue) > 100


def test_compiled_catalogue__is_current() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run make install (compiles the catalogues)"
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo)) if not e.msgid_plural}
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if e.msgstr and not e.msgid_plural}
    stale = {k: v for k, v in source.items() if compiled.get(k) != v}
    assert stale == {}, "run make install to recompile the catalogues"
