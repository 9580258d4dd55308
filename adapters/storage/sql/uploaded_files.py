"""The ids platforms gave the files a bot uploaded (`core.ports.UploadedFileRepository`), both
backends."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.storage.sql.codec import placeholders
from adapters.storage.sql.execution import Reader, Write

__all__ = ["SqlUploadedFileRepository"]

_KEEP = (
    "INSERT INTO uploaded_files (bot, content_key, file_id) VALUES (?, ?, ?)"
    " ON CONFLICT (bot, content_key) DO UPDATE SET file_id = excluded.file_id"
)


class SqlUploadedFileRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def file_ids(self, bot: str, content_keys: Sequence[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(content_keys))
        if not keys:
            return {}
        rows = await self._reader.execute_fetchall(
            "SELECT content_key, file_id FROM uploaded_files"
            f" WHERE bot = ? AND content_key IN ({placeholders(len(keys))})",
            (bot, *keys),
        )
        return {row[0]: row[1] for row in rows}

    def save(self, bot: str, content_key: str, file_id: str) -> None:
        self._staged.append(Write(_KEEP, (bot, content_key, file_id)))
