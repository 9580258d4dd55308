"""The composition root: build the store and services once, and close them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.storage import open_store
from adapters.system import SystemClock, SystemRandomness
from bot.settings import Settings
from core.decks.bundled import load_bundled_deck
from core.library import DeckLibrary
from core.ports import Clock, Randomness, Store
from core.quiz.service import QuizService
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from core.settings.service import SettingsService
from core.stats.service import StatsService
from decks import bundled_deck_paths

__all__ = ["App", "open_app"]


@dataclass(frozen=True, slots=True)
class App:
    """Everything a platform adapter needs, sharing one store."""

    store: Store
    clock: Clock
    library: DeckLibrary
    reviews: ReviewService
    quizzes: QuizService
    reminders: ReminderService
    stats: StatsService
    settings: SettingsService


@asynccontextmanager
async def open_app(
    settings: Settings, clock: Clock | None = None, randomness: Randomness | None = None
) -> AsyncIterator[App]:
    """Open the database (applying migrations), install the bundled decks, yield the services."""
    clock = clock or SystemClock()
    randomness = randomness or SystemRandomness()
    store = await open_store(settings.database_url)
    try:
        library = DeckLibrary(store)
        await library.install_bundled(load_bundled_deck(path) for path in bundled_deck_paths())
        yield App(
            store=store,
            clock=clock,
            library=library,
            reviews=ReviewService(store, clock, randomness),
            quizzes=QuizService(store, clock, randomness),
            reminders=ReminderService(store, clock, randomness),
            stats=StatsService(store, clock),
            settings=SettingsService(store),
        )
    finally:
        await store.close()
