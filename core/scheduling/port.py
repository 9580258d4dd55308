"""The scheduler port the core's services use, and the choice of scheduler from settings."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from core.scheduling.fsrs_scheduler import FsrsScheduler
from core.scheduling.model import Memory, Rating, SchedulerKind, SchedulerSettings
from core.scheduling.sm2 import Sm2Scheduler

__all__ = ["SpacedScheduler", "scheduler_for"]


class SpacedScheduler(Protocol):
    """Turns one rating into the card's next Memory. Pure: same inputs, same Memory."""

    @property
    def kind(self) -> SchedulerKind: ...

    def review(
        self, memory: Memory | None, rating: Rating, review_day: date, fuzz: float | None = None
    ) -> Memory:
        """Rate a card on learner day `review_day`; `memory` None is a new card.

        `fuzz` is a number in [0, 1) the caller draws from the core's Randomness; None = no fuzz.
        A memory of the other kind is converted (see each scheduler's module docstring).
        """
        ...


def scheduler_for(settings: SchedulerSettings) -> SpacedScheduler:
    """The scheduler a learner's settings ask for (FSRS engines are cached per retention)."""
    if settings.kind is SchedulerKind.SM2:
        return Sm2Scheduler(settings.maximum_interval_days, settings.fuzz)
    return FsrsScheduler(
        settings.desired_retention,
        settings.maximum_interval_days,
        settings.fuzz,
        settings.parameters,
    )
