"""Raw rows of a SQL store's committed data, for the few assertions the port has no read for
(counts of the review log's and the deck tables' rows): through a connection of their own, on
either backend. The one place tests outside tests/adapters read a database directly."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import asyncpg

from adapters.storage.postgres.store import PostgresStore
from adapters.storage.sqlite.store import SqliteStore
from tests.postgres import run_apart

__all__ = ["committed_rows"]


def committed_rows(store: object, sql: str) -> list[tuple[Any, ...]]:
    """`sql` (no parameters, same text on both engines) run on the store's database (a store,
    a PostgreSQL URL, or the path of a SQLite file a `quizbot` process wrote)."""
    if isinstance(store, str):
        return run_apart(_fetch(store, sql))
    if isinstance(store, SqliteStore | Path):
        path = store.path if isinstance(store, SqliteStore) else store
        with closing(sqlite3.connect(path)) as db:
            return db.execute(sql).fetchall()
    if isinstance(store, PostgresStore):
        return run_apart(_fetch(store.database_url, sql))
    raise TypeError(f"not a SQL store: {store!r}")


async def _fetch(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    db = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return [tuple(row) for row in await db.fetch(sql)]
    finally:
        await db.close()
