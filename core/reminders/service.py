"""Daily pushes: subscribe, unsubscribe, and the minutely tick that claims what is due."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from core import texts
from core.actions import START_REVIEW_TOKEN
from core.errors import ConcurrencyConflict, InvalidInput
from core.learners import Chat
from core.permissions import ChatAction, ChatRole, require
from core.ports import Clock, Randomness, Store
from core.reminders.model import Subscription
from core.reminders.offers import push_offers
from core.reminders.timing import local_date, next_push_after, push_instant
from core.screens import Block, Button, Screen
from core.zones import parse_zone, zone_name

__all__ = ["DEFAULT_GRACE", "DEFAULT_LEASE", "Push", "ReminderService", "parse_local_time"]

DEFAULT_GRACE = timedelta(hours=2)
# How long a worker's claim on a push holds before another worker may take it.
DEFAULT_LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Push:
    """One leased push: send it (or, when nothing is due, send nothing), then `mark_sent` it.
    `chat` is where it goes: its platform is the one that delivers it."""

    subscription: Subscription
    chat: Chat
    due_count: int
    deck_ids: tuple[str, ...]
    # Sent only before this instant (half the lease after the claim): a send begun later could
    # outlast the lease, and another worker, taking the push then, would send it too.
    send_by: datetime | None = None
    # The names of a learner's offered decks that exist, read with the batch (`push_offers`).
    deck_names: tuple[str, ...] = ()


def parse_local_time(text: str) -> time:
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", text or "")
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput(texts.REMIND_BAD_TIME.format(text=text))
    return time(int(match[1]), int(match[2]))


def _require_push_rights(learner_id: int | None, role: ChatRole) -> None:
    if learner_id is None:  # a learner's own push is theirs to set anywhere
        require(role, ChatAction.SET_CHAT_PUSH)


class ReminderService:
    def __init__(self, store: Store, clock: Clock, randomness: Randomness) -> None:
        self._store = store
        self._clock = clock
        self._random = randomness

    async def subscribe(
        self,
        chat_id: int,
        learner_id: int | None,
        at: time,
        zone: str,
        deck_id: str | None = None,
        *,
        role: ChatRole,
    ) -> Subscription:
        """Set (or replace) the chat's daily push (`learner_id` None) or a learner's own there;
        the first one is the next `at` from now. `zone` as typed: saved as `core.zones.zone_name`
        names it, or `InvalidInput`. The chat's own push is for those `role` allows."""
        _require_push_rights(learner_id, role)
        zone = zone_name(zone)
        tz = parse_zone(zone)
        _, first = next_push_after(self._clock.now(), at, tz)
        async with self._store.unit_of_work() as uow:
            current = await uow.subscriptions.for_chat(chat_id, learner_id)
            subscription = Subscription(
                id=current.id if current else self._random.new_id(),
                chat_id=chat_id,
                learner_id=learner_id,
                local_time=at,
                time_zone=zone,
                next_push_at=first,
                last_sent_day=current.last_sent_day if current else None,
                version=current.version + 1 if current else 1,
                deck_id=deck_id,
            )
            uow.subscriptions.save(subscription)
            await uow.commit()
        return subscription

    async def unsubscribe(self, chat_id: int, learner_id: int | None, *, role: ChatRole) -> bool:
        _require_push_rights(learner_id, role)
        async with self._store.unit_of_work() as uow:
            current = await uow.subscriptions.for_chat(chat_id, learner_id)
            if current is None:
                return False
            uow.subscriptions.delete(current.id)
            await uow.commit()
        return True

    async def current(self, chat_id: int, learner_id: int | None) -> Subscription | None:
        async with self._store.unit_of_work() as uow:
            return await uow.subscriptions.for_chat(chat_id, learner_id)

    def screen(self, push: Push) -> Screen | None:
        """What a learner's claimed push says: "N cards are due" with a Start review button.
        None for a group's push (a quiz) and when nothing is due."""
        if push.subscription.learner_id is None or push.due_count <= 0 or not push.deck_names:
            return None
        text = texts.remind_push(push.due_count, ", ".join(push.deck_names))
        button = Button(texts.PUSH_START_REVIEW, START_REVIEW_TOKEN, primary=True)
        return Screen((Block(text),), ((button,),))

    async def tick(
        self,
        worker: str = "worker",
        lease: timedelta = DEFAULT_LEASE,
        grace: timedelta = DEFAULT_GRACE,
        limit: int = 500,
    ) -> list[Push]:
        """Lease the pushes due now for `worker` and say what each is to send.

        A leased push stays due: it moves to its next local day only by `mark_sent`, once the
        platform accepted it, so a worker that dies mid-batch leaves the rest to whichever worker
        ticks after `lease` ran out. A push missed by more than `grace` (every worker was down)
        is skipped here, not sent late.
        """
        now = self._clock.now()
        while True:
            claim = f"{worker}#{self._random.new_id()}"  # this claim's own token, unique per claim
            async with self._store.unit_of_work() as uow:
                leased = await uow.subscriptions.claim_due(now, limit, claim, now + lease)
            async with self._store.unit_of_work() as uow:  # a few reads for the whole batch
                # The chats are looked up here, once: each one's platform routes its push.
                chats = await uow.chats.get_many([sub.chat_id for sub in leased])
                in_time = [
                    (sub, chats[sub.chat_id])
                    for sub in leased
                    if sub.chat_id in chats and now - sub.next_push_at <= grace
                ]
                offers = await push_offers(uow, in_time, now)
            pushes = [
                Push(
                    sub,
                    chat,
                    offer.due_count,
                    offer.deck_ids,
                    send_by=now + lease / 2,
                    deck_names=offer.deck_names,
                )
                for (sub, chat), offer in zip(in_time, offers, strict=True)
            ]
            taken = {sub.id for sub, _ in in_time}
            await self._move_on([sub for sub in leased if sub.id not in taken], sent=False)
            # A batch that was all skipped (missed, or its chat gone) claims the next one: an
            # empty answer means nothing due is left unleased.
            if pushes or not leased:
                return pushes

    async def deliver_due(
        self,
        deliver: Callable[[list[Push]], Awaitable[object]],
        worker: str = "worker",
        lease: timedelta = DEFAULT_LEASE,
        batch: int = 100,
    ) -> int:
        """Claim and `deliver` the pushes due now, `batch` at a time, until none is left
        unleased (a crowded minute's thousands, not one batch a minute). How many pushes were
        claimed.

        The next batch is claimed while one is being delivered, one batch ahead at most: the
        worker does not pause between batches for a claim (it would fall behind Telegram's
        30/s), and a lease is held for at most two batches' sending (`batch` is sized so that
        both fit well within a push's send-by)."""
        claimed = 0
        pushes = await self.tick(worker, lease=lease, limit=batch)
        while pushes:
            claimed += len(pushes)
            ahead = asyncio.create_task(self.tick(worker, lease=lease, limit=batch))
            try:
                await deliver(pushes)
            except BaseException:
                # The claim ahead is let finish: its pushes stay leased, as a stopped worker's
                # do, and another worker sends them after the lease.
                await asyncio.gather(ahead, return_exceptions=True)
                raise
            pushes = await ahead
        return claimed

    def may_send(self, push: Push) -> bool:
        """Whether the push's lease still holds long enough to send it; if not, it is left
        leased, and whichever worker claims it after the lease sends it."""
        return push.send_by is None or self._clock.now() < push.send_by

    async def mark_sent(self, push: Push) -> bool:
        """The push is done (the platform accepted it, or there was nothing to send): move its
        subscription to the next local day and end the lease. False when the subscription
        changed meanwhile (the chat chose another time, or unsubscribed)."""
        [moved] = await self._move_on([push.subscription], sent=True)
        return moved

    async def mark_sent_many(self, pushes: Sequence[Push]) -> list[bool]:
        """`mark_sent` for each push, in one unit of work: whether each moved, in order. Each
        is still a versioned save, so a subscription that changed meanwhile is not moved."""
        return await self._move_on([push.subscription for push in pushes], sent=True)

    async def _move_on(self, subs: Sequence[Subscription], *, sent: bool) -> list[bool]:
        now = self._clock.now()
        moved = [_moved_on(sub, now, sent=sent) for sub in subs]
        if len(moved) > 1 and await self._save_all(moved):
            return [True] * len(moved)
        # One of them changed meanwhile (or there is one): each alone, so the others still move.
        return [await self._save_all([sub]) for sub in moved]

    async def _save_all(self, moved: Sequence[Subscription]) -> bool:
        try:
            async with self._store.unit_of_work() as uow:
                for sub in moved:
                    uow.subscriptions.save(sub)
                await uow.commit()
        except ConcurrencyConflict:
            return False
        return True


def _moved_on(sub: Subscription, now: datetime, *, sent: bool) -> Subscription:
    """The subscription at its next push: the day after the one it was due on (or after now)."""
    tz = parse_zone(sub.time_zone)
    scheduled_day = local_date(sub.next_push_at, tz)
    _, following = next_push_after(
        max(now, push_instant(scheduled_day, sub.local_time, tz)), sub.local_time, tz
    )
    return replace(
        sub,
        next_push_at=following,
        last_sent_day=scheduled_day if sent else sub.last_sent_day,
        version=sub.version + 1,
    )
