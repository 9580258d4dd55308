"""The daily limits (new cards per day, reviews per day): the one place their arithmetic lives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.learners import Learner, LearnerSettings
from core.ports import UnitOfWork
from core.scheduling.days import learner_day

__all__ = ["DailyAllowance", "TodaysCounts", "daily_allowance", "todays_counts"]


@dataclass(frozen=True, slots=True)
class TodaysCounts:
    """What the learner did on the current learner day: reviews, and new cards among them."""

    reviewed: int
    introduced: int

    def plus(self, *, first_review: bool) -> TodaysCounts:
        """The counts after one more review (a new card's first when `first_review`)."""
        return TodaysCounts(self.reviewed + 1, self.introduced + first_review)


@dataclass(frozen=True, slots=True)
class DailyAllowance:
    """How many more reviews, and new cards among them, the learner may get today."""

    reviews_left: int
    new_left: int


def daily_allowance(settings: LearnerSettings, counts: TodaysCounts) -> DailyAllowance:
    return DailyAllowance(
        reviews_left=max(0, settings.max_reviews_per_day - counts.reviewed),
        new_left=max(0, settings.new_cards_per_day - counts.introduced),
    )


async def todays_counts(uow: UnitOfWork, learner: Learner, now: datetime) -> TodaysCounts:
    """The counts of the learner day holding `now`, in the learner's zone and day start."""
    settings = learner.settings
    today = learner_day(now, settings.zone, settings.day_start)
    reviewed, introduced = await uow.reviews.counts_on_day(learner.id, today)
    return TodaysCounts(reviewed, introduced)
