"""What every chat platform does with a group quiz's updates, whatever its messages look like.

The quiz is the core's (`QuizService`). A presenter edits the quiz message in place, posts new
cards and the summary, takes the buttons off a closed card, refreshes the "N rated" line lazily
(`ThrottledEdits`: platforms limit edits), arms the deadline the core asks for on the shared
scheduler (again when everyone has rated and the core brought it forward), and re-arms or ends
quizzes after a restart. A platform subclass supplies the four
primitives that send (`_edit`, `_refresh`, `_close_buttons`, `_post`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Generic, TypeVar

from adapters.chat.services import ChatServices
from adapters.chat.throttle import ThrottledEdits
from core.learners import Chat
from core.quiz.model import GroupQuiz
from core.quiz.service import QuizService, QuizUpdate
from core.screens import Screen

__all__ = ["QuizPresenter", "deadline_name"]

# What a platform's press hands over (Discord answers through the interaction; Telegram needs none).
Pressed = TypeVar("Pressed")


def deadline_name(quiz_id: int) -> str:
    """The deadline's job name; quiz ids are unique across platforms."""
    return f"quiz-{quiz_id}"


class QuizPresenter(ABC, Generic[Pressed]):
    platform: str

    def __init__(
        self,
        services: ChatServices,
        quizzes: QuizService,
        refresh_seconds: float,
        platform_errors: tuple[type[Exception], ...],
    ) -> None:
        self._services = services
        self._quizzes = quizzes
        self._platform_errors = platform_errors
        self._rated_edits = ThrottledEdits(refresh_seconds, platform_errors)

    async def deadline(self, quiz_id: int, version: int) -> None:
        """The armed deadline fired: reveal the answer or move to the next card."""
        change = await self._quizzes.on_deadline(quiz_id, version)
        if change is not None and (where := await self._chat_id(change.quiz)) is not None:
            await self.show(where, change)

    async def resume(self, changes: Iterable[QuizUpdate]) -> None:
        """After a restart (`QuizService.recover`): re-arm running quizzes, post the ended ones'
        summaries. Quizzes of other platforms are left to their adapters."""
        for change in changes:
            if (where := await self._chat_id(change.quiz)) is not None:
                await self.show(where, change)

    async def start_daily(self, chat: Chat, deck_id: str) -> bool:
        """A group's daily push: a short quiz. False when one is running already (or no cards).

        If the platform refuses the first message the quiz is abandoned, so a retry starts afresh.
        """
        change = await self._quizzes.start_daily(chat, deck_id)
        if change is None:
            return False
        try:
            await self.show(int(chat.platform_chat_id), change)
        except self._platform_errors:
            await self._quizzes.abandon(change.quiz.id)
            raise
        return True

    async def aclose(self) -> None:
        """Drop the refreshes still waiting (the bot is stopping)."""
        await self._rated_edits.aclose()

    async def show(
        self,
        where: int,
        change: QuizUpdate,
        pressed: Pressed | None = None,
        pressed_id: int | None = None,
    ) -> None:
        """Apply an update in chat `where`; `pressed`/`pressed_id`: the press and its message."""
        quiz = change.quiz
        target = pressed_id or _message_id(quiz)
        in_place = pressed if pressed is not None and target == pressed_id else None
        if change.edit is not None and target is not None:
            if change.notice is not None:  # a rating: only the count changed; refresh lazily
                screen = change.edit
                self._rated_edits.request(quiz.id, lambda: self._refresh(where, target, screen))
            else:
                self._rated_edits.cancel(quiz.id)
                moved = await self._edit(where, target, change.edit, in_place)
                if moved is not None:  # a long answer: its buttons went to a new last message
                    await self._quizzes.set_message_ref(quiz.id, str(moved))
        if change.post:
            self._rated_edits.cancel(quiz.id)
            if target is not None:  # the closed card's buttons go: no more presses on it
                await self._close_buttons(where, target, in_place)
            last = None
            for screen in change.post:
                last = await self._post(where, screen)
            if not change.finished and last is not None:
                await self._quizzes.set_message_ref(quiz.id, str(last))
        self._arm(change)

    @abstractmethod
    async def _edit(
        self, where: int, message_id: int, screen: Screen, pressed: Pressed | None
    ) -> int | None:
        """Show `screen` in the message; the id of the new last message when it took more."""

    @abstractmethod
    async def _refresh(self, where: int, message_id: int, screen: Screen) -> None:
        """Show the screen's last part in the message (the one with the buttons)."""

    @abstractmethod
    async def _close_buttons(self, where: int, message_id: int, pressed: Pressed | None) -> None:
        """Take the buttons off the message."""

    @abstractmethod
    async def _post(self, where: int, screen: Screen) -> int:
        """Send the screen as new messages; the id of the last."""

    def _arm(self, change: QuizUpdate) -> None:
        deadlines, quiz = self._services.deadlines, change.quiz
        if change.notice is not None and not change.deadline_moved:
            return  # a rating that left the deadline
        if change.finished or quiz.deadline_at is None:
            deadlines.cancel(deadline_name(quiz.id))
            return
        quiz_id, version = quiz.id, quiz.version
        deadlines.at(
            deadline_name(quiz_id), quiz.deadline_at, lambda: self.deadline(quiz_id, version)
        )

    async def _chat_id(self, quiz: GroupQuiz) -> int | None:
        """The platform's id of the quiz's chat; None when it is another platform's."""
        async with self._services.store.unit_of_work() as uow:
            chat = await uow.chats.get(quiz.chat_id)
        if chat is None or chat.platform != self.platform:
            return None
        return int(chat.platform_chat_id)


def _message_id(quiz: GroupQuiz) -> int | None:
    return int(quiz.message_ref) if quiz.message_ref and quiz.message_ref.isdecimal() else None
