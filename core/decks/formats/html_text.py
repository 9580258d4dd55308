"""Card fields written in HTML (Anki) as plain text: line breaks kept, media as markers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from core.decks.media import image_marker, media_names, sound_marker

__all__ = ["IMAGE", "SOUND", "has_media", "html_to_text"]

IMAGE = "[image]"
SOUND = "[sound]"
_SOUND_REF = re.compile(r"\[sound:([^\]]*)\]")
_BLOCKS = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}
_HIDDEN = {"script", "style"}
_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\xa0]+")
_BLOCK_BREAK = "\x00"  # "</div><div>" is one line break, not two
_BLOCK_BREAKS = re.compile(r"\x00+")
_MARKUP = re.compile(r"[<&]|\[sound:")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            src = (dict(attrs).get("src") or "").strip()
            self.parts.append(image_marker(src) if _is_file_name(src) else IMAGE)
        elif tag in ("audio", "video"):
            self.parts.append(SOUND)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_BREAK)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """`<br>` and block tags become new lines, entities are decoded, other tags dropped, images
    and sounds become markers naming their files (`[image: cat.png]`, `[sound: meow.mp3]`, else
    `[image]` / `[sound]`); runs of spaces shrink to one."""
    flat = html.replace(_BLOCK_BREAK, "").replace("\r\n", "\n").replace("\n", " ")
    if _MARKUP.search(flat):
        collector = _TextCollector()
        collector.feed(_SOUND_REF.sub(_sound, flat))
        collector.close()
        text = _BLOCK_BREAKS.sub("\n", "".join(collector.parts))
    else:  # plain text: most fields of most decks, and the parser is the slow part
        text = flat
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def has_media(text: str) -> bool:
    """Does text made by `html_to_text` hold a media placeholder or marker?"""
    return IMAGE in text or SOUND in text or bool(media_names(text))


def _sound(match: re.Match[str]) -> str:
    name = match.group(1).strip()
    return sound_marker(name) if _is_file_name(name) else SOUND


def _is_file_name(name: str) -> bool:
    """A name in the package's media, not a URL or a data: URI (those are not imported)."""
    return bool(name) and ":" not in name and "]" not in name and "\n" not in name
