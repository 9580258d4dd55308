"""The storage port for statistics: raw, read-only aggregates that any SQL backend can answer.

Every instant boundary is passed in by the core, already computed from the learner's zone and day
start, so backends need no date functions and cannot disagree about where a day begins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

__all__ = ["ChatReviewCount", "FollowedRating", "StateCount", "StatsRepository"]


@dataclass(frozen=True, slots=True)
class StateCount:
    """How many of a learner's cards in one deck share an interval and a last-rating outcome."""

    deck_id: str
    interval_days: int
    failed_last: bool  # the last rating was below 3 (the state's reps are 0)
    cards: int


@dataclass(frozen=True, slots=True)
class ChatReviewCount:
    """One learner's reviews in a chat over a window, with the sum of their ratings."""

    learner_id: int
    reviews: int
    rating_sum: int


@dataclass(frozen=True, slots=True)
class FollowedRating:
    """A rating and the same card's next rating by the same learner: one calibration sample.

    `scheduler` and `interval_days` are what the first review scheduled ("fsrs" or "sm2").
    """

    rating: int
    review_day: date
    scheduler: str
    interval_days: int
    next_rating: int
    next_review_day: date


class StatsRepository(Protocol):
    """Read-only aggregates for /stats and leaderboards; the day logic stays in the core."""

    async def review_total(self, learner_id: int) -> int:
        """Every review the learner ever gave."""
        ...

    async def review_counts(self, learner_id: int, boundaries: Sequence[datetime]) -> list[int]:
        """Reviews in each half-open window [boundaries[i], boundaries[i + 1]).

        `boundaries` increase strictly; the answer has one count fewer than there are boundaries.
        """
        ...

    async def rating_counts(self, learner_id: int, since: datetime) -> Mapping[int, int]:
        """Reviews at or after `since` by rating (1..5); ratings never given are left out."""
        ...

    async def state_counts(self, learner_id: int) -> list[StateCount]:
        """The learner's card states by deck, interval and whether the last rating failed."""
        ...

    async def due_by(self, learner_id: int, cutoffs: Sequence[datetime]) -> list[int]:
        """For each cutoff, how many of the learner's cards are due at or before it."""
        ...

    async def review_counts_in(
        self, chat_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[ChatReviewCount]:
        """Per learner, the reviews given in these chats within [since, until), in no set order."""
        ...

    async def followed_ratings(self, learner_id: int, since: datetime) -> list[FollowedRating]:
        """Each of the learner's reviews paired with the next review of the same card, for the
        pairs whose next review is at or after `since`; in no set order.

        "Next" follows `reviewed_at`, and the order the reviews were logged among equal instants.
        """
        ...
