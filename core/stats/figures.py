"""What /stats and the leaderboard show, as plain frozen data.

Card states, by a learner's latest rating and current interval (the thresholds follow Anki):

- new: a card in the learner's decks that they have never rated (it has no state);
- learning: interval under 7 days, or the last rating was a lapse (below 3), whatever the interval;
- review: interval of 7 to 20 days;
- mastered: interval of 21 days or more — Anki's "mature".

"Today" is the learner day holding the moment the figures were gathered: it begins at the
learner's day start (04:00 by default) in their own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from core.leeches.model import DEFAULT_LEECH_LAPSES
from core.personal.model import PersonalParameters
from core.stats.calibration import NO_CALIBRATION, Calibration

__all__ = [
    "FORECAST_DAYS",
    "LEARNING_BELOW_DAYS",
    "MASTERED_FROM_DAYS",
    "RETENTION_DAYS",
    "CardCounts",
    "CardStage",
    "ChatLeaderboard",
    "DeckMastery",
    "LeaderboardEntry",
    "LearnerStats",
]

LEARNING_BELOW_DAYS = 7
MASTERED_FROM_DAYS = 21
RETENTION_DAYS = 30  # also the span of the reviews-per-day history
FORECAST_DAYS = 7


class CardStage(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    MASTERED = "mastered"


@dataclass(frozen=True, slots=True)
class CardCounts:
    """A learner's cards by stage; together they are every card of the decks counted."""

    new: int = 0
    learning: int = 0
    review: int = 0
    mastered: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.mastered


@dataclass(frozen=True, slots=True)
class DeckMastery:
    """How much of one deck the learner has mastered."""

    deck_id: str
    name: str
    mastered: int
    total: int  # every card of the deck

    @property
    def share(self) -> float | None:
        """mastered / total, None for an empty deck."""
        return self.mastered / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class LearnerStats:
    """One learner's progress at one moment; reviews count solo reviews and quiz ratings alike.

    The streak ends today, or yesterday when there is no review yet today: a streak breaks only
    once a learner day is over without a review.
    """

    learner_id: int
    today: date  # the learner day the figures were gathered on
    reviews_total: int
    reviews_today: int
    streak_days: int  # learner days in a row with at least one review
    retention_30d: float | None  # share of ratings >= 3 over the last 30 days; None: no ratings
    cards: CardCounts
    due_now: int
    forecast_7d: tuple[int, ...]  # due on today (overdue included), tomorrow, … 7 days
    reviews_per_day_30d: tuple[int, ...]  # the last 30 learner days, oldest first, today last
    decks: tuple[DeckMastery, ...]  # decks the learner has rated cards of or asked about, by name
    calibration: Calibration = NO_CALIBRATION  # the last CALIBRATION_DAYS' ratings, followed up
    personal: PersonalParameters | None = None  # their fitted FSRS parameters (core.personal)
    suspended: int = 0  # cards they suspended (core.leeches)
    leeches: int = 0  # cards in their reviews with at least `leech_threshold` lapses
    leech_threshold: int = DEFAULT_LEECH_LAPSES  # theirs, when the figures were gathered


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    learner_id: int
    display_name: str
    reviews: int
    mean_rating: float


@dataclass(frozen=True, slots=True)
class ChatLeaderboard:
    """Who reviewed most in a chat over the `days` times 24 hours before `until`.

    A chat's members live in many time zones, so the window is a plain span of hours, not days.
    Entries run by reviews, most first; ties by name.
    """

    chat_id: int
    days: int
    since: datetime
    until: datetime
    entries: tuple[LeaderboardEntry, ...]
