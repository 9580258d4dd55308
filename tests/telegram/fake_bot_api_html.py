"""A strict parser for the Bot API's HTML parse mode, as the fake server uses it.

Accepts only the documented tags and entities; every `<`, `>` and `&` outside a tag must be
escaped. Returns the visible text and the entities (offsets in UTF-16 units), or raises
`EntityParseError` with a message in the style of Telegram's "can't parse entities".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EntityParseError", "ParsedText", "parse_html", "utf16_len"]

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_START = re.compile(
    r"<([a-zA-Z][a-zA-Z-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*>"
)
_END = re.compile(r"</([a-zA-Z][a-zA-Z-]*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")


class EntityParseError(ValueError):
    """The text is not valid Bot API HTML; the message follows "can't parse entities: "."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    offset: int
    extra: dict[str, str]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Visible text and entities of `source`, or EntityParseError."""
    out: list[str] = []
    units = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "<":
            pos = _tag(source, pos, units, stack, entities)
            continue
        if char == "&":
            decoded, pos = _entity(source, pos)
        elif char == ">":
            raise EntityParseError(f'unexpected ">" at byte offset {_byte_offset(source, pos)}')
        else:
            decoded, pos = char, pos + 1
        out.append(decoded)
        units += utf16_len(decoded)
    if stack:
        raise EntityParseError(f'can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return ParsedText("".join(out), entities)


def _byte_offset(source: str, pos: int) -> int:
    return len(source[:pos].encode("utf-8"))


def _entity(source: str, pos: int) -> tuple[str, int]:
    match = _ENTITY.match(source, pos)
    if match is None:
        raise EntityParseError(f'unescaped "&" at byte offset {_byte_offset(source, pos)}')
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED:
            raise EntityParseError(f'unsupported entity "&{name};"')
        return _NAMED[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(f"invalid character reference {match.group(0)}")
    return chr(code), match.end()


def _tag(
    source: str, pos: int, units: int, stack: list[_Open], entities: list[dict[str, Any]]
) -> int:
    offset = _byte_offset(source, pos)
    end = _END.match(source, pos)
    if end is not None:
        tag = end.group(1).lower()
        if not stack:
            raise EntityParseError(f'unexpected end tag "{tag}" at byte offset {offset}')
        if stack[-1].tag != tag:
            raise EntityParseError(
                f'unmatched end tag at byte offset {offset}, expected "</{stack[-1].tag}>", '
                f'found "</{tag}>"'
            )
        opened = stack.pop()
        length = units - opened.offset
        if length:
            kind = _ENTITY_TYPES[opened.tag]
            entities.append(
                {"type": kind, "offset": opened.offset, "length": length, **opened.extra}
            )
        return end.end()
    start = _START.match(source, pos)
    if start is None:
        raise EntityParseError(f'unescaped "<" or malformed tag at byte offset {offset}')
    tag = start.group(1).lower()
    attrs = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else (m.group(3) or "")
        for m in _ATTR.finditer(start.group(2))
    }
    stack.append(_Open(tag, units, _extra(tag, attrs, offset)))
    return start.end()


def _extra(tag: str, attrs: dict[str, str], offset: int) -> dict[str, str]:
    """Checks a start tag's name and attributes; returns the entity's extra fields."""
    if tag not in _ENTITY_TYPES:
        raise EntityParseError(f'unsupported start tag "{tag}" at byte offset {offset}')
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if tag == "a":
        if not attrs.get("href"):
            raise EntityParseError(f'tag "a" needs an href at byte offset {offset}')
        return {"url": attrs["href"]}
    if tag == "tg-emoji":
        if not attrs.get("emoji-id"):
            raise EntityParseError(f'tag "tg-emoji" needs an emoji-id at byte offset {offset}')
        return {"custom_emoji_id": attrs["emoji-id"]}
    return {}
