"""Build the python-telegram-bot Application: handlers, command menu, error handler."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AsyncExitStack
from typing import Any

from telegram import BotCommand
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from adapters.chat.platform import StartupError
from adapters.chat.services import ChatServices
from adapters.telegram import texts
from adapters.telegram.aiohttp_request import AiohttpRequest
from adapters.telegram.deck_handlers import DECK_FILES, DeckHandlers
from adapters.telegram.identity import PLATFORM
from adapters.telegram.polling import polling
from adapters.telegram.pushes import PushDelivery
from adapters.telegram.quiz_handlers import QuizHandlers
from adapters.telegram.remind_handlers import RemindHandlers
from adapters.telegram.review_handlers import ReviewHandlers
from adapters.telegram.settings_handlers import SettingsHandlers
from adapters.telegram.stats_handlers import StatsHandlers
from adapters.telegram.updates_request import UpdatesRequest
from core.actions import ROUTE_PATTERNS, Route
from core.reminders.service import Push

__all__ = [
    "DEFAULT_API_URL",
    "RETRIES_AFTER_429",
    "AnyApplication",
    "TelegramBot",
    "build_bot",
    "register_commands",
]

# The Application as built here; its context and data types are the library defaults.
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Updates handled at once: the store group-commits concurrent units; the core's version checks
# keep two presses of one user from both counting.
CONCURRENT_UPDATES = 64
# HTTP connections to the Bot API (PTB's default is 256; 16 keep 64 handlers busy).
CONNECTION_POOL_SIZE = 16
# Times a call Telegram answered 429 is sent again, each after the retry_after it asked for:
# replies, edits, button answers and pushes alike; only then does the error reach the handler.
RETRIES_AFTER_429 = 3
DEFAULT_API_URL = "https://api.telegram.org/bot"  # PTB's default base_url


class TelegramBot:
    """The Application as a `ChatPlatform`: long polling, and the daily pushes of Telegram
    chats that the push router hands it."""

    name = PLATFORM

    def __init__(
        self, application: AnyApplication, pushes: PushDelivery, api_url: str, quizzes: QuizHandlers
    ) -> None:
        self.application = application
        self._pushes = pushes
        self._quizzes = quizzes
        self._api_url = api_url  # for messages: the application's own URLs carry the token
        self._running = AsyncExitStack()

    async def start(self) -> None:
        try:
            await self._running.enter_async_context(polling(self.application))
        except InvalidToken:
            raise StartupError("Telegram refused TELEGRAM_BOT_TOKEN: check the token.") from None
        except NetworkError as error:
            raise StartupError(
                f"Cannot reach the Telegram Bot API at {self._api_url}: {error}"
            ) from None

    async def ended(self) -> None:
        """Never by itself: PTB's polling outlasts network errors, retrying until stopped."""
        await asyncio.Event().wait()

    async def stop(self) -> None:
        await self._running.aclose()

    async def deliver(self, pushes: Sequence[Push]) -> int:
        """Deliver the claimed pushes of Telegram chats; how many went out."""
        return await self._pushes.deliver(self.application.bot, pushes)

    async def sweep_deadlines(self) -> int:
        return await self._quizzes.effects.sweep()


def build_bot(
    token: str,
    services: ChatServices,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limit: float | None = None,
) -> TelegramBot:
    """A ready-to-start bot; `rate_limit` messages/s overall (None or 0: no throttling; a 429
    is waited out and retried either way).

    No job queue: one shared scheduler is wired by the composition root.
    """
    hooks = _Hooks(services)
    builder = (
        ApplicationBuilder()
        .token(token)
        .job_queue(None)
        .concurrent_updates(CONCURRENT_UPDATES)
        .request(AiohttpRequest(CONNECTION_POOL_SIZE))
        .get_updates_request(UpdatesRequest(1))
        .post_init(hooks.post_init)
        .post_stop(hooks.post_stop)
        # The builder's generic parameters track the limiter type; ours stays untyped.
        .rate_limiter(_rate_limiter(rate_limit))  # type: ignore[arg-type]
    )
    if base_url is not None:
        builder = builder.base_url(base_url)
    if base_file_url is not None:
        builder = builder.base_file_url(base_file_url)
    app = builder.build()
    hooks.quizzes = _add_handlers(app, services)
    pushes = PushDelivery(services.reminders, hooks.quizzes.effects.start_daily)
    return TelegramBot(app, pushes, base_url or DEFAULT_API_URL, hooks.quizzes)


def _rate_limiter(rate_limit: float | None) -> AIORateLimiter:
    """PTB's limiter, the one place a 429 is retried; it throttles only when `rate_limit` is set
    (`rate_limit`/s overall, and Telegram's 20/min per group)."""
    if rate_limit:
        return AIORateLimiter(
            overall_max_rate=rate_limit, overall_time_period=1, max_retries=RETRIES_AFTER_429
        )
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=RETRIES_AFTER_429)


def _add_handlers(app: AnyApplication, services: ChatServices) -> QuizHandlers:
    """Every command, upload and button the bot answers; the quiz handlers (for `_Hooks`)."""
    handlers, decks, stats = (
        ReviewHandlers(services),
        DeckHandlers(services),
        StatsHandlers(services),
    )
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("help", handlers.help))
    app.add_handler(CommandHandler("review", handlers.review))
    app.add_handler(CommandHandler("decks", decks.decks))
    app.add_handler(CommandHandler("deck", decks.deck))
    app.add_handler(CommandHandler("stats", stats.stats))
    app.add_handler(CommandHandler("remind", RemindHandlers(services).remind))
    quizzes = QuizHandlers(services, services.quizzes, app.bot)
    app.add_handler(CommandHandler("quiz", quizzes.quiz))
    app.add_handler(CommandHandler("stop", quizzes.stop))
    app.add_handler(CallbackQueryHandler(quizzes.press, pattern=ROUTE_PATTERNS[Route.QUIZ]))
    settings = SettingsHandlers(services, services.settings)
    app.add_handler(CommandHandler("settings", settings.settings))
    app.add_handler(CallbackQueryHandler(settings.press, pattern=ROUTE_PATTERNS[Route.SETTINGS]))
    app.add_handler(MessageHandler(DECK_FILES, decks.import_document))
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, decks.import_hint)
    )
    presses = {
        Route.REVIEW: handlers.review_press,
        Route.DECK: decks.deck_press,
        Route.START_REVIEW: handlers.start_review_press,
    }
    for route, press in presses.items():
        app.add_handler(CallbackQueryHandler(press, pattern=ROUTE_PATTERNS[route]))
    app.add_handler(CallbackQueryHandler(handlers.unknown_press))
    app.add_error_handler(handlers.error)
    return quizzes


class _Hooks:
    """What runs once the bot is initialized (and before polling starts), and once it stops."""

    quizzes: QuizHandlers  # set by build_bot once the handlers are added, before any start

    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def post_init(self, app: AnyApplication) -> None:
        await register_commands(app)
        # Quizzes the last run left: re-arm their deadlines or post how they ended.
        await self.quizzes.effects.resume(await self._services.quizzes.recover(PLATFORM))

    async def post_stop(self, app: AnyApplication) -> None:
        await self.quizzes.effects.aclose()


async def register_commands(app: AnyApplication) -> None:
    """Show the commands in Telegram's menu (post_init: once the bot is initialized)."""
    await app.bot.set_my_commands([BotCommand(name, about) for name, about in texts.COMMANDS])
