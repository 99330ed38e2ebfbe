"""Compile gettext catalogues (.po → .mo) with the standard library only.

No system gettext and no third-party package: ``make install`` runs this on the source tree
(``python -m heltid.i18n_compile``), and the setuptools build hook in ``setup.py`` loads this
file by its path to compile the catalogues into the wheel (heltid itself is not importable in
the isolated build environment, so this module imports nothing from heltid).

What is compiled, as GNU msgfmt does: every translated entry, with its context (msgctxt) and
plural forms; the header entry (msgid ""), fuzzy or not, since it carries the charset and the
plural rule. Skipped: fuzzy entries, obsolete entries (``#~``), untranslated ones, and plural
entries with any form untranslated (the English source is better than an empty string).
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "\\": "\\",
    "'": "'",
    "?": "?",
}
_OCTAL = "01234567"
_HEX = "0123456789abcdefABCDEF"
_KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")


class PoError(ValueError):
    """The .po file cannot be read; the message names the file and line."""


@dataclass
class Message:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return self.msgstr != ""

    def key(self) -> str:
        """The original string as stored in the .mo file."""
        key = self.msgid
        if self.msgid_plural is not None:
            key = f"{key}\0{self.msgid_plural}"
        if self.msgctxt is not None:
            key = f"{self.msgctxt}{CONTEXT_SEPARATOR}{key}"
        return key

    def value(self) -> str:
        """The translation as stored in the .mo file (plural forms separated by NUL)."""
        if self.msgid_plural is not None:
            return "\0".join(self.msgstr_plural[n] for n in sorted(self.msgstr_plural))
        return self.msgstr


def _escape(body: str, i: int, where: str) -> tuple[bytes, int]:
    """The bytes of the escape sequence at ``body[i]`` (a backslash), and where it ends."""
    if i + 1 >= len(body):
        raise PoError(f"{where}: the string ends in a lone backslash")
    nxt = body[i + 1]
    if nxt in _ESCAPES:
        return _ESCAPES[nxt].encode("utf-8"), i + 2
    if nxt in _OCTAL:
        end = i + 2
        while end < min(i + 4, len(body)) and body[end] in _OCTAL:
            end += 1
        return bytes([int(body[i + 1 : end], 8) & 0xFF]), end
    if nxt == "x":
        end = i + 2
        while end < len(body) and body[end] in _HEX:
            end += 1
        if end == i + 2:
            raise PoError(f"{where}: \\x without hex digits")
        return bytes([int(body[i + 2 : end], 16) & 0xFF]), end
    raise PoError(f"{where}: unknown escape \\{nxt}")


def unquote(text: str, *, where: str) -> str:
    """The value of one quoted .po string, its C escapes resolved (octal and hex escapes are
    bytes of the UTF-8 encoding, as in GNU gettext)."""
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise PoError(f"{where}: expected a quoted string, got {text!r}")
    body = text[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char == '"':
            raise PoError(f"{where}: unescaped quote inside {text!r}")
        if char == "\\":
            escaped, i = _escape(body, i, f"{where}: in {text!r}")
            out += escaped
        else:
            out += char.encode("utf-8")
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise PoError(f"{where}: escapes that are not UTF-8 in {text!r}") from None


class _Parser:
    """A line-by-line state machine over the .po grammar (GNU gettext manual, "PO Files")."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.messages: list[Message] = []
        self.current: Message | None = None
        self.fuzzy_pending = False
        self.field: tuple[str, int | None] | None = None  # what continuation lines extend

    def where(self, number: int) -> str:
        return f"{self.name}:{number}"

    def finish(self) -> None:
        if self.current is not None:
            self.messages.append(self.current)
        self.current = None
        self.field = None

    def after_msgstr(self) -> bool:
        return self.field is not None and self.field[0] == "msgstr"

    def comment(self, line: str) -> None:
        if self.after_msgstr():
            self.finish()  # a comment after msgstr belongs to the next entry
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
            self.fuzzy_pending = self.fuzzy_pending or "fuzzy" in flags

    def obsolete(self) -> None:
        if self.after_msgstr():
            self.finish()
        self.fuzzy_pending = False  # the comments before it were the obsolete entry's

    def keyword(self, line: str, number: int) -> None:
        word, _, rest = line.partition(" ")
        index: int | None = None
        if word.startswith("msgstr[") and word.endswith("]"):
            try:
                index = int(word[len("msgstr[") : -1])
            except ValueError:
                raise PoError(f"{self.where(number)}: bad plural index in {word!r}") from None
            word = "msgstr"
        if word not in _KEYWORDS:
            raise PoError(f"{self.where(number)}: unknown keyword {word!r}")
        value = unquote(rest, where=self.where(number))
        # msgctxt always begins an entry; msgid does unless it follows that entry's msgctxt
        begins = word == "msgctxt" or (
            word == "msgid" and (self.field is None or self.field[0] != "msgctxt")
        )
        if begins:
            self.finish()
            self.current = Message(msgid="", fuzzy=self.fuzzy_pending, line=number)
            self.fuzzy_pending = False
        message = self.current
        if message is None:
            raise PoError(f"{self.where(number)}: {word} before msgid")
        if word == "msgctxt":
            message.msgctxt = value
        elif word == "msgid":
            message.msgid = value
        elif word == "msgid_plural":
            message.msgid_plural = value
        elif index is None:
            message.msgstr = value
        else:
            if index in message.msgstr_plural:
                raise PoError(f"{self.where(number)}: msgstr[{index}] given twice")
            message.msgstr_plural[index] = value
        self.field = (word, index)

    def continuation(self, line: str, number: int) -> None:
        if self.current is None or self.field is None:
            raise PoError(f"{self.where(number)}: a string outside any entry")
        value = unquote(line, where=self.where(number))
        word, index = self.field
        message = self.current
        if word == "msgctxt":
            message.msgctxt = (message.msgctxt or "") + value
        elif word == "msgid":
            message.msgid += value
        elif word == "msgid_plural":
            message.msgid_plural = (message.msgid_plural or "") + value
        elif index is None:
            message.msgstr += value
        else:
            message.msgstr_plural[index] += value


