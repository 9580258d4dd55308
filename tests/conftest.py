"""Shared fixtures: a real SQLite store in a temp file, a fake clock, and the core's services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

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

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


@dataclass
class Services:
    store: SqliteStore | MemoryStore  # the in-memory one where a test is about rules
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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def services_on(store: SqliteStore | MemoryStore, clock: FakeClock) -> Services:
    """The core's services on `store` (SQLite, or the in-memory one), with the bundled decks."""
    randomness = SeededRandomness()
    library = DeckLibrary(store, deck_importer())
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
