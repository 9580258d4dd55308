"""The composition root: build the store and services once, and close them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.chat.services import ChatServices
from adapters.deckfiles import AnkiPackageFormat
from adapters.media.folder import MediaFolder
from adapters.observability.metered_store import MeteredStore
from adapters.observability.metrics import Metrics
from adapters.storage import open_store
from adapters.system import SystemClock, SystemRandomness
from bot.settings import Settings
from core.decks.importer import DeckImporter
from core.leeches.service import LeechService
from core.library import DeckLibrary
from core.personal.service import PersonalScheduleService
from core.planning.service import PlanService
from core.ports import Clock, Deadlines, Randomness, Store
from core.quiz.service import QuizService
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from core.settings.service import SettingsService
from core.stats.service import StatsService
from decks import bundled_decks

__all__ = ["App", "chat_services", "deck_importer", "open_app"]


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
    personal: PersonalScheduleService
    metrics: Metrics


@asynccontextmanager
async def open_app(
    settings: Settings,
    clock: Clock | None = None,
    randomness: Randomness | None = None,
    metrics: Metrics | None = None,
) -> AsyncIterator[App]:
    """Open the database (applying migrations), install the bundled decks, yield the services;
    with `metrics`, the store counts the ratings committed."""
    clock = clock or SystemClock()
    randomness = randomness or SystemRandomness()
    store: Store = await open_store(settings.database_url)
    if metrics is not None:
        store = MeteredStore(store, metrics)
    try:
        library = DeckLibrary(
            store,
            deck_importer(),
            clock=clock,
            randomness=randomness,
            media=MediaFolder(settings.media_folder()),
        )
        await library.install_bundled(bundled_decks())
        personal = PersonalScheduleService(store, clock)
        yield App(
            store=store,
            clock=clock,
            library=library,
            reviews=ReviewService(store, clock, randomness),
            quizzes=QuizService(store, clock, randomness),
            reminders=ReminderService(store, clock, randomness),
            stats=StatsService(store, clock),
            settings=SettingsService(store, personal),
            personal=personal,
            metrics=metrics or Metrics(),
        )
    finally:
        await store.close()


def deck_importer() -> DeckImporter:
    """Every deck format: the core's text formats plus Anki packages (SQLite, temp files)."""
    return DeckImporter(packages=(AnkiPackageFormat(),))


def chat_services(app: App, deadlines: Deadlines) -> ChatServices:
    """What every chat platform receives: the app's services, and `deadlines` for quiz timers."""
    return ChatServices(
        store=app.store,
        library=app.library,
        reviews=app.reviews,
        stats=app.stats,
        reminders=app.reminders,
        quizzes=app.quizzes,
        deadlines=deadlines,
        settings=app.settings,
        metrics=app.metrics,
        leeches=LeechService(app.store, app.clock),
        plans=PlanService(app.store, app.clock, app.library),
    )
