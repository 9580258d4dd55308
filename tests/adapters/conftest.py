"""Fixtures for the storage tests: a real SQLite file under tmp_path with a few people in it, and
every store the port has (SQLite, PostgreSQL where a server answers, the in-memory fake)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.storage.postgres.store import PostgresStore
from adapters.storage.sqlite.store import SqliteStore
from core.ports import Store
from tests.adapters import samples
from tests.memory_store import MemoryStore


@dataclass(frozen=True)
class World:
    """Two learners, a group chat and a private chat, and the saved deck `geo` (cards a, b, c)."""

    ann: int
    bob: int
    group: int
    private: int


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quizbot.db"


@pytest_asyncio.fixture
async def store(db_path: Path) -> AsyncIterator[SqliteStore]:
    opened = await SqliteStore.open(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest_asyncio.fixture(params=["sqlite", "postgres", "memory"])
async def each_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The test once on each store: SQLite on a file, PostgreSQL (skipped where no server
    answers), and the in-memory fake the service tests use."""
    opened: Store
    if request.param == "sqlite":
        opened = await SqliteStore.open(tmp_path / "quizbot.db")
    elif request.param == "postgres":
        opened = await PostgresStore.open(request.getfixturevalue("postgres_url"))
    else:
        opened = MemoryStore()
    try:
        yield opened
    finally:
        await opened.close()


@pytest_asyncio.fixture
async def world(store: Store) -> World:
    async with store.unit_of_work() as uow:
        ann = await uow.learners.ensure("telegram", "100", "Ann")
        bob = await uow.learners.ensure("discord", "200", "Bob")
        group = await uow.chats.ensure("telegram", "-5", "Study group", True)
        private = await uow.chats.ensure("telegram", "100", "Ann", False)
        uow.decks.save(samples.deck(), None)
        await uow.commit()
    return World(ann.id, bob.id, group.id, private.id)


def count(db_path: Path, table: str, where: str = "1 = 1", params: tuple[object, ...] = ()) -> int:
    """Rows in `table`, read through a separate plain sqlite3 connection (committed data only)."""
    with closing(sqlite3.connect(db_path)) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0])
