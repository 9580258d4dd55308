"""The media files an Anki package holds for its cards, read from its `media` map.

The map names each zip member: legacy packages hold JSON (`{"0": "cat.png"}`), current ones
(`collection.anki21b`) a zstd-compressed protobuf list whose n-th entry is member `n`, and their
files are zstd-compressed one by one. Only files the cards refer to are kept; names are looked up,
never used as paths; each file's type is sniffed from its bytes and sizes and counts are capped
(core.decks.media), so a package that breaks a rule is refused as a whole, naming the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import zstandard

from adapters.deckfiles.package_zip import SafeZip
from adapters.deckfiles.protobuf import ProtobufError, proto_fields
from core.decks.media import (
    MAX_MEDIA_BYTES,
    MAX_MEDIA_FILES,
    MAX_MEDIA_TOTAL_BYTES,
    MediaFile,
    sniff_media_type,
)
from core.errors import DeckImportError
from core.texts import plural

__all__ = ["PackageMedia", "package_media"]

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MB = 1024 * 1024
_MAX_MAP_BYTES = 16 * _MB
_MAX_LISTED = 10


class PackageMedia:
    """The kept files and the summary's notices about missing and unreferenced ones."""

    def __init__(self, files: tuple[MediaFile, ...], notices: tuple[str, ...]) -> None:
        self.files = files
        self.notices = notices


def package_media(package: SafeZip, referenced: Iterable[str], source: str) -> PackageMedia:
    wanted = list(dict.fromkeys(referenced))
    members = _media_map(package, source)
    kept = [name for name in wanted if name in members]
    if len(kept) > MAX_MEDIA_FILES:
        raise DeckImportError(
            f"{source}: the cards refer to {plural(len(kept), 'media file')}; "
            f"the limit is {MAX_MEDIA_FILES:,}"
        )
    files: list[MediaFile] = []
    total = 0
    for name in kept:
        data = _member(package, members[name], name, source)
        media_type = sniff_media_type(data)
        if media_type is None:
            raise DeckImportError(
                f"{source}: the media file {name[:80]!r} is not a PNG, JPEG, GIF or WebP picture "
                "nor an MP3, OGG, M4A or WAV sound (its content decides, not its name)"
            )
        total += len(data)
        if total > MAX_MEDIA_TOTAL_BYTES:
            raise DeckImportError(
                f"{source}: the media files come to more than "
                f"{MAX_MEDIA_TOTAL_BYTES // _MB} MB; the limit is {MAX_MEDIA_TOTAL_BYTES // _MB} MB"
            )
        files.append(MediaFile(name, media_type, data))
    missing = [name for name in wanted if name not in members]
    unreferenced = sorted(set(members) - set(wanted))
    notices = (
        *_named(source, "the cards refer to {count} the package lacks", missing),
        *_named(source, "{count} no card refers to left out", unreferenced),
    )
    return PackageMedia(tuple(files), notices)


def _named(source: str, what: str, names: list[str]) -> tuple[str, ...]:
    if not names:
        return ()
    listed = ", ".join(names[:_MAX_LISTED])
    more = f" and {len(names) - _MAX_LISTED:,} more" if len(names) > _MAX_LISTED else ""
    return (f"{source}: {what.format(count=plural(len(names), 'media file'))}: {listed}{more}",)


def _media_map(package: SafeZip, source: str) -> dict[str, str]:
    """Original name → zip member name."""
    if not package.has("media"):
        return {}
    raw = package.read("media")
    if raw.startswith(_ZSTD_MAGIC):
        raw = _unzstd(raw, _MAX_MAP_BYTES, "media", source)
    if not raw.strip():
        return {}
    try:
        if raw.lstrip().startswith(b"{"):
            legacy = json.loads(raw)
            if not isinstance(legacy, dict):
                raise ValueError("not a map")
            return {str(name): str(member) for member, name in legacy.items()}
        return _current_map(raw)
    except (ValueError, ProtobufError, UnicodeDecodeError, RecursionError) as exc:
        raise DeckImportError(f"{source}: the package's media list is damaged") from exc


def _current_map(raw: bytes) -> dict[str, str]:
    names: dict[str, str] = {}
    for index, entry in enumerate(proto_fields(raw).get(1, [])):
        if not isinstance(entry, bytes):
            raise ProtobufError("an entry is not a message")
        fields = proto_fields(entry)
        name = fields.get(1, [b""])[0]
        if not isinstance(name, bytes):
            raise ProtobufError("a name is not a string")
        legacy_member = fields.get(255, [index])[0]
        names[name.decode("utf-8")] = str(legacy_member)
    return names


def _member(package: SafeZip, member: str, name: str, source: str) -> bytes:
    if not package.has(member):
        raise DeckImportError(f"{source}: the package's media list names a missing file ({name!r})")
    if package.size(member) > MAX_MEDIA_BYTES:  # refused before it is read
        raise _too_big(name, source)
    data = package.read(member)
    if data.startswith(_ZSTD_MAGIC):
        data = _unzstd(data, MAX_MEDIA_BYTES, name, source)
    if len(data) > MAX_MEDIA_BYTES:
        raise _too_big(name, source)
    return data


def _too_big(name: str, source: str) -> DeckImportError:
    return DeckImportError(
        f"{source}: the media file {name[:80]!r} is larger than {MAX_MEDIA_BYTES // _MB} MB, "
        "the limit for one file"
    )


def _unzstd(data: bytes, limit: int, name: str, source: str) -> bytes:
    """At most `limit` + 1 bytes: enough to tell a file over the limit."""
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            return reader.read(limit + 1)
    except zstandard.ZstdError as exc:
        raise DeckImportError(f"{source}: the package is damaged ({name[:80]!r})") from exc
