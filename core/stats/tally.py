"""Pure arithmetic from raw aggregates to figures: day boundaries, streaks, retention, stages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise

from core.scheduling.days import day_start_instant
from core.scheduling.model import Rating
from core.stats.figures import (
    LEARNING_BELOW_DAYS,
    MASTERED_FROM_DAYS,
    CardCounts,
    CardStage,
    LeaderboardEntry,
)
from core.stats.repository import StateCount

__all__ = [
    "card_counts",
    "day_boundaries",
    "day_ends",
    "forecast",
    "leaderboard_order",
    "mastered_by_deck",
    "retention",
    "stage_of",
    "trailing_run",
]

_ONE_DAY = timedelta(days=1)
_LAST_MOMENT = timedelta(microseconds=1)  # a datetime's resolution


def day_boundaries(first: date, days: int, zone: tzinfo, day_start: time) -> list[datetime]:
    """The starts of `days` learner days from `first`, plus the start of the day after them.

    Consecutive boundaries are 23, 24 or 25 hours apart across DST switches.
    """
    return [day_start_instant(first + i * _ONE_DAY, zone, day_start) for i in range(days + 1)]


def day_ends(first: date, days: int, zone: tzinfo, day_start: time) -> list[datetime]:
    """The last instant a datetime can name in each of `days` learner days from `first`."""
    return [start - _LAST_MOMENT for start in day_boundaries(first, days, zone, day_start)[1:]]


def trailing_run(daily: Sequence[int]) -> tuple[int, bool]:
    """Days with at least one review in a row at the end of `daily` (oldest first).

    The flag is True when the run fills the whole window, so earlier days may extend it.
    """
    run = 0
    for count in reversed(daily):
        if count == 0:
            return run, False
        run += 1
    return run, True


def retention(ratings: Mapping[int, int]) -> float | None:
    """The share of ratings that were not lapses (>= 3); None when there are none."""
    total = sum(ratings.values())
    if total == 0:
        return None
    passed = sum(count for rating, count in ratings.items() if not Rating(rating).is_lapse)
    return passed / total


def stage_of(interval_days: int, failed_last: bool) -> CardStage:
    """The stage of a card the learner has rated (see `core.stats.figures`)."""
    if failed_last or interval_days < LEARNING_BELOW_DAYS:
        return CardStage.LEARNING
    if interval_days < MASTERED_FROM_DAYS:
        return CardStage.REVIEW
    return CardStage.MASTERED


def card_counts(states: Iterable[StateCount], deck_sizes: Mapping[str, int]) -> CardCounts:
    """Stages over the decks in `deck_sizes`; cards without a state there are new."""
    by_stage = dict.fromkeys(CardStage, 0)
    rated = 0
    for row in states:
        if row.deck_id in deck_sizes:
            by_stage[stage_of(row.interval_days, row.failed_last)] += row.cards
            rated += row.cards
    # A deck shrunk by a re-import drops its cards' states too, but never count below zero.
    new = max(0, sum(deck_sizes.values()) - rated)
    return CardCounts(
        new=new,
        learning=by_stage[CardStage.LEARNING],
        review=by_stage[CardStage.REVIEW],
        mastered=by_stage[CardStage.MASTERED],
    )


def mastered_by_deck(states: Iterable[StateCount]) -> dict[str, int]:
    """Mastered cards per deck id."""
    mastered: dict[str, int] = {}
    for row in states:
        if stage_of(row.interval_days, row.failed_last) is CardStage.MASTERED:
            mastered[row.deck_id] = mastered.get(row.deck_id, 0) + row.cards
    return mastered


def forecast(cumulative: Sequence[int]) -> tuple[int, ...]:
    """Per-day counts from counts due by the end of each day (the first day keeps the overdue)."""
    return tuple(later - earlier for earlier, later in pairwise([0, *cumulative]))


def leaderboard_order(entries: Iterable[LeaderboardEntry]) -> list[LeaderboardEntry]:
    """Most reviews first; ties by name (case-insensitively), then by id so the order is total."""
    return sorted(
        entries, key=lambda e: (-e.reviews, e.display_name.casefold(), e.display_name, e.learner_id)
    )
