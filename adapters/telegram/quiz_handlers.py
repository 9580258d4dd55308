"""/quiz and /stop in groups, the quiz's buttons, and its deadlines on the shared scheduler.

The quiz itself is the core's; this module posts its screens, edits the quiz message in place and
arms the deadline the core asks for. Groups allow about 20 messages a minute, so there is no
countdown (the question says how long it stays) and the "N rated" line is refreshed at most once
per `RATED_REFRESH_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.chat.quiz_presenter import QuizPresenter, deadline_name
from adapters.chat.services import ChatServices
from adapters.telegram.identity import CAPABILITIES, PLATFORM, identify, may_manage
from adapters.telegram.outgoing import HTML, edit_in_place, say
from adapters.telegram.render import render_screen
from adapters.telegram.texts import COMMAND_NAMES
from core import texts
from core.actions import parse_token
from core.errors import QuizbotError
from core.quiz.service import QuizService
from core.screens import Screen

__all__ = [
    "RATED_REFRESH_SECONDS",
    "QuizHandlers",
    "deadline_name",
    "parse_quiz_args",
]

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


class QuizHandlers(QuizPresenter[None]):
    """Thin handlers over `QuizService`; `bot` sends what a deadline brings."""

    platform = PLATFORM

    def __init__(self, services: ChatServices, quizzes: QuizService, bot: Bot) -> None:
        super().__init__(services, quizzes, RATED_REFRESH_SECONDS, (TelegramError,))
        self._bot = bot

    async def quiz(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        if not chat.is_group:
            await say(context.bot, where, COMMAND_NAMES.fill(texts.QUIZ_ONLY_IN_GROUPS))
            return
        name, cards, seconds = parse_quiz_args(context.args or ())
        library = self._services.library
        try:
            deck_id = (
                (await library.find(name, chat.id)).id
                if name
                else (await library.active_deck_ids(chat.id))[0]
            )
            change = await self._quizzes.start(
                chat, learner, deck_id, cards, seconds, capabilities=CAPABILITIES
            )
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await self.show(where, change)

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
        await self.show(where, change)

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
        await self.show(query.message.chat.id, change, pressed_id=query.message.message_id)

    async def _edit(self, where: int, message_id: int, screen: Screen, pressed: None) -> int | None:
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
        return None if last is None else last.message_id

    async def _refresh(self, where: int, message_id: int, screen: Screen) -> None:
        last = render_screen(screen)[-1]
        await edit_in_place(
            self._bot.edit_message_text(
                last.text, where, message_id, parse_mode=HTML, reply_markup=last.reply_markup
            )
        )

    async def _close_buttons(self, where: int, message_id: int, pressed: None) -> None:
        await edit_in_place(self._bot.edit_message_reply_markup(where, message_id))

    async def _post(self, where: int, screen: Screen) -> int:
        last = None
        for part in render_screen(screen):
            last = await self._bot.send_message(
                where, part.text, parse_mode=HTML, reply_markup=part.reply_markup
            )
        assert last is not None  # a screen renders to at least one message
        return last.message_id


def _is_rating(data: str) -> bool:
    try:
        return parse_token(data).action.rating is not None
    except QuizbotError:
        return True  # not a token at all: the core refuses it without an admin check
