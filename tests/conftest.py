"""Shared fixtures: a real SQLite store in a temp file, this run's PostgreSQL databases (skipped
with the reason where no server answers), a fake clock, and the core's services."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.storage.postgres.store import PostgresStore, upgrade_postgres
from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.learners import Chat, Learner
from core.library import DeckLibrary
from core.quiz.service import QuizService
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from decks import bundled_decks
from tests.fakes import FakeClock, SeededRandomness
from tests.memory_store import MemoryStore
from tests.postgres import PostgresServer, empty_tables, run_apart

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


@dataclass
class Services:
    store: SqliteStore | PostgresStore | MemoryStore  # in-memory where a test is about rules
    clock: FakeClock
    random: SeededRandomness
    library: DeckLibrary
    reviews: ReviewService
    quizzes: QuizService
    reminders: ReminderService

    async def learner(self, name: str, platform: str = "test") -> Learner:
        async with self.store.unit_of_work() as uow:
            return await uow.learners.ensure(platform, name, name)

    async def chat(self, key: str, *, group: bool) -> Chat:
        async with self.store.unit_of_work() as uow:
            return await uow.chats.ensure("test", key, key, group)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """This run's PostgreSQL server; every test using it is skipped where none answers."""
    server = PostgresServer()
    reason = server.unreachable_reason()
    if reason is not None:
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture(scope="session")
def _migrated_postgres(postgres_server: PostgresServer) -> str:
    url = postgres_server.create_database()
    run_apart(upgrade_postgres(url))
    return url


@pytest.fixture
def postgres_url(_migrated_postgres: str) -> str:
    """A migrated PostgreSQL database of this run with every table empty."""
    run_apart(empty_tables(_migrated_postgres))
    return _migrated_postgres


@pytest.fixture
def fresh_postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty PostgreSQL database of this run (no schema yet)."""
    return postgres_server.create_database()


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """A real SQLite store on a file under tmp_path (the storage tests use every store)."""
    opened = await SqliteStore.open(tmp_path / "quizbot.db")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def services_on(
    store: SqliteStore | PostgresStore | MemoryStore, clock: FakeClock
) -> Services:
    """The core's services on `store` (SQLite, or the in-memory one), with the bundled decks."""
    randomness = SeededRandomness()
    library = DeckLibrary(store, deck_importer(), clock=clock, randomness=randomness)
    await library.install_bundled(bundled_decks())
    return Services(
        store,
        clock,
        randomness,
        library,
        ReviewService(store, clock, randomness),
        QuizService(store, clock, randomness),
        ReminderService(store, clock, randomness),
    )


@pytest_asyncio.fixture
async def services(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    store = await SqliteStore.open(tmp_path / "quizbot.db")
    try:
        yield await services_on(store, clock)
    finally:
        await store.close()


@asynccontextmanager
async def services_on_postgres(database_url: str, clock: FakeClock) -> AsyncIterator[Services]:
    store = await PostgresStore.open(database_url)
    try:
        yield await services_on(store, clock)
    finally:
        await store.close()


@pytest_asyncio.fixture
async def postgres_services(postgres_url: str, clock: FakeClock) -> AsyncIterator[Services]:
    """The core's services on a PostgreSQL store (a module's `services` on PostgreSQL)."""
    async with services_on_postgres(postgres_url, clock) as services:
        yield services
