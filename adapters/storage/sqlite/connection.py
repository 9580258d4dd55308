"""Opening SQLite files: database URLs, PRAGMAs, and the writer and reader connections."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite

__all__ = ["connect", "connect_sync", "is_sqlite_url", "sqlite_path"]

_SQLITE_SCHEMES = ("sqlite+aiosqlite://", "sqlite://")

_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def is_sqlite_url(database_url: str) -> bool:
    """A `sqlite://` / `sqlite+aiosqlite://` URL, or a plain file path (anything without `://`)."""
    return database_url.startswith(_SQLITE_SCHEMES) or "://" not in database_url


def sqlite_path(database_url: str) -> Path:
    """The file behind a URL. As in SQLAlchemy, `sqlite:///rel.db` is relative and
    `sqlite:////abs.db` absolute; a plain path is taken as it is."""
    path = database_url
    for scheme in _SQLITE_SCHEMES:
        if database_url.startswith(scheme):
            rest = database_url.removeprefix(scheme)
            if not rest.startswith("/"):
                raise ValueError(f"expected {scheme}/path/to/file.db, got {database_url!r}")
            path = rest[1:].split("?", 1)[0]
            break
    else:
        if database_url.startswith("sqlite"):
            raise ValueError(f"expected sqlite+aiosqlite:///path/to/file.db, got {database_url!r}")
    if path in ("", ":memory:") or path.startswith("file:"):
        raise ValueError(
            "the SQLite store needs a database file (it opens several connections),"
            f" got {database_url!r}"
        )
    return Path(path)


async def connect(path: Path, *, read_only: bool = False) -> aiosqlite.Connection:
    """An autocommit connection (we issue BEGIN/COMMIT ourselves) with the store's PRAGMAs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        for pragma in _PRAGMAS:
            await db.execute(pragma)
        if read_only:
            await db.execute("PRAGMA query_only=ON")
    except BaseException:
        await db.close()
        raise
    return db


def connect_sync(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection for one dedicated thread (the writer's or a reader's)."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
    for pragma in _PRAGMAS:
        db.execute(pragma)
    if read_only:
        db.execute("PRAGMA query_only=ON")
    return db
