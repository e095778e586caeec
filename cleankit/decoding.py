"""Turning the bytes of an input file into text, and saying how it was done."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13}))
_SNIFF = 8192
#: A Western text has few accented letters; cp1251 or cp1253 bytes read as cp1252 have
#: mostly accented ones. Above this share, cp1252 is not trusted.
_MAX_ACCENTED_SHARE = 0.3


@dataclass(frozen=True)
class Decoded:
    """The result of decoding: the text and its encoding, or why it was skipped."""

    text: str | None
    encoding: str | None
    skipped: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode an input file.

    Order of attempts: a byte-order mark; a binary check (NUL or many control bytes:
    skipped with a reason, unless it is UTF-16 without a mark); strict UTF-8; cp1252 when
    it reads as plausible Western text (short texts defeat statistical detection, and
    cp1252 is the usual legacy encoding of English); otherwise charset-normalizer's guess.

    >>> decode_bytes("café".encode("cp1252"))
    Decoded(text='café', encoding='cp1252', skipped=None)
    """
    if not data:
        return Decoded("", "utf-8")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding.replace("-sig", "") + "-bom")
            except UnicodeDecodeError:
                break
    head = data[:_SNIFF]
    if b"\x00" in head:
        utf16 = _utf16_without_mark(data)
        if utf16 is not None:
            return utf16
        return Decoded(None, None, "binary file: contains NUL bytes")
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) * 0.1:
        return Decoded(None, None, "binary file: mostly control bytes")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    western = _plausible_cp1252(data)
    if western is not None:
        return Decoded(western, "cp1252")
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        return Decoded(None, None, "not text: no known encoding decodes it")
    return Decoded(str(guess), guess.encoding)


def _utf16_without_mark(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark: NULs in one byte column, printable result."""
    head = data[:_SNIFF]
    if len(data) % 2 or len(head) < 8:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if max(even, odd) < half * 0.3 or min(even, odd) > max(even, odd) * 0.1:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:_SNIFF]):
        return None
    return Decoded(text, encoding)


def _plausible_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = accented = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if not ch.isascii():
                accented += 1
    if letters and accented / letters > _MAX_ACCENTED_SHARE:
        return None
    return text
