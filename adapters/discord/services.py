"""The core services the Discord adapter calls, passed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from core.library import DeckLibrary
from core.ports import Store
from core.reminders.service import ReminderService
from core.review.service import ReviewService
from core.stats.service import StatsService

__all__ = ["DiscordServices"]


@dataclass(frozen=True, slots=True)
class DiscordServices:
    store: Store
    library: DeckLibrary
    reviews: ReviewService
    stats: StatsService | None = None  # None: /stats answers that stats are unavailable
    reminders: ReminderService | None = None  # None: /remind is not offered
