"""Which card a learner sees next: most overdue first, then new cards within the daily limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.card_state import CardState
from core.decks.model import deck_id_of
from core.learners import Learner
from core.ports import UnitOfWork
from core.review.limits import (
    NO_DECK_LIMITS,
    DeckLimits,
    TodaysCounts,
    daily_allowance,
    todays_counts,
)

__all__ = ["NextCard", "QueueSnapshot", "RatedNow", "next_card", "queue_snapshot"]


@dataclass(frozen=True, slots=True)
class NextCard:
    """The card to show, or why there is none."""

    card_id: str | None
    is_new: bool = False
    new_left: int = 0
    reviews_left: int = 0
    limit_reached: bool = False
    next_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """What the choice of the next card reads, fetched in one go."""

    counts: TodaysCounts
    due: list[CardState]


@dataclass(frozen=True, slots=True)
class RatedNow:
    """The card being rated in this unit of work: its write is staged, so reads do not see it."""

    card_id: str
    first_review: bool


async def queue_snapshot(
    uow: UnitOfWork,
    learner: Learner,
    deck_ids: Sequence[str],
    now: datetime,
    limits: DeckLimits = NO_DECK_LIMITS,
) -> QueueSnapshot:
    counts = await todays_counts(uow, learner, now, limits)
    due = await uow.card_states.due(learner.id, deck_ids, now, 2)
    return QueueSnapshot(counts, due)


async def next_card(
    uow: UnitOfWork,
    learner: Learner,
    deck_ids: Sequence[str],
    now: datetime,
    *,
    rated: RatedNow | None = None,
    snapshot: QueueSnapshot | None = None,
    limits: DeckLimits = NO_DECK_LIMITS,
) -> NextCard:
    """Pick the next card; `limits`: the decks' own limits (exam plans), read with the snapshot.

    `rated` is skipped and counted as one more review today (a new card's first when it is its
    first review); its new due time is not known here, so "next due" leaves it out (the review
    machine adds it). `snapshot` may be read beforehand, alongside the caller's own reads.
    """
    snapshot = snapshot or await queue_snapshot(uow, learner, deck_ids, now, limits)
    counts = snapshot.counts
    skip = rated.card_id if rated else None
    if rated is not None:
        counts = counts.plus(first_review=rated.first_review, deck_id=deck_id_of(rated.card_id))
    allowance = daily_allowance(learner.settings, counts, deck_ids, limits)
    reviews_left, new_left = allowance.reviews_left, allowance.new_left
    if reviews_left == 0:
        return NextCard(None, limit_reached=True)

    # Two rows are enough: at most one of them is the skipped card.
    due = [s for s in snapshot.due if s.card_id != skip]
    if due:
        return NextCard(due[0].card_id, new_left=new_left, reviews_left=reviews_left)
    if new_left and allowance.new_decks:
        unseen = await uow.card_states.unseen_card_ids(learner.id, allowance.new_decks, 2)
        unseen = [c for c in unseen if c != skip]
        if unseen:
            return NextCard(unseen[0], is_new=True, new_left=new_left, reviews_left=reviews_left)
    next_due = await uow.card_states.next_due_at(learner.id, deck_ids, now)
    return NextCard(None, new_left=new_left, reviews_left=reviews_left, next_due_at=next_due)
