"""A content-addressed media folder: a file is kept as `ab/abcdef…` (its SHA-256), never under
the name a deck gave it, so no name from a package ever becomes a path.

A file is written to a temporary name in its final folder and renamed into place, so a reader
never sees half a file. Files are written before the deck's transaction: if it fails, what is
left is only a file no deck names (the same bytes would get the same name next time), which
keeps the import all-or-nothing for everything a learner sees.

Files no deck names any more are deleted by `prune` once they are old enough. A file's
modification time says when it was last written or `put` again (a put of bytes already kept
touches the file), so an import that reuses an old unnamed file before its transaction commits
makes it young again. A prune moves a file aside (an atomic rename) before it looks at its time
once more and deletes it: a put that touched it first is seen there (the file goes back), and a
put that comes after finds no file and writes it anew.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Collection, Iterator
from datetime import datetime
from pathlib import Path

from core.decks.media import PrunedMedia

__all__ = ["MediaFolder"]

_CONTENT_ID = re.compile(r"[0-9a-f]{64}")
_PART = ".part-"  # a file being written
_ASIDE = ".prune-"  # a file a prune moved aside to decide on it


class MediaFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> str:
        content_id = hashlib.sha256(data).hexdigest()
        path = self._path(content_id)
        try:
            os.utime(path)  # kept already: written now, for `prune`
            return content_id
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_PART)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return content_id

    def get(self, content_id: str) -> bytes | None:
        path = self._path(content_id)
        return path.read_bytes() if path.is_file() else None

    def exists(self, content_id: str) -> bool:
        return self._path(content_id).is_file()

    def location(self, content_id: str) -> str:
        return str(self._path(content_id))

    def prune(self, keep: Collection[str], written_before: datetime) -> PrunedMedia:
        """Delete the files not in `keep` last written before `written_before` (and temporary
        files a crash left that long ago); files a crashed prune left aside go back first."""
        cutoff = written_before.timestamp()
        files = size = 0
        for path in self._entries():
            name = path.name
            if name.startswith(_ASIDE):
                _put_back(path)
            elif name.startswith(_PART):
                _delete_if_older(path, cutoff)
            elif _CONTENT_ID.fullmatch(name) and name not in keep:
                deleted = _delete_if_unused_since(path, cutoff)
                if deleted is not None:
                    files, size = files + 1, size + deleted
        return PrunedMedia(files, size)

    def _entries(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                yield from sorted(folder.iterdir())

    def _path(self, content_id: str) -> Path:
        if not _CONTENT_ID.fullmatch(content_id):
            raise ValueError(f"not a content id: {content_id[:80]!r}")
        return self.root / content_id[:2] / content_id


def _delete_if_unused_since(path: Path, cutoff: float) -> int | None:
    """Delete the file if it was last written before `cutoff`: its size, or None if it stays
    (young, put again meanwhile, or taken by another prune)."""
    aside = path.with_name(_ASIDE + path.name)
    try:
        if path.stat().st_mtime >= cutoff:
            return None
        os.rename(path, aside)  # from here on a put writes the file anew
        written = aside.stat()
        if written.st_mtime >= cutoff:  # a put touched it before the rename
            os.replace(aside, path)
            return None
        aside.unlink()
    except FileNotFoundError:
        return None  # another prune moved it first (and decides on it)
    return written.st_size


def _delete_if_older(path: Path, cutoff: float) -> None:
    try:
        if path.stat().st_mtime < cutoff:
            path.unlink()
    except FileNotFoundError:
        pass


def _put_back(aside: Path) -> None:
    """A file a prune moved aside and did not finish with: back in place (a later prune decides
    on it again), or dropped when the same bytes were written there since."""
    path = aside.with_name(aside.name.removeprefix(_ASIDE))
    try:
        if path.exists():
            aside.unlink()
        else:
            os.replace(aside, path)
    except FileNotFoundError:
        pass  # its prune finished meanwhile
