"""Reading one member of an untrusted zip archive in memory, with caps checked before reading.

Nothing is ever extracted by its name: members are looked up by the exact names the caller wants
and read into memory, and an archive whose entries could escape a folder (absolute paths, "..",
drive letters) or are links is refused outright, as a sign of a crafted file.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath

from core.errors import DeckImportError

__all__ = ["MAX_ENTRIES", "MAX_RATIO", "MAX_UNCOMPRESSED_BYTES", "SafeZip"]

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 100_000  # a package holds its collection plus one entry per media file
_MAX_END_RECORD = 22 + 0xFFFF  # the record plus the longest archive comment
MAX_RATIO = 200  # a SQLite file compresses ~10:1; zip bombs reach 1000:1 and more
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # encrypted members
    ValueError,
    EOFError,
    OSError,
    zlib.error,
)


class SafeZip:
    """An archive whose entries were checked for size, ratio, names and links."""

    def __init__(self, data: bytes, source: str, *, max_entries: int = MAX_ENTRIES) -> None:
        self._source = source
        if _most_entries(data) > max_entries:
            # zipfile would build an object per entry first: memory and time for every entry.
            raise DeckImportError(
                f"{source}: the package holds more than {max_entries:,} files; "
                f"the limit is {max_entries:,}"
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except ZIP_ERRORS as exc:
            raise DeckImportError(f"{source}: the package is not a readable zip archive") from exc
        if len(infos) > max_entries:
            raise DeckImportError(
                f"{source}: the package holds {len(infos):,} files; the limit is {max_entries:,}"
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DeckImportError(
                f"{source}: the package unpacks to {total / 1024 / 1024:.0f} MB; "
                f"the limit is {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB"
            )
        for info in infos:
            _check_entry(info, source)
        self._names = {info.filename: info for info in infos}

    def has(self, name: str) -> bool:
        return name in self._names

    def size(self, name: str) -> int:
        """The size the member's entry declares (`read` holds it to that)."""
        return self._names[name].file_size

    def read(self, name: str) -> bytes:
        """The member's bytes; it may not grow past the size its entry declares."""
        info = self._names[name]
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except ZIP_ERRORS as exc:
            raise DeckImportError(f"{self._source}: the package is damaged ({name})") from exc
        if len(data) != info.file_size:
            raise DeckImportError(f"{self._source}: the package is damaged ({name})")
        return data


def _most_entries(data: bytes) -> int:
    """An upper bound for the entries zipfile would read, from the end-of-central-directory
    record: its entry count, or the directory's size over the smallest entry (46 bytes), since
    zipfile reads the whole directory whatever the count says. 0 if there is no such record."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _MAX_END_RECORD))
    if end < 0 or len(data) < end + 22:
        return 0
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
    return max(count if count != 0xFFFF else 0, directory_size // 46)


def _check_entry(info: zipfile.ZipInfo, source: str) -> None:
    name = info.filename
    windows = PureWindowsPath(name)
    if (
        PurePosixPath(name).is_absolute()
        or windows.is_absolute()
        or windows.drive
        or ".." in PurePosixPath(name.replace("\\", "/")).parts
    ):
        raise DeckImportError(f"{source}: the package holds an unsafe path ({name[:80]!r})")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise DeckImportError(f"{source}: the package holds a link ({name[:80]!r})")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
        raise DeckImportError(
            f"{source}: the package is compressed suspiciously well ({name[:80]!r}); "
            "it may be a zip bomb"
        )
