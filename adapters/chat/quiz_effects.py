"""One executor for every chat platform: applies a group quiz's effects, in the core's order.

`QuizService` says what happens (`core/quiz/effects.py`); this module does it through a small
per-platform `QuizMessenger` (send, edit, refresh, clear buttons, answer the presser), held by
composition. It arms and cancels deadlines on the shared scheduler, refreshes the "N rated" line
lazily (`ThrottledEdits`: platforms limit edits), and remembers the card message's handle as part
of posting or moving it. The handle is saved through `QuizService.set_message_ref`, after the
send: it does not exist before, when the event's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Generic, Protocol, TypeVar

from adapters.chat.throttle import ThrottledEdits
from core.learners import Chat
from core.ports import Deadlines
from core.quiz.effects import (
    ArmDeadline,
    CancelDeadline,
    CloseCard,
    EditCard,
    Notice,
    PostCard,
    PostSummary,
    QuizUpdate,
    RefreshRatedCount,
)
from core.quiz.service import QuizService
from core.screens import Screen

__all__ = ["QuizEffectExecutor", "QuizMessenger", "deadline_name"]

# What a platform's press hands over (Discord answers through the interaction, Telegram the query).
Pressed = TypeVar("Pressed")
PressedIn = TypeVar("PressedIn", contravariant=True)


def deadline_name(quiz_id: int) -> str:
    """The deadline's job name; quiz ids are unique across platforms."""
    return f"quiz-{quiz_id}"


class QuizMessenger(Protocol[PressedIn]):
    """How one platform shows a quiz. `where` is the chat's platform id; a handle is the
    platform's id of a message, as text. `pressed` is the press being answered, when the
    message is the pressed one (a platform may answer a press by editing its message)."""

    @property
    def platform(self) -> str: ...

    async def send(self, where: str, screen: Screen) -> str:
        """Send the screen as new messages; the handle of the last (the one with the buttons)."""
        ...

    async def edit(
        self,
        where: str,
        handle: str,
        screen: Screen,
        pressed: PressedIn | None,
        replaces: Screen | None = None,
    ) -> str | None:
        """Show `screen` in the message, with the files only it has when `replaces` (what the
        message showed) is given; the handle of the new last message when it took more."""
        ...

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        """Show the screen's last part in the message (the one with the buttons)."""
        ...

    async def clear_buttons(self, where: str, handle: str, pressed: PressedIn | None) -> None: ...

    async def tell(self, pressed: PressedIn, text: str) -> None:
        """Answer the member who pressed, so only they see it."""
        ...


class QuizEffectExecutor(Generic[Pressed]):
    def __init__(
        self,
        messenger: QuizMessenger[Pressed],
        quizzes: QuizService,
        deadlines: Deadlines,
        *,
        refresh_seconds: float,
        platform_errors: tuple[type[Exception], ...],
    ) -> None:
        self._messenger = messenger
        self._quizzes = quizzes
        self._deadlines = deadlines
        self._platform_errors = platform_errors
        self._rated_edits = ThrottledEdits(refresh_seconds, platform_errors)

    async def apply(
        self, update: QuizUpdate, pressed: Pressed | None = None, pressed_handle: str | None = None
    ) -> None:
        """Do what the update says, in order; `pressed`/`pressed_handle`: the press and its
        message, which is the card message then. Another platform's quiz is left alone."""
        if update.chat.platform != self._messenger.platform:
            return
        card = _CardMessage(
            update.quiz.id,
            update.chat.platform_chat_id,
            pressed_handle or update.quiz.message_ref,
            pressed if pressed_handle is not None else None,
        )
        for effect in update.effects:
            if isinstance(effect, Notice):
                if pressed is not None:
                    await self._messenger.tell(pressed, effect.text)
            elif isinstance(effect, ArmDeadline):
                self._arm(effect)
            elif isinstance(effect, CancelDeadline):
                self._deadlines.cancel(deadline_name(effect.quiz_id))
            elif isinstance(effect, RefreshRatedCount):
                if card.handle is not None:
                    refresh = self._messenger.refresh
                    shown = (card.where, card.handle, effect.screen)
                    self._rated_edits.request(card.quiz_id, partial(refresh, *shown))
            else:
                self._rated_edits.cancel(card.quiz_id)  # the card changes: no stale count
                await self._show(effect, card)

    async def _show(
        self, effect: EditCard | CloseCard | PostCard | PostSummary, card: _CardMessage[Pressed]
    ) -> None:
        messenger, where = self._messenger, card.where
        if isinstance(effect, PostCard):
            card.handle, card.pressed = await messenger.send(where, effect.screen), None
            await self._quizzes.set_message_ref(card.quiz_id, card.handle)
        elif isinstance(effect, PostSummary):
            await messenger.send(where, effect.screen)
        elif card.handle is None:
            return  # no card message to change (never sent, or its handle was not saved)
        elif isinstance(effect, EditCard):
            moved = await messenger.edit(
                where, card.handle, effect.screen, card.pressed, effect.replaces
            )
            if moved is not None:  # a long answer: its buttons went to a new last message
                card.handle = moved
                await self._quizzes.set_message_ref(card.quiz_id, moved)
        else:
            await messenger.clear_buttons(where, card.handle, card.pressed)

    async def apply_new(self, update: QuizUpdate) -> None:
        """Show a quiz just started; if the platform refuses it, nobody can see (or stop) it, so
        it is abandoned and a retry starts afresh."""
        try:
            await self.apply(update)
        except self._platform_errors:
            await self._quizzes.abandon(update.quiz.id)
            raise

    async def deadline(self, quiz_id: int, version: int) -> None:
        """The armed deadline fired: reveal the answer or move to the next card."""
        update = await self._quizzes.on_deadline(quiz_id, version)
        if update is not None:
            await self.apply(update)

    async def sweep(self) -> int:
        """Act on this platform's deadlines that nobody handled (the worker whose timer it was
        died); another worker acting at once loses the compare-and-set and does nothing. How
        many this worker moved on."""
        acted = 0
        for quiz_id, version in await self._quizzes.overdue(self._messenger.platform):
            update = await self._quizzes.on_deadline(quiz_id, version)
            if update is not None:
                await self.apply(update)
                acted += 1
        return acted

    async def resume(self, updates: Iterable[QuizUpdate]) -> None:
        """After a restart (`QuizService.recover`): re-arm running quizzes, post the ended ones'
        summaries."""
        for update in updates:
            await self.apply(update)

    async def start_daily(self, chat: Chat, deck_id: str) -> bool:
        """A group's daily push: a short quiz. False when one is running already (or no cards)."""
        update = await self._quizzes.start_daily(chat, deck_id)
        if update is None:
            return False
        await self.apply_new(update)
        return True

    async def aclose(self) -> None:
        """Drop the refreshes still waiting (the bot is stopping)."""
        await self._rated_edits.aclose()

    def _arm(self, effect: ArmDeadline) -> None:
        quiz_id, version = effect.quiz_id, effect.version
        self._deadlines.at(
            deadline_name(quiz_id), effect.at, lambda: self.deadline(quiz_id, version)
        )


@dataclass(slots=True)
class _CardMessage(Generic[Pressed]):
    """The quiz's current message while an update is applied: a post or a long answer moves it."""

    quiz_id: int
    where: str
    handle: str | None
    pressed: Pressed | None  # the press, while the card message is the pressed one
