"""Storage backends implementing `core.ports.Store`; pick one by database URL."""

from __future__ import annotations

from adapters.storage.sqlite.connection import connect, is_sqlite_url, sqlite_path
from adapters.storage.sqlite.migrate import DatabaseTooNew, apply_migrations
from adapters.storage.sqlite.store import SqliteStore
from core.ports import Store

__all__ = ["DatabaseTooNew", "SqliteStore", "open_store", "upgrade_database"]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://")


async def open_store(database_url: str) -> Store:
    """The store behind `database_url`: `sqlite+aiosqlite:///path.db`, `sqlite:///path.db` or a
    plain file path. The schema is migrated on open."""
    _refuse_unsupported(database_url)
    return await SqliteStore.open(database_url)


async def upgrade_database(database_url: str) -> list[str]:
    """Apply pending migrations (for `quizbot db upgrade`); returns the names applied."""
    _refuse_unsupported(database_url)
    db = await connect(sqlite_path(database_url))
    try:
        return await apply_migrations(db)
    finally:
        await db.close()


def _refuse_unsupported(database_url: str) -> None:
    if database_url.startswith(_POSTGRES_SCHEMES):
        raise NotImplementedError(
            "PostgreSQL storage is not available yet; use a sqlite+aiosqlite:///path.db URL"
        )
    if not is_sqlite_url(database_url):
        scheme = database_url.split("://", 1)[0]
        raise ValueError(f"unsupported database URL scheme {scheme!r}: use sqlite+aiosqlite:///…")
