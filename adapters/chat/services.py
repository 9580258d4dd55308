"""The core services a chat platform adapter calls, passed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.observability.metrics import Metrics
from core.leeches.service import LeechService
from core.library import DeckLibrary
from core.planning.service import PlanService
from core.ports import Deadlines, Store
from core.quiz.service import QuizService
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from core.settings.service import SettingsService
from core.stats.service import StatsService

__all__ = ["ChatServices"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatServices:
    """What the handlers need, every one of them: each platform offers every command.

    Built by `bot.wiring.chat_services` (and, in tests, by `tests.chat_services`).
    """

    store: Store
    library: DeckLibrary
    reviews: ReviewService
    stats: StatsService
    reminders: ReminderService
    quizzes: QuizService
    deadlines: Deadlines  # quiz timers (the one scheduler)
    settings: SettingsService
    metrics: Metrics  # counted at the shared seams
    leeches: LeechService
    plans: PlanService