def parse_po(text: str, *, name: str = "<po>") -> list[Message]:
    """Every entry of a .po file, obsolete ones left out, in file order."""
    parser = _Parser(name)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if parser.after_msgstr():
                parser.finish()
        elif line.startswith("#~"):
            parser.obsolete()
        elif line.startswith("#"):
            parser.comment(line)
        elif line.startswith('"'):
            parser.continuation(line, number)
        else:
            parser.keyword(line, number)
    parser.finish()
    return parser.messages


def _charset(header: str) -> str:
    for line in header.split("\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type" and "charset=" in value:
            return value.split("charset=", 1)[1].split(";")[0].strip() or "UTF-8"
    return "UTF-8"


def _reproducible(header: Message) -> Message:
    """The header without POT-Creation-Date, as GNU msgfmt writes it: the same catalogue
    compiles to the same bytes whenever its strings were extracted."""
    lines = header.msgstr.split("\n")
    kept = "\n".join(line for line in lines if not line.startswith("POT-Creation-Date:"))
    return Message(msgid="", msgstr=kept, line=header.line)


def mo_bytes(messages: list[Message], *, name: str = "<po>") -> bytes:
    """A GNU .mo file (little-endian, no hash table) of the entries that are to be compiled."""
    chosen: dict[str, str] = {}
    charset = "UTF-8"
    for message in messages:
        if message.is_header:
            charset = _charset(message.msgstr)  # fuzzy or not, as GNU msgfmt does
            message = _reproducible(message)
        elif message.fuzzy:
            continue
        if message.msgid_plural is not None:
            if message.msgstr:
                raise PoError(f"{name}:{message.line}: a plural entry with a plain msgstr")
            if message.msgstr_plural and sorted(message.msgstr_plural) != list(
                range(len(message.msgstr_plural))
            ):
                raise PoError(f"{name}:{message.line}: plural forms must be msgstr[0], [1], …")
        if not message.translated:
            continue
        key = message.key()
        if key in chosen:
            raise PoError(f"{name}:{message.line}: duplicate entry {message.msgid!r}")
        chosen[key] = message.value()
    encoded = sorted((k.encode(charset), v.encode(charset)) for k, v in chosen.items())
    count = len(encoded)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals = b""
    translations = b""
    data = b""
    for key_bytes, _value in encoded:
        originals += struct.pack("<2I", len(key_bytes), data_at + len(data))
        data += key_bytes + b"\0"
    for _key, value_bytes in encoded:
        translations += struct.pack("<2I", len(value_bytes), data_at + len(data))
        data += value_bytes + b"\0"
    header = struct.pack(
        "<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, data_at
    )  # magic, revision, count, originals, translations, hash size (none), hash offset
    return header + originals + translations + data


def compile_file(po_path: Path, mo_path: Path) -> int:
    """Compile one catalogue; returns how many entries were written (the header included)."""
    text = po_path.read_text(encoding="utf-8")
    messages = parse_po(text, name=str(po_path))
    header = next((m for m in messages if m.is_header), None)
    if header is not None and _charset(header.msgstr).lower().replace("-", "") != "utf8":
        raise PoError(f"{po_path}: only UTF-8 catalogues are supported")
    data = mo_bytes(messages, name=str(po_path))
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    mo_path.write_bytes(data)
    count: int = struct.unpack_from("<I", data, 8)[0]
    return count


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        compile_file(po_path, mo_path)
        written.append(mo_path)
    return written


def main(argv: list[str]) -> int:
    locale_dir = Path(argv[0]) if argv else LOCALE_DIR
    for path in compile_all(locale_dir):
        print(f"compiled {path.relative_to(locale_dir.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
