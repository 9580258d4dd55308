"""The daily limits (new cards per day, reviews per day): the one place their arithmetic lives.

A learner's own limits hold for all their decks together, except a deck under an exam plan
(`core.planning`): its new cards have the plan's rate, counted on that deck's new cards alone,
and its cards are scheduled at the plan's retention. The learner's own new cards a day are then
counted on the other decks' new cards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from core.learners import Learner, LearnerSettings
from core.ports import UnitOfWork
from core.scheduling.days import learner_day

__all__ = [
    "NO_DECK_LIMITS",
    "DailyAllowance",
    "DeckLimits",
    "TodaysCounts",
    "daily_allowance",
    "todays_counts",
]


@dataclass(frozen=True, slots=True)
class DeckLimits:
    """Limits of single decks that replace the learner's own for them (the exam plans that
    apply today): new cards a day and desired retention, by deck id."""

    new_per_day: Mapping[str, int] = field(default_factory=dict)
    desired_retention: Mapping[str, float] = field(default_factory=dict)

    def new_limit(self, settings: LearnerSettings, deck_ids: Sequence[str]) -> int:
        """New cards a day for a review of `deck_ids`: their plans' rates, plus the learner's
        own when one of the decks has no plan."""
        own = any(deck not in self.new_per_day for deck in deck_ids)
        planned = sum(n for deck, n in self.new_per_day.items() if deck in deck_ids)
        return planned + (settings.new_cards_per_day if own else 0)

    def review_limit(self, settings: LearnerSettings) -> int:
        """Reviews a day: the learner's own, raised to make room for the plans' new cards."""
        return max(settings.max_reviews_per_day, sum(self.new_per_day.values()))

    def learner_for(self, learner: Learner, deck_id: str) -> Learner:
        """The learner as a card of `deck_id` is scheduled for: at its plan's retention."""
        retention = self.desired_retention.get(deck_id)
        if retention is None:
            return learner
        scheduler = replace(learner.settings.scheduler, desired_retention=retention)
        return replace(learner, settings=replace(learner.settings, scheduler=scheduler))


NO_DECK_LIMITS = DeckLimits()


@dataclass(frozen=True, slots=True)
class TodaysCounts:
    """What the learner did on the current learner day: reviews, new cards among them, and the
    new cards of each deck with limits of its own (`DeckLimits`), by deck id."""

    reviewed: int
    introduced: int
    introduced_by_deck: Mapping[str, int] = field(default_factory=dict)

    def plus(self, *, first_review: bool, deck_id: str) -> TodaysCounts:
        """The counts after one more review of a card of `deck_id` (a new card's first when
        `first_review`)."""
        by_deck = self.introduced_by_deck
        if first_review and deck_id in by_deck:
            by_deck = {**by_deck, deck_id: by_deck[deck_id] + 1}
        return TodaysCounts(self.reviewed + 1, self.introduced + first_review, by_deck)


@dataclass(frozen=True, slots=True)
class DailyAllowance:
    """How many more reviews, and new cards among them, the learner may get today; the decks
    that may still give a new card (`new_decks`, in the order asked)."""

    reviews_left: int
    new_left: int
    new_decks: tuple[str, ...] = ()


def daily_allowance(
    settings: LearnerSettings,
    counts: TodaysCounts,
    deck_ids: Sequence[str],
    limits: DeckLimits = NO_DECK_LIMITS,
) -> DailyAllowance:
    """What is left today for a review of `deck_ids`."""
    planned = limits.new_per_day
    planned_today = sum(counts.introduced_by_deck.get(deck, 0) for deck in planned)
    own_left = max(0, settings.new_cards_per_day - (counts.introduced - planned_today))
    left = {
        deck: (
            max(0, planned[deck] - counts.introduced_by_deck.get(deck, 0))
            if deck in planned
            else own_left
        )
        for deck in deck_ids
    }
    own = own_left if any(deck not in planned for deck in deck_ids) else 0
    return DailyAllowance(
        reviews_left=max(0, limits.review_limit(settings) - counts.reviewed),
        new_left=own + sum(n for deck, n in left.items() if deck in planned),
        new_decks=tuple(deck for deck in deck_ids if left[deck]),
    )


async def todays_counts(
    uow: UnitOfWork, learner: Learner, now: datetime, limits: DeckLimits = NO_DECK_LIMITS
) -> TodaysCounts:
    """The counts of the learner day holding `now`, in the learner's zone and day start; the
    decks with limits of their own get their new cards counted (one more read, only then)."""
    settings = learner.settings
    today = learner_day(now, settings.zone, settings.day_start)
    reviewed, introduced = await uow.reviews.counts_on_day(learner.id, today)
    if not limits.new_per_day:
        return TodaysCounts(reviewed, introduced)
    by_deck = await uow.reviews.new_cards_by_deck(learner.id, today)
    return TodaysCounts(
        reviewed, introduced, {deck: by_deck.get(deck, 0) for deck in limits.new_per_day}
    )
