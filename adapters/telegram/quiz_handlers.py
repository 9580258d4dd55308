"""/quiz and /stop in groups, and the quiz's buttons.

The quiz is the core's; `QuizEffectExecutor` applies what it returns through
`TelegramQuizMessenger`. Groups allow about 20 messages a minute, so there is no countdown (the
question says how long it stays) and the "N rated" line is refreshed at most once per
`RATED_REFRESH_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.chat.quiz_effects import QuizEffectExecutor, deadline_name
from adapters.chat.services import ChatServices
from adapters.telegram.identity import CAPABILITIES, chat_role, identify
from adapters.telegram.outgoing import say
from adapters.telegram.quiz_messenger import CallbackPress, TelegramQuizMessenger
from adapters.telegram.sent_media import SentMedia
from core.actions import parse_token
from core.errors import QuizbotError
from core.quiz.rules import QUIZ_CARDS, QUIZ_SECONDS
from core.quiz.service import QuizService

__all__ = [
    "RATED_REFRESH_SECONDS",
    "QuizHandlers",
    "deadline_name",
    "parse_quiz_args",
]

RATED_REFRESH_SECONDS = 3.0


def parse_quiz_args(args: Iterable[str]) -> tuple[str, int, int]:
    """`/quiz [deck name] [cards] [seconds]`: trailing numbers are counts, the rest the name."""
    words = list(args)
    numbers: list[int] = []
    while words and words[-1].isdecimal() and len(numbers) < 2:
        numbers.insert(0, int(words.pop()))
    cards = numbers[0] if numbers else QUIZ_CARDS.default
    seconds = numbers[1] if len(numbers) > 1 else QUIZ_SECONDS.default
    return " ".join(words), cards, seconds


class QuizHandlers:
    """Thin handlers over `QuizService`; `bot` sends what a deadline brings."""

    def __init__(
        self, services: ChatServices, quizzes: QuizService, bot: Bot, sent_media: SentMedia
    ) -> None:
        self._services = services
        self._quizzes = quizzes
        self.effects = QuizEffectExecutor(
            TelegramQuizMessenger(bot, services.library, sent_media),
            quizzes,
            services.deadlines,
            refresh_seconds=RATED_REFRESH_SECONDS,
            platform_errors=(TelegramError,),
        )

    async def quiz(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        name, cards, seconds = parse_quiz_args(context.args or ())
        library = self._services.library
        try:
            deck = await library.quiz_deck(name, chat.id)
            change = await self._quizzes.start(
                chat, learner, deck.id, cards, seconds, capabilities=CAPABILITIES
            )
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await self.effects.apply(change)

    async def stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        try:
            role = await chat_role(context.bot, update)
            change = await self._quizzes.stop(chat, learner, role=role)
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await self.effects.apply(change)

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        learner, _ = await identify(self._services.store, update)
        data = query.data or ""
        try:
            # Anyone may rate: ask Telegram who is an admin only for show/next/stop.
            role = await chat_role(context.bot, update, ask_admin=not _is_rating(data))
            change = await self._quizzes.press(learner, data, role=role)
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        pressed = CallbackPress(query)
        await self.effects.apply(change, pressed, str(query.message.message_id))
        await pressed.answer()  # when no effect answered it


def _is_rating(data: str) -> bool:
    try:
        return parse_token(data).action.rating is not None
    except QuizbotError:
        return True  # not a token at all: the core refuses it without an admin check
