"""What each push of a claim batch offers, read for the whole batch at once.

A push says how many cards its learner can review now: the due ones plus today's new ones,
within the daily limits (`core.review.limits`; an exam plan's for its deck), on the
subscription's deck, else the chat's active deck, else every deck the chat sees. Read push by
push that took about six round trips each; here each kind of read is one query (or a few) for
the batch, and the store only counts: the limits and the learner's day are worked out here, as
the review itself works them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.card_state import CardCountQuery
from core.learners import Chat, Learner
from core.planning.limits import deck_limits
from core.ports import UnitOfWork
from core.reminders.model import Subscription
from core.review.limits import DailyAllowance, TodaysCounts, daily_allowance, todays_counts
from core.scheduling.days import learner_day

__all__ = ["PushOffer", "push_offers"]


@dataclass(frozen=True, slots=True)
class PushOffer:
    """The decks a push is about and how many of their cards it can offer now; for a learner's
    push with cards to offer, the names of those decks that exist (its message names them)."""

    deck_ids: tuple[str, ...]
    due_count: int = 0
    deck_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Allowed:
    """A learner's push with its decks and what today's limits leave of them."""

    index: int
    learner: Learner
    deck_ids: tuple[str, ...]
    allowance: DailyAllowance

    def due_query(self) -> CardCountQuery:
        return CardCountQuery(self.learner.id, self.deck_ids, self.allowance.reviews_left)

    def new_query(self, room: int) -> CardCountQuery:
        """New cards to count: today's allowance of them, and no more than `room`."""
        limit = min(self.allowance.new_left, room)
        return CardCountQuery(self.learner.id, self.allowance.new_decks, limit)


async def push_offers(
    uow: UnitOfWork, pushes: Sequence[tuple[Subscription, Chat]], now: datetime
) -> list[PushOffer]:
    """The offer of each (subscription, its chat), in order, within the limits the review
    itself would apply (the learner's own, and an exam plan's for its deck)."""
    deck_ids = await _deck_choices(uow, pushes)
    offers = [PushOffer(decks) for decks in deck_ids]
    allowed = await _allowances(uow, [sub for sub, _ in pushes], deck_ids, now)
    # No reviews left today: nothing to offer, and nothing to count.
    allowed = [push for push in allowed if push.allowance.reviews_left > 0]
    due = await uow.card_states.count_due([push.due_query() for push in allowed], now)
    # New cards fill only the room the due ones leave: a learner with enough due counts none.
    room = {
        push.index: push.allowance.reviews_left - n for push, n in zip(allowed, due, strict=True)
    }
    with_new = [
        push
        for push in allowed
        if push.allowance.new_left and push.allowance.new_decks and room[push.index] > 0
    ]
    new = await uow.card_states.count_unseen(
        [push.new_query(room[push.index]) for push in with_new]
    )
    new_by_index = {push.index: n for push, n in zip(with_new, new, strict=True)}
    counts = [
        (push, min(due_count + new_by_index.get(push.index, 0), push.allowance.reviews_left))
        for push, due_count in zip(allowed, due, strict=True)
    ]
    names = await uow.decks.names_of([d for push, n in counts if n for d in push.deck_ids])
    for push, offered in counts:
        named = tuple(names[d] for d in push.deck_ids if d in names) if offered else ()
        offers[push.index] = PushOffer(push.deck_ids, offered, named)
    return offers


async def _deck_choices(
    uow: UnitOfWork, pushes: Sequence[tuple[Subscription, Chat]]
) -> list[tuple[str, ...]]:
    """The subscription's deck, else the chat's active deck, else every deck it can see."""
    open_chats = {
        sub.chat_id: None for sub, chat in pushes if not (sub.deck_id or chat.active_deck_id)
    }
    visible = await uow.decks.visible_ids_in(list(open_chats)) if open_chats else {}
    return [
        (sub.deck_id,)
        if sub.deck_id
        else (chat.active_deck_id,)
        if chat.active_deck_id
        else visible.get(sub.chat_id, ())
        for sub, chat in pushes
    ]


async def _allowances(
    uow: UnitOfWork,
    subscriptions: Sequence[Subscription],
    deck_ids: Sequence[tuple[str, ...]],
    now: datetime,
) -> list[_Allowed]:
    """Today's allowance of each learner's push with decks to offer (a group's push has none)."""
    wanted = [
        (index, sub.learner_id)
        for index, sub in enumerate(subscriptions)
        if sub.learner_id is not None and deck_ids[index]
    ]
    if not wanted:
        return []
    learners = await uow.learners.get_many(list(dict.fromkeys(i for _, i in wanted)))
    plans = await uow.exam_plans.of_learners(list(learners)) if learners else {}
    # Each learner's today: in their own zone and from their own day start.
    days = {
        learner.id: learner_day(now, learner.settings.zone, learner.settings.day_start)
        for learner in learners.values()
    }
    counts = await uow.reviews.counts_on_days(list(days.items())) if days else {}
    allowed = []
    for index, learner_id in wanted:
        learner = learners.get(learner_id)
        if learner is None:
            continue
        # An exam plan sets its deck's limits, as in the review itself; its deck's new cards
        # are counted on their own, a read more for the (few) learners with a plan in force.
        limits = deck_limits(learner, plans.get(learner.id, ()), now)
        if limits.new_per_day:
            today = await todays_counts(uow, learner, now, limits)
        else:
            today = TodaysCounts(*counts.get((learner.id, days[learner.id]), (0, 0)))
        allowance = daily_allowance(learner.settings, today, deck_ids[index], limits)
        allowed.append(_Allowed(index, learner, deck_ids[index], allowance))
    return allowed
