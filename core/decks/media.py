"""Media files of a deck (pictures, sounds) as plain data, their markers in card text, and the
rules an imported file must meet: its type sniffed from its bytes, its size and count capped.

Cards keep their media as markers in the text, `[image: heart.png]` and `[sound: lub.mp3]`, with
the file's original name: CSV exports keep the reference for free, and each renderer resolves the
name through the deck's media (console: the name and its path; chats: the file itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

__all__ = [
    "ALLOWED_TYPES",
    "MAX_MEDIA_BYTES",
    "MAX_MEDIA_FILES",
    "MAX_MEDIA_TOTAL_BYTES",
    "UNUSED_MEDIA_AGE",
    "MediaFile",
    "MediaRef",
    "PrunedMedia",
    "image_marker",
    "media_names",
    "nameless_markers",
    "sniff_media_type",
    "sound_marker",
]

MAX_MEDIA_BYTES = 10 * 1024 * 1024  # one file: a large photo or a few minutes of speech
MAX_MEDIA_FILES = 2_000  # referenced files kept from one package
MAX_MEDIA_TOTAL_BYTES = 200 * 1024 * 1024  # all kept files of one package together
ALLOWED_TYPES = (
    *("image/png", "image/jpeg", "image/gif", "image/webp"),
    *("audio/mpeg", "audio/ogg", "audio/mp4", "audio/wav"),
)
# How long a file no deck names stays: an import writes its files before its deck's transaction
# commits, so a younger one may be about to be named (a large package parses for seconds).
UNUSED_MEDIA_AGE = timedelta(hours=1)
_M4A_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"dash")
_MARKER = re.compile(r"\[(?:image|sound): ([^\]\n]+)\]")
_MARKER_KIND = re.compile(r"\[(image|sound): [^\]\n]+\]")


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file a card refers to by `name`; `media_type` was sniffed from `data`, not declared."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A deck's file `name` (as its cards' markers say it) and where the media store keeps it."""

    name: str
    content_id: str  # what MediaStore.put returned: the same bytes give the same id
    media_type: str


@dataclass(frozen=True, slots=True)
class PrunedMedia:
    """What a prune of the media store deleted: how many files, how many bytes."""

    files: int
    size: int


def image_marker(name: str) -> str:
    return f"[image: {name}]"


def sound_marker(name: str) -> str:
    return f"[sound: {name}]"


def media_names(text: str) -> list[str]:
    """The file names the markers in `text` refer to, in order, each once."""
    return list(dict.fromkeys(match.group(1) for match in _MARKER.finditer(text)))


def nameless_markers(text: str) -> str:
    """`[image: heart.png]` → `[image]`: the markers as imports wrote them before media was kept,
    so a card keyed by its question's hash keeps its id (and its progress) on re-import."""
    return _MARKER_KIND.sub(r"[\1]", text)


def sniff_media_type(data: bytes) -> str | None:
    """The allowed type the leading bytes show, else None (SVG is refused: it can hold scripts)."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"  # Vorbis and Opus
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        return "audio/mp4"
    return None
