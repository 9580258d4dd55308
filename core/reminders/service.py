"""Daily pushes: subscribe, unsubscribe, and the minutely tick that claims what is due."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from core import texts
from core.actions import START_REVIEW_TOKEN
from core.errors import ConcurrencyConflict, InvalidInput
from core.learners import Chat
from core.permissions import ChatAction, ChatRole, require
from core.ports import Clock, Randomness, Store, UnitOfWork
from core.reminders.model import Subscription
from core.reminders.timing import local_date, next_push_after, push_instant
from core.review.limits import daily_allowance, todays_counts
from core.screens import Block, Button, Screen
from core.zones import parse_zone, zone_name

__all__ = ["Push", "ReminderService", "parse_local_time"]

DEFAULT_GRACE = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class Push:
    """One claimed push: send it (or, when nothing is due, send nothing; it is still done).
    `chat` is where it goes: its platform is the one that delivers it."""

    subscription: Subscription
    chat: Chat
    due_count: int
    deck_ids: tuple[str, ...]


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

    async def screen(self, push: Push) -> Screen | None:
        """What a learner's claimed push says: "N cards are due" with a Start review button.
        None for a group's push (a quiz) and when nothing is due."""
        async with self._store.unit_of_work() as uow:
            decks = [d for d in [await uow.decks.get(i) for i in push.deck_ids] if d is not None]
        if push.subscription.learner_id is None or push.due_count <= 0 or not decks:
            return None
        names = ", ".join(deck.name for deck in decks)
        text = texts.remind_push(push.due_count, names)
        button = Button(texts.PUSH_START_REVIEW, START_REVIEW_TOKEN, primary=True)
        return Screen((Block(text),), ((button,),))

    async def tick(self, grace: timedelta = DEFAULT_GRACE, limit: int = 500) -> list[Push]:
        """Claim every push due now. Each claim moves the subscription to its next local day in
        the same transaction, so a second tick or worker never sends it again; a push missed
        by more than `grace` (the bot was down) is skipped, not sent late."""
        now = self._clock.now()
        async with self._store.unit_of_work() as uow:
            due = await uow.subscriptions.due(now, limit)
        pushes = []
        for subscription in due:
            try:
                push = await self._claim(subscription, now, grace)
            except ConcurrencyConflict:
                continue  # another worker claimed it
            if push is not None:
                pushes.append(push)
        return pushes

    async def _claim(self, sub: Subscription, now: datetime, grace: timedelta) -> Push | None:
        tz = parse_zone(sub.time_zone)
        scheduled_day = local_date(sub.next_push_at, tz)
        send = now - sub.next_push_at <= grace
        _, following = next_push_after(
            max(now, push_instant(scheduled_day, sub.local_time, tz)), sub.local_time, tz
        )
        claimed = replace(
            sub,
            next_push_at=following,
            last_sent_day=scheduled_day if send else sub.last_sent_day,
            version=sub.version + 1,
        )
        async with self._store.unit_of_work() as uow:
            uow.subscriptions.save(claimed)
            # The chat is looked up here, once: its platform routes the push.
            chat = await uow.chats.get(claimed.chat_id)
            push = await self._content(uow, claimed, chat, now) if send and chat else None
            await uow.commit()
        return push

    async def _content(self, uow: UnitOfWork, sub: Subscription, chat: Chat, now: datetime) -> Push:
        """How many cards the push can offer: due ones plus today's new ones, within the limits."""
        deck_ids = await self._decks_for(uow, sub, chat)
        learner = await uow.learners.get(sub.learner_id) if sub.learner_id else None
        if learner is None or not deck_ids:
            return Push(sub, chat, 0, deck_ids)
        allowance = daily_allowance(learner.settings, await todays_counts(uow, learner, now))
        reviews_left, new_left = allowance.reviews_left, allowance.new_left
        due = await uow.card_states.due(learner.id, deck_ids, now, reviews_left)
        new = (
            await uow.card_states.unseen_card_ids(learner.id, deck_ids, new_left)
            if new_left
            else []
        )
        return Push(sub, chat, min(len(due) + len(new), reviews_left), deck_ids)

    @staticmethod
    async def _decks_for(uow: UnitOfWork, sub: Subscription, chat: Chat) -> tuple[str, ...]:
        """The subscription's deck, else the chat's active deck, else every deck it can see."""
        if sub.deck_id:
            return (sub.deck_id,)
        if chat.active_deck_id:
            return (chat.active_deck_id,)
        return tuple(deck.id for deck in await uow.decks.visible_in(sub.chat_id))
