"""Versioned schema migrations: numbered SQL files `NNNN_name.sql` in the `migrations` folder.

Each pending file runs in its own transaction together with its `schema_version` row, in order,
so a crash leaves the database at a clean version and a rerun picks up where it stopped. A
database migrated by newer code than this is refused instead of being written with an old idea of
the schema.
"""

from __future__ import annotations

import sqlite3
import time

import aiosqlite

from adapters.storage.sql.migrations import (
    DatabaseTooNew,
    Migration,
    refuse_newer,
)
from adapters.storage.sql.migrations import known_migrations as _known_in

__all__ = [
    "DatabaseTooNew",
    "Migration",
    "apply_migrations",
    "known_migrations",
    "split_statements",
]

_CREATE_SCHEMA_VERSION = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL  -- milliseconds since the epoch, UTC
)
"""


def known_migrations() -> list[Migration]:
    """The SQLite migrations shipped with this code, in version order."""
    return _known_in("adapters.storage.sqlite")


def split_statements(script: str) -> list[str]:
    """The complete SQL statements of a script, so each runs inside our own transaction."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if _has_code(statement):
                statements.append(statement)
    if _has_code(buffer):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()!r}")
    return statements


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


async def apply_migrations(
    db: aiosqlite.Connection, migrations: list[Migration] | None = None
) -> list[str]:
    """Bring the database up to date; returns the names of the migrations applied now.

    `db` must be in autocommit mode (isolation_level=None): transactions are issued here.
    """
    pending = known_migrations() if migrations is None else migrations
    await db.execute(_CREATE_SCHEMA_VERSION)
    current = await _current_version(db)
    refuse_newer(current, pending)
    applied: list[str] = []
    for migration in pending:
        if migration.version > current and await _apply_one(db, migration):
            applied.append(migration.name)
    return applied


async def _current_version(db: aiosqlite.Connection) -> int:
    rows = list(await db.execute_fetchall("SELECT MAX(version) FROM schema_version"))
    value = rows[0][0] if rows else None
    return int(value) if value is not None else 0


async def _apply_one(db: aiosqlite.Connection, migration: Migration) -> bool:
    """Run one migration in its own transaction; False when another process got there first."""
    await db.execute("BEGIN IMMEDIATE")
    try:
        done = list(
            await db.execute_fetchall(
                "SELECT 1 FROM schema_version WHERE version = ?", (migration.version,)
            )
        )
        if done:
            await db.execute("ROLLBACK")
            return False
        for statement in split_statements(migration.sql):
            await db.execute(statement)
        await db.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, time.time_ns() // 1_000_000),
        )
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    return True
