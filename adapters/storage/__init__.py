"""Storage backends implementing `core.ports.Store`; pick one by database URL."""

from __future__ import annotations

from adapters.storage.postgres.connection import is_postgres_url
from adapters.storage.postgres.store import PostgresStore, upgrade_postgres
from adapters.storage.sql.errors import DatabaseTooNew, DatabaseUnreachable, StorageError
from adapters.storage.sqlite.connection import connect, is_sqlite_url, sqlite_path
from adapters.storage.sqlite.migrate import apply_migrations
from adapters.storage.sqlite.store import SqliteStore
from core.ports import Store

__all__ = [
    "DatabaseTooNew",
    "DatabaseUnreachable",
    "PostgresStore",
    "SqliteStore",
    "StorageError",
    "open_store",
    "upgrade_database",
]


async def open_store(database_url: str) -> Store:
    """The store behind `database_url`: `postgresql+asyncpg://user@host:port/db` (or
    `postgresql://…`, `postgres://…`); `sqlite+aiosqlite:///path.db`, `sqlite:///path.db` or a
    plain file path. The schema is migrated on open."""
    if is_postgres_url(database_url):
        return await PostgresStore.open(database_url)
    _refuse_unsupported(database_url)
    return await SqliteStore.open(database_url)


async def upgrade_database(database_url: str) -> list[str]:
    """Apply pending migrations (for `quizbot db upgrade`); returns the names applied."""
    if is_postgres_url(database_url):
        return await upgrade_postgres(database_url)
    _refuse_unsupported(database_url)
    db = await connect(sqlite_path(database_url))
    try:
        return await apply_migrations(db)
    finally:
        await db.close()


def _refuse_unsupported(database_url: str) -> None:
    if not is_sqlite_url(database_url):
        scheme = database_url.split("://", 1)[0]
        raise ValueError(
            f"unsupported database URL scheme {scheme!r}:"
            " use sqlite+aiosqlite:///… or postgresql+asyncpg://…"
        )
