"""Bytes to text for the text formats: UTF-8 with or without BOM, else UTF-16 with its BOM."""

from __future__ import annotations

import codecs
import re

from core.errors import DeckImportError

__all__ = ["decode_text"]

# Control characters other than tab and line breaks mean a binary file that happens to decode.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, source: str) -> str:
    """The text of `data`, or `DeckImportError` saying it is not text the bot can read."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DeckImportError(
            f"{source}: the file is not UTF-8 text (nor UTF-16 with a byte order mark); "
            "save it as UTF-8 and try again"
        ) from exc
    if _CONTROL_CHARS.search(text):
        raise DeckImportError(
            f"{source}: the file holds binary data, not text; "
            "send a CSV, text, Markdown, JSON or Anki (.apkg) file"
        )
    return text
