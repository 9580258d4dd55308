"""Delivering the daily pushes the core claimed, the same way on every chat platform.

The minutely tick leases the due pushes; `PushRouter` hands each platform the pushes of its own
chats. Each push that goes out is marked sent right after its platform answered, one small
transaction per push: a worker killed between the platform's answer and that commit sends that
one push again after the lease (at least once there); anywhere else a push goes out exactly once.
Marking several sent pushes in one transaction would widen that window to all of them, so only
the pushes with nothing to send (no card due) are marked together, at the end of the batch: a
kill before that leaves them to be found empty again. A push is
not begun after half its lease (a slow batch's tail is left to the next claim), so a lease
does not run out while its push is being sent.

A learner's push is a message saying how many cards are due (with a Start review button), a
group's is a short quiz (`DailyQuiz`). A subclass sends, and maps its platform's
refusals: a chat that blocked the bot loses its subscription.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from adapters.observability.metrics import Metrics
from core.learners import Chat
from core.reminders.service import Push, ReminderService
from core.screens import Screen

__all__ = ["DailyQuiz", "PushDeliveryBase", "Send"]

# Starts a group's daily quiz in a chat on a deck; False when there was nothing to start.
DailyQuiz = Callable[[Chat, str], Awaitable[bool]]
# One push's sending; True when it went out.
Send = Callable[[], Awaitable[bool]]


class PushDeliveryBase(ABC):
    platform: str  # the platform's name, for the metrics

    def __init__(
        self, reminders: ReminderService, daily_quiz: DailyQuiz, metrics: Metrics | None = None
    ) -> None:
        self._reminders = reminders
        self._daily_quiz = daily_quiz
        self._metrics = metrics or Metrics()

    async def _deliver(
        self, pushes: Sequence[Push], send_screen: Callable[[Chat, Screen], Awaitable[bool]]
    ) -> int:
        """Deliver each push that has something to say (the router hands this platform only
        its own chats' pushes), marking each done as soon as it is; how many went out."""
        sent = 0
        empty: list[Push] = []  # nothing to send: marked done together, after the batch
        try:
            for push in pushes:
                if not self._reminders.may_send(push):
                    continue  # the batch ran late: left to the next claim, after the lease
                send = await self._sending(push, send_screen)
                if send is None:  # nothing due (or no deck to quiz on): done all the same
                    empty.append(push)
                    continue
                # A refusal is not retried either (a blocked chat was unsubscribed): done.
                with self._metrics.push(self.platform):
                    delivered = await self._send(push, send)
                self._metrics.push_done(self.platform, delivered)
                sent += delivered
                # Marked at once, alone: a worker killed now sends only this one push again.
                await self._reminders.mark_sent(push)
        finally:
            if empty:
                await self._reminders.mark_sent_many(empty)
        return sent

    async def _sending(
        self, push: Push, send_screen: Callable[[Chat, Screen], Awaitable[bool]]
    ) -> Send | None:
        """How the push goes out: a group's daily quiz or a learner's screen; None when it has
        nothing to say."""
        if push.subscription.learner_id is None and push.deck_ids:
            return partial(self._daily_quiz, push.chat, push.deck_ids[0])
        screen = self._reminders.screen(push)
        return None if screen is None else partial(send_screen, push.chat, screen)

    @abstractmethod
    async def _send(self, push: Push, send: Send) -> bool:
        """`send`, with the platform's refusals mapped (a blocked chat is unsubscribed)."""
