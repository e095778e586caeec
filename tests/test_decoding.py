"""Decoding input bytes: BOMs, UTF-8, legacy encodings, binary files."""

from __future__ import annotations

import codecs

import pytest

from cleankit.decoding import decode_bytes

TEXT = "The caf\u00e9 re-opened \u2014 \u201cfinally\u201d, said the owner."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-bom"),
        (TEXT.encode("utf-16"), "utf-16-bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-bom"),
        (TEXT.encode("utf-32"), "utf-32-bom"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_text_encodings(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_cyrillic_legacy_encoding_is_not_taken_for_cp1252():
    text = "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? " * 5
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.encoding != "cp1252"
    assert decoded.text is not None and "\u041f\u0440\u0438\u0432\u0435\u0442" in decoded.text


def test_empty():
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), bytes([1, 2, 3, 4, 5, 6]) * 50],
)
def test_binary_is_skipped_with_a_reason(data):
    decoded = decode_bytes(data)
    assert decoded.text is None and decoded.skipped and "binary" in decoded.skipped


def test_utf16_without_mark():
    text = "Plain words in UTF-16 without a mark.\n"
    assert decode_bytes(text.encode("utf-16-le")) == decode_bytes(text.encode("utf-16-le"))
    assert decode_bytes(text.encode("utf-16-le")).text == text
    assert decode_bytes(text.encode("utf-16-be")).encoding == "utf-16-be"
    assert decode_bytes(b"\x00\x01binary!").text is None
