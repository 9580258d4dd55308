"""PostgreSQL migrations: the files in `migrations/` (twins of the SQLite ones, same numbers),
applied in order, each in its own transaction with its `schema_version` row.

Several workers may start at once: a session-level advisory lock makes them take turns, so the
first migrates and the others find the database up to date. A database migrated by newer code is
refused before anything is written.
"""

from __future__ import annotations

import time

import asyncpg

from adapters.storage.sql.migrations import Migration, refuse_newer
from adapters.storage.sql.migrations import known_migrations as _known_in

__all__ = ["MIGRATION_LOCK", "apply_migrations", "known_migrations"]

# pg_advisory_lock's key for "migrating quizbot's schema" (any fixed 64-bit number; this one
# spells 'quizbot' in ASCII, so it is recognisable in pg_locks).
MIGRATION_LOCK = 0x71_75_69_7A_62_6F_74

_CREATE_SCHEMA_VERSION = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL  -- milliseconds since the epoch, UTC
)
"""


def known_migrations() -> list[Migration]:
    """The PostgreSQL migrations shipped with this code, in version order."""
    return _known_in("adapters.storage.postgres")


async def apply_migrations(
    db: asyncpg.Connection, migrations: list[Migration] | None = None
) -> list[str]:
    """Bring the database up to date under the migration lock; the names applied now."""
    pending = known_migrations() if migrations is None else migrations
    await db.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await db.execute(_CREATE_SCHEMA_VERSION)
        current = await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        refuse_newer(current, pending)
        applied: list[str] = []
        for migration in pending:
            if migration.version <= current:
                continue
            async with db.transaction():
                await db.execute(migration.sql)  # a script: asyncpg sends it as one simple query
                await db.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    time.time_ns() // 1_000_000,
                )
            applied.append(migration.name)
        return applied
    finally:
        await db.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
