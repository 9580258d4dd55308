"""The core services a chat platform adapter calls, passed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from core.library import DeckLibrary
from core.ports import Deadlines, Store
from core.quiz.service import QuizService
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from core.settings.service import SettingsService
from core.stats.service import StatsService

__all__ = ["ChatServices"]


@dataclass(frozen=True, slots=True)
class ChatServices:
    """What the handlers need; an optional service left out turns its commands off politely."""

    store: Store
    library: DeckLibrary
    reviews: ReviewService
    stats: StatsService | None = None  # None: /stats answers that stats are unavailable
    reminders: ReminderService | None = None  # None: /remind is not offered
    quizzes: QuizService | None = None  # None: no group quizzes
    deadlines: Deadlines | None = None  # quiz timers; None: a quiz moves on by buttons only
    settings: SettingsService | None = None  # None: /settings is not offered
