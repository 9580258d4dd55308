"""Which card a learner sees next: most overdue first, then new cards within the daily limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.card_state import CardState
from core.learners import Learner
from core.ports import UnitOfWork
from core.scheduling.days import learner_day

__all__ = ["NextCard", "QueueSnapshot", "next_card", "queue_snapshot"]


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

    reviewed_today: int
    new_today: int
    due: list[CardState]


async def queue_snapshot(
    uow: UnitOfWork, learner: Learner, deck_ids: Sequence[str], now: datetime
) -> QueueSnapshot:
    settings = learner.settings
    today = learner_day(now, settings.zone, settings.day_start)
    reviewed, introduced = await uow.reviews.counts_on_day(learner.id, today)
    due = await uow.card_states.due(learner.id, deck_ids, now, 2)
    return QueueSnapshot(reviewed, introduced, due)


async def next_card(
    uow: UnitOfWork,
    learner: Learner,
    deck_ids: Sequence[str],
    now: datetime,
    *,
    just_rated: CardState | None = None,
    snapshot: QueueSnapshot | None = None,
) -> NextCard:
    """Pick the next card.

    `just_rated` is the new state of a card rated in this unit of work: staged, so not yet
    visible to reads. It is skipped, counted as one more review today (a new card's first when
    its version is 1), and its new due time is considered for "next due". `snapshot` may be
    read beforehand, alongside the caller's own reads.
    """
    settings = learner.settings
    snapshot = snapshot or await queue_snapshot(uow, learner, deck_ids, now)
    reviewed, introduced = snapshot.reviewed_today, snapshot.new_today
    skip = just_rated.card_id if just_rated else None
    if just_rated is not None:
        reviewed += 1
        introduced += just_rated.version == 1
    reviews_left = max(0, settings.max_reviews_per_day - reviewed)
    new_left = max(0, settings.new_cards_per_day - introduced)
    if reviews_left == 0:
        return NextCard(None, limit_reached=True)

    # Two rows are enough: at most one of them is the skipped card.
    due = [s for s in snapshot.due if s.card_id != skip]
    if due:
        return NextCard(due[0].card_id, new_left=new_left, reviews_left=reviews_left)
    if new_left:
        unseen = [
            c for c in await uow.card_states.unseen_card_ids(learner.id, deck_ids, 2) if c != skip
        ]
        if unseen:
            return NextCard(unseen[0], is_new=True, new_left=new_left, reviews_left=reviews_left)
    candidates = [await uow.card_states.next_due_at(learner.id, deck_ids, now)]
    if just_rated is not None:
        candidates.append(just_rated.due_at)
    next_due = min((c for c in candidates if c is not None), default=None)
    return NextCard(None, new_left=new_left, reviews_left=reviews_left, next_due_at=next_due)
