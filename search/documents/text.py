"""From a file's bytes to the text of a release: decoding, and the characters no release text may hold.

Decoding, in this order:
1. a byte-order mark declares UTF-8, UTF-16 or UTF-32: decoded as declared;
2. NUL bytes in the first 8 KB without a BOM: binary, not text;
3. valid UTF-8 (the archive's encoding); UTF-8 with a few broken bytes keeps the UTF-8, the broken bytes marked;
4. the German code pages, Windows-1252 and Latin-1, when the text they give reads as German: its non-ASCII
   characters are German letters, Western accents and typography ("„", "€", "–"), and most of its words with
   such letters are in the German word list. A short file gives charset-normalizer too little to tell the code
   pages apart ("Gespräch über Maßnahmen" came out as Mac-Icelandic "Gespr‰ch ¸ber Maþnahmen");
5. else what charset-normalizer detects (a Cyrillic or Central European code page).
Steps 3 (with broken bytes), 4 and 5 are guesses, and `Decoded.guessed` says so (the report lists them).

Release text never holds C0 control characters other than tab, newline and carriage return (XML 1.0 forbids
them, a feed built from them breaks, a terminal obeys them) nor lone surrogates (no UTF-8 can encode them):
`clean_text` removes the controls, replaces the surrogates with U+FFFD, and counts both.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ..german import lexicon
from ..german.normalize import fold
from .items import Note

SNIFF_BYTES = 8192  # where a NUL byte means binary
DETECT_BYTES = 200_000  # what charset-normalizer reads of a large file
BOMS = (  # UTF-32's little-endian BOM begins with UTF-16's: checked first
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
GERMAN_CODE_PAGES = (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (the same text in Windows-1252)"))
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
CP1252_ONLY = re.compile(rb"[\x80-\x9f]")  # typography in Windows-1252, control characters in Latin-1
GERMAN_LETTERS = "äöüÄÖÜß"
WESTERN_LETTERS = "àáâãåæçèéêëìíîïñòóôõøùúûýÿÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝ"
TYPOGRAPHY = "„“”‚‘’«»‹›–—…€§°·×±²³µ½¼¾©®™•\u00a0"
GERMAN_SHARE = 0.95  # of the non-ASCII characters: German letters, Western accents, typography
WORD_SHARE = 0.5  # of the words with non-ASCII letters: in the German word list
WORDS = re.compile(r"\w+")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as a reader names it: "UTF-8", "Windows-1252", "Latin-1", "cp1251"
    guessed: bool = False
    content_hash: str = ""  # of the bytes decoded (see `content_hash`)


def decode_text(data: bytes) -> Decoded | None:
    """The text of a file's bytes and how it was read (see the module doc); None for binary data."""
    found = _decode(data)
    return Decoded(*found, content_hash=content_hash(data)) if found else None


def decode(data: bytes) -> str | None:
    """The text of a file's bytes (see `decode_text`); None for binary data."""
    found = _decode(data)
    return found[0] if found else None


def _decode(data: bytes) -> tuple[str, str, bool] | None:
    """(text, encoding, guessed), or None for binary data."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), name, False
    if b"\x00" in data[:SNIFF_BYTES]:
        return None
    try:
        return data.decode("utf-8"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    if UTF8_MULTIBYTE.search(data):  # UTF-8 with a few broken bytes: keep the UTF-8, mark the broken bytes
        return data.decode("utf-8", errors="replace"), "UTF-8 with invalid bytes replaced", True
    return _german_code_page(data) or _detected(data)


def _german_code_page(data: bytes) -> tuple[str, str, bool] | None:
    for codec, name in GERMAN_CODE_PAGES:
        if codec == "cp1252" and not CP1252_ONLY.search(data):
            continue  # the same text as Latin-1: named that, the standard one
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if reads_as_german(text):
            return text, name, True
    return None


def _detected(data: bytes) -> tuple[str, str, bool] | None:
    best = from_bytes(data[:DETECT_BYTES]).best()
    if best is None or best.encoding in ("utf_16", "utf_32"):  # UTF-16/32 without a BOM: no text we can trust
        return None
    return data.decode(best.encoding, errors="replace"), best.encoding, True


def reads_as_german(text: str) -> bool:
    """Do the text's non-ASCII characters read as German: letters, accents and typography a German release
    uses, and words with them that the German word list knows?"""
    foreign = [ch for ch in text if not ch.isascii()]
    if not foreign:
        return True
    allowed = sum(ch in GERMAN_LETTERS or ch in WESTERN_LETTERS or ch in TYPOGRAPHY for ch in foreign)
    if allowed < GERMAN_SHARE * len(foreign):
        return False
    words = [word for word in WORDS.findall(text) if not word.isascii()]
    known = sum(lexicon.is_word(fold(word)) for word in words)
    return not words or known >= WORD_SHARE * len(words)


def clean_text(text: str) -> tuple[str, int, int]:
    """The text without C0 controls (but tab, newline, carriage return) and with lone surrogates replaced by
    U+FFFD; and how many controls and surrogates there were."""
    text, controls = CONTROLS.subn("", text)
    text, surrogates = SURROGATES.subn("\ufffd", text)
    return text, controls, surrogates


def cleaning_notes(source: str, controls: int, surrogates: int) -> list[Note]:
    """What `clean_text` removed from a release, as notes for the report."""
    notes = [Note(source, f"removed {controls} control characters", controls=controls)] if controls else []
    return notes + ([Note(source, f"replaced {surrogates} lone surrogates with U+FFFD")] if surrogates else [])


def content_hash(data: bytes) -> str:
    """A release's identity for an update: equal bytes, equal hash."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()
