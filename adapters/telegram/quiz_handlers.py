"""/quiz and /stop in groups, the quiz's buttons, and its deadlines on the shared scheduler.

The quiz itself is the core's; this module posts its screens, edits the quiz message in place and
arms the deadline the core asks for. Groups allow about 20 messages a minute, so there is no
countdown (the question says how long it stays) and the "N rated" line is refreshed at most once
per `RATED_REFRESH_SECONDS`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.services import ChatServices
from adapters.telegram.identity import PLATFORM, identify, may_manage
from adapters.telegram.outgoing import HTML, edit_in_place, say
from adapters.telegram.render import render_screen
from adapters.throttle import ThrottledEdits
from core import texts
from core.actions import parse_token
from core.errors import QuizbotError
from core.learners import Chat
from core.quiz.model import GroupQuiz
from core.quiz.service import QuizService, QuizUpdate
from core.screens import Screen

__all__ = ["QUIZ_PATTERN", "RATED_REFRESH_SECONDS", "QuizHandlers", "parse_quiz_args"]

log = logging.getLogger(__name__)

QUIZ_PATTERN = r"^q\."
RATED_REFRESH_SECONDS = 3.0
DEFAULT_CARDS, DEFAULT_SECONDS = 10, 30


def parse_quiz_args(args: Iterable[str]) -> tuple[str, int, int]:
    """`/quiz [deck name] [cards] [seconds]`: trailing numbers are counts, the rest the name."""
    words = list(args)
    numbers: list[int] = []
    while words and words[-1].isdecimal() and len(numbers) < 2:
        numbers.insert(0, int(words.pop()))
    cards = numbers[0] if numbers else DEFAULT_CARDS
    seconds = numbers[1] if len(numbers) > 1 else DEFAULT_SECONDS
    return " ".join(words), cards, seconds


def deadline_name(quiz_id: int) -> str:
    return f"quiz-{quiz_id}"


class QuizHandlers:
    """Thin handlers over `QuizService`; `bot` sends what a deadline brings."""

    def __init__(self, services: ChatServices, quizzes: QuizService, bot: Bot) -> None:
        self._services = services
        self._quizzes = quizzes
        self._bot = bot
        self._rated_edits = ThrottledEdits(RATED_REFRESH_SECONDS, (TelegramError,))

    async def quiz(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        if not chat.is_group:
            await say(context.bot, where, texts.QUIZ_ONLY_IN_GROUPS)
            return
        name, cards, seconds = parse_quiz_args(context.args or ())
        library = self._services.library
        try:
            deck_id = (
                (await library.find(name, chat.id)).id
                if name
                else (await library.active_deck_ids(chat.id))[0]
            )
            change = await self._quizzes.start(chat, learner, deck_id, cards, seconds)
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await self._show(where, change)

    async def stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        try:
            is_admin = await may_manage(context.bot, update)
            change = await self._quizzes.stop(chat, learner, is_admin=is_admin)
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await self._show(where, change)

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        learner, _ = await identify(self._services.store, update)
        data = query.data or ""
        try:
            # Anyone may rate: ask Telegram who is an admin only for show/next/stop.
            is_admin = not _is_rating(data) and await may_manage(context.bot, update)
            change = await self._quizzes.press(learner, data, is_admin=is_admin)
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer(change.notice)
        await self._show(query.message.chat.id, change, shown_in=query.message.message_id)

    async def deadline(self, quiz_id: int, version: int) -> None:
        """The armed deadline fired: reveal the answer or move to the next card."""
        change = await self._quizzes.on_deadline(quiz_id, version)
        if change is not None:
            where = await self._telegram_chat_id(change.quiz)
            if where is not None:
                await self._show(where, change)

    async def resume(self, changes: Iterable[QuizUpdate]) -> None:
        """After a restart (`QuizService.recover`): re-arm running quizzes, post the ended ones'
        summaries. Quizzes of other platforms are left to their adapters."""
        for change in changes:
            where = await self._telegram_chat_id(change.quiz)
            if where is not None:
                await self._show(where, change)

    async def start_daily(self, chat: Chat, deck_id: str) -> bool:
        """A group's daily push: a short quiz. False when one is running already (or no cards).

        If Telegram refuses the first message the quiz is abandoned, so a retry starts afresh.
        """
        change = await self._quizzes.start_daily(chat, deck_id)
        if change is None:
            return False
        try:
            await self._show(int(chat.platform_chat_id), change)
        except TelegramError:
            await self._quizzes.abandon(change.quiz.id)
            raise
        return True

    async def aclose(self) -> None:
        """Drop the refreshes still waiting (the bot is stopping)."""
        await self._rated_edits.aclose()

    async def _show(self, where: int, change: QuizUpdate, *, shown_in: int | None = None) -> None:
        quiz = change.quiz
        target = shown_in or _message_id(quiz)
        if change.edit is not None and target is not None:
            if change.notice is not None:  # a rating: only the count changed; refresh lazily
                screen = change.edit
                self._rated_edits.request(quiz.id, lambda: self._refresh(where, target, screen))
            else:
                self._rated_edits.cancel(quiz.id)
                await self._edit(where, target, change.edit, quiz)
        if change.post:
            self._rated_edits.cancel(quiz.id)
            if target is not None:  # the closed card's buttons go: no more presses on it
                await edit_in_place(self._bot.edit_message_reply_markup(where, target))
            for screen in change.post:
                last = await self._post(where, screen)
            if not change.finished:
                await self._quizzes.set_message_ref(quiz.id, str(last.message_id))
        self._arm(change)

    def _arm(self, change: QuizUpdate) -> None:
        deadlines, quiz = self._services.deadlines, change.quiz
        if deadlines is None or change.notice is not None:
            return  # no scheduler (tests of other flows), or a rating: the deadline stands
        if change.finished or quiz.deadline_at is None:
            deadlines.cancel(deadline_name(quiz.id))
            return
        quiz_id, version = quiz.id, quiz.version
        deadlines.at(
            deadline_name(quiz_id), quiz.deadline_at, lambda: self.deadline(quiz_id, version)
        )

    async def _edit(
        self, where: int, message_id: int, screen: Screen, quiz: GroupQuiz | None = None
    ) -> None:
        first, *rest = render_screen(screen)
        await edit_in_place(
            self._bot.edit_message_text(
                first.text, where, message_id, parse_mode=HTML, reply_markup=first.reply_markup
            )
        )
        last = None
        for part in rest:  # a long answer: the keyboard moves to the new last part
            last = await self._bot.send_message(
                where, part.text, parse_mode=HTML, reply_markup=part.reply_markup
            )
        if last is not None and quiz is not None:
            await self._quizzes.set_message_ref(quiz.id, str(last.message_id))

    async def _refresh(self, where: int, message_id: int, screen: Screen) -> None:
        """A new count on the rating message: the screen's last part (a long answer's earlier
        parts are other messages, and stay as they are)."""
        last = render_screen(screen)[-1]
        await edit_in_place(
            self._bot.edit_message_text(
                last.text, where, message_id, parse_mode=HTML, reply_markup=last.reply_markup
            )
        )

    async def _post(self, where: int, screen: Screen) -> Message:
        sent = []
        for part in render_screen(screen):
            sent.append(
                await self._bot.send_message(
                    where, part.text, parse_mode=HTML, reply_markup=part.reply_markup
                )
            )
        return sent[-1]

    async def _telegram_chat_id(self, quiz: GroupQuiz) -> int | None:
        async with self._services.store.unit_of_work() as uow:
            chat = await uow.chats.get(quiz.chat_id)
        if chat is None or chat.platform != PLATFORM:
            return None
        return int(chat.platform_chat_id)


def _is_rating(data: str) -> bool:
    try:
        return parse_token(data).action.rating is not None
    except QuizbotError:
        return True  # not a token at all: the core refuses it without an admin check


def _message_id(quiz: GroupQuiz) -> int | None:
    return int(quiz.message_ref) if quiz.message_ref and quiz.message_ref.isdecimal() else None
