"""A content-addressed media folder: a file is kept as `ab/abcdef…` (its SHA-256), never under
the name a deck gave it, so no name from a package ever becomes a path.

A file is written to a temporary name in its final folder and renamed into place, so a reader
never sees half a file. Files are written before the deck's transaction: if it fails, what is
left is only a file no deck names (the same bytes would get the same name next time), which
keeps the import all-or-nothing for everything a learner sees.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["MediaFolder"]

_CONTENT_ID = re.compile(r"[0-9a-f]{64}")


class MediaFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> str:
        content_id = hashlib.sha256(data).hexdigest()
        path = self._path(content_id)
        if path.exists():
            return content_id
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
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

    def _path(self, content_id: str) -> Path:
        if not _CONTENT_ID.fullmatch(content_id):
            raise ValueError(f"not a content id: {content_id[:80]!r}")
        return self.root / content_id[:2] / content_id
