"""Photos as Telegram checks them: a real PNG or JPEG, at most 10 MB, width + height at most
10,000 pixels and the sides at most 20 times apart; and `png` to make a real one in tests."""

from __future__ import annotations

import struct
import zlib

__all__ = ["MAX_PHOTO_BYTES", "photo_size", "png"]

MAX_PHOTO_BYTES = 10 * 1024 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def photo_size(content: bytes) -> tuple[int, int]:
    """The photo's width and height; ValueError with Telegram's answer when it refuses it."""
    if len(content) > MAX_PHOTO_BYTES:
        raise ValueError("Bad Request: file is too big")
    size = _png_size(content) or _jpeg_size(content)
    if size is None:
        raise ValueError("Bad Request: IMAGE_PROCESS_FAILED")
    width, height = size
    if width < 1 or height < 1 or width + height > 10_000 or max(size) > 20 * min(size):
        raise ValueError("Bad Request: PHOTO_INVALID_DIMENSIONS")
    return size


def png(width: int, height: int) -> bytes:
    """A real, white PNG of the given size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff" * width for _ in range(height)))
    return _PNG_MAGIC + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png_size(content: bytes) -> tuple[int, int] | None:
    if not content.startswith(_PNG_MAGIC) or content[12:16] != b"IHDR" or len(content) < 24:
        return None
    try:
        zlib.decompress(_idat(content))  # a header alone is not an image
    except (zlib.error, ValueError):
        return None
    width, height = struct.unpack(">II", content[16:24])
    return int(width), int(height)


def _idat(content: bytes) -> bytes:
    data, at = b"", 8
    while at + 8 <= len(content):
        (length,) = struct.unpack(">I", content[at : at + 4])
        kind = content[at + 4 : at + 8]
        if kind == b"IDAT":
            data += content[at + 8 : at + 8 + length]
        at += 12 + length
    if not data:
        raise ValueError("no image data")
    return data


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    if not content.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 9 < len(content) and content[at] == 0xFF:
        marker, (length,) = content[at + 1], struct.unpack(">H", content[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + length
    return None
