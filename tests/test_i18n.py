"""Swedish is the default and every source string has a Swedish translation; our own .po → .mo
compiler (heltid.i18n_compile, standard library only) writes catalogues that Python's gettext
reads back entry for entry."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

import heltid
from heltid import i18n_compile

PO = Path(heltid.__file__).parent / "locale/sv/LC_MESSAGES/django.po"


def _load(mo: Path) -> gettext.GNUTranslations:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_every_message__has_a_swedish_translation() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert len(catalogue) > 100


def test_compiled_catalogue__is_current() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run make install (compiles the catalogues)"
    fresh = i18n_compile.mo_bytes(i18n_compile.parse_po(PO.read_text(encoding="utf-8")))
    assert mo.read_bytes() == fresh, "run make install to recompile the catalogues"


def test_real_catalogue__every_translated_entry_round_trips(tmp_path: Path) -> None:
    """polib reads the .po (an independent parser); gettext reads what we compiled."""
    mo = tmp_path / "django.mo"
    i18n_compile.compile_file(PO, mo)
    compiled = _load(mo)
    assert compiled.info()["language"] == "sv"
    assert compiled.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    checked = plurals = 0
    for entry in polib.pofile(str(PO)).translated_entries():
        if entry.msgid_plural:
            plurals += 1
            for n, form in ((1, 0), (2, 1), (5, 1)):
                if entry.msgctxt:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                assert got == entry.msgstr_plural[form], (entry.msgid, n)
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
        checked += 1
    assert checked > 1000 and plurals > 10


SAMPLE = r"""# A header, fuzzy as makemessages leaves it: compiled all the same.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: test\n"
"POT-Creation-Date: 2026-01-01 00:00+0100\n"
"Language: sv\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: somewhere.py
#, python-format
msgid "Hello %(name)s"
msgstr "Hej %(name)s"

msgctxt "month"
msgid "May"
msgstr "maj"

msgctxt "verb"
msgid "May"
msgstr "får"

msgid "May"
msgstr "Maj"

msgid "%(n)s place"
msgid_plural "%(n)s places"
msgstr[0] "%(n)s plats"
msgstr[1] "%(n)s platser"

msgctxt "seats"
msgid "%(n)s free"
msgid_plural "%(n)s free"
msgstr[0] "%(n)s ledig"
msgstr[1] "%(n)s lediga"

msgid ""
"A long text "
"over lines"
msgstr ""
"En lång text "
"över rader"

msgid "Quote \" tab \t newline \n backslash \\ end"
msgstr "Citat \" tab \t radbrytning \n bakstreck \\ slut"

msgid "Octal and hex"
msgstr "\303\244 och \xc3\xb6"

#, fuzzy
#| msgid "Old text"
msgid "Fuzzy text"
msgstr "Luddig text"

msgid "Untranslated"
msgstr ""

msgid "Half a plural"
msgid_plural "Half plurals"
msgstr[0] "Halv"
msgstr[1] ""

#, fuzzy
#~ msgid "Obsolete"
#~ msgstr "Föråldrad"
msgid "After the obsolete one"
msgstr "Efter den föråldrade"
"""


@pytest.fixture
def sample(tmp_path: Path) -> gettext.GNUTranslations:
    po = tmp_path / "sample.po"
    po.write_text(SAMPLE, encoding="utf-8")
    i18n_compile.compile_file(po, tmp_path / "sample.mo")
    return _load(tmp_path / "sample.mo")


def test_compiler__contexts_plurals_and_multiline_strings(
    sample: gettext.GNUTranslations,
) -> None:
    assert sample.gettext("Hello %(name)s") == "Hej %(name)s"
    assert sample.pgettext("month", "May") == "maj"
    assert sample.pgettext("verb", "May") == "får"
    assert sample.gettext("May") == "Maj"
    assert sample.ngettext("%(n)s place", "%(n)s places", 1) == "%(n)s plats"
    assert sample.ngettext("%(n)s place", "%(n)s places", 3) == "%(n)s platser"
    assert sample.npgettext("seats", "%(n)s free", "%(n)s free", 2) == "%(n)s lediga"
    assert sample.gettext("A long text over lines") == "En lång text över rader"


def test_compiler__escapes(sample: gettext.GNUTranslations) -> None:
    quoted = sample.gettext('Quote " tab \t newline \n backslash \\ end')
    assert quoted == 'Citat " tab \t radbrytning \n bakstreck \\ slut'
    assert sample.gettext("Octal and hex") == "ä och ö"  # escapes are UTF-8 bytes


def test_compiler__skips_fuzzy_obsolete_and_untranslated(sample: gettext.GNUTranslations) -> None:
    assert sample.gettext("Fuzzy text") == "Fuzzy text"
    assert sample.gettext("Untranslated") == "Untranslated"
    assert sample.ngettext("Half a plural", "Half plurals", 2) == "Half plurals"
    assert sample.gettext("Obsolete") == "Obsolete"
    assert sample.gettext("After the obsolete one") == "Efter den föråldrade"  # not fuzzy


def test_compiler__keeps_the_header_without_its_creation_date(
    sample: gettext.GNUTranslations,
) -> None:
    info = sample.info()
    assert info["language"] == "sv" and info["project-id-version"] == "test"
    assert "pot-creation-date" not in info  # as GNU msgfmt: same strings, same bytes


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('msgid "a"\nmsgstr "b\n', "expected a quoted string"),
        ('msgid "a"\nmsgstr "\\q"\n', "unknown escape"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "duplicate entry"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n', "plural forms"),
        ('msgstr "b"\n', "before msgid"),
        ('msgid "a"\nmsgtext "b"\n', "unknown keyword"),
    ],
)
def test_compiler__refuses_a_broken_file_naming_the_line(text: str, complaint: str) -> None:
    with pytest.raises(i18n_compile.PoError, match=complaint) as caught:
        i18n_compile.mo_bytes(i18n_compile.parse_po(text, name="broken.po"), name="broken.po")
    assert "broken.po:" in str(caught.value)
