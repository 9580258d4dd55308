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
    BaseRateLimiter,
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
from adapters.telegram.leech_handlers import LeechHandlers
from adapters.telegram.plan_handlers import PlanHandlers
from adapters.telegram.polling import polling
from adapters.telegram.pushes import PushDelivery
from adapters.telegram.quiz_handlers import QuizHandlers
from adapters.telegram.remind_handlers import RemindHandlers
from adapters.telegram.review_handlers import ReviewHandlers
from adapters.telegram.sent_media import SentMedia
from adapters.telegram.settings_handlers import SettingsHandlers
from adapters.telegram.shared_rate_limit import FloodLimits, RedisRateLimiter
from adapters.telegram.stats_handlers import StatsHandlers
from adapters.telegram.update_processor import MeteredUpdateProcessor
from adapters.telegram.updates_request import TolerantBot, UpdatesRequest
from adapters.telegram.webhook import WebhookConfig, WebhookReceiver, webhook
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
    """The Application as a `ChatPlatform`: long polling, or a webhook when `webhook` is given
    (the composition root mounts `receiver` on its HTTP server), and the daily pushes of
    Telegram chats that the push router hands it."""

    name = PLATFORM

    def __init__(
        self,
        application: AnyApplication,
        pushes: PushDelivery,
        api_url: str,
        quizzes: QuizHandlers,
        webhook: WebhookConfig | None = None,
    ) -> None:
        self.application = application
        self.webhook = webhook
        self.receiver = None if webhook is None else WebhookReceiver(application, webhook.secret)
        self._pushes = pushes
        self._quizzes = quizzes
        self._api_url = api_url  # for messages: the application's own URLs carry the token
        self._running = AsyncExitStack()

    async def start(self) -> None:
        app = self.application
        receiving = polling(app) if self.webhook is None else webhook(app, self.webhook)
        try:
            await self._running.enter_async_context(receiving)
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

    def connected(self) -> bool:
        """Started and taking updates (polling, or the webhook registered)."""
        updater = self.application.updater
        polling_on = self.webhook is not None or (updater is not None and updater.running)
        return self.application.running and polling_on

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
    webhook: WebhookConfig | None = None,
    redis_url: str | None = None,
    redis_prefix: str | None = None,
) -> TelegramBot:
    """A ready-to-start bot; `rate_limit` messages/s overall (None or 0: no throttling; a 429
    is waited out and retried either way), counted in this process, or with `redis_url` in
    Redis, shared by every worker that uses it (with Telegram's per-chat limits), under
    `redis_prefix` (default: the bot's id, which Telegram's limits are counted by); updates by
    long polling, or by `webhook`.

    No job queue: one shared scheduler is wired by the composition root.
    """
    hooks = _Hooks(services)
    metrics = services.metrics
    limiter = _rate_limiter(rate_limit, redis_url, redis_prefix or _flood_keys(token))
    urls = {"base_url": base_url, "base_file_url": base_file_url}
    bot = TolerantBot(
        token,
        updates=UpdatesRequest(1),
        request=AiohttpRequest(
            CONNECTION_POOL_SIZE, on_rate_limited=lambda: metrics.saw_rate_limit(PLATFORM)
        ),
        rate_limiter=limiter,
        **{name: url for name, url in urls.items() if url is not None},
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .job_queue(None)
        .concurrent_updates(MeteredUpdateProcessor(CONCURRENT_UPDATES, metrics))
        .post_init(hooks.post_init)
        .post_stop(hooks.post_stop)
        .build()
    )
    hooks.quizzes = _add_handlers(app, services)
    pushes = PushDelivery(services.reminders, hooks.quizzes.effects.start_daily, metrics)
    return TelegramBot(app, pushes, base_url or DEFAULT_API_URL, hooks.quizzes, webhook)


def _flood_keys(token: str) -> str:
    """The Redis key prefix of a bot's limits: its id (the token's public part)."""
    return f"quizbot:telegram:{token.split(':', 1)[0]}:flood"


def _rate_limiter(
    rate_limit: float | None, redis_url: str | None, prefix: str
) -> BaseRateLimiter[int]:
    """The one place a 429 is retried; it throttles only when `rate_limit` is set: shared in
    Redis when `redis_url` is (`rate_limit`/s overall, 1/s per private chat, 20/min per group),
    else PTB's in-process limiter (`rate_limit`/s overall, and 20/min per group)."""
    if rate_limit and redis_url:
        limits = FloodLimits.per_second(rate_limit)
        return RedisRateLimiter.from_url(
            redis_url, limits=limits, prefix=prefix, max_retries=RETRIES_AFTER_429
        )
    if rate_limit:
        return AIORateLimiter(
            overall_max_rate=rate_limit, overall_time_period=1, max_retries=RETRIES_AFTER_429
        )
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=RETRIES_AFTER_429)


def _add_handlers(app: AnyApplication, services: ChatServices) -> QuizHandlers:
    """Every command, upload and button the bot answers; the quiz handlers (for `_Hooks`)."""
    # One per bot: reviews and quizzes share the file_ids (kept in the store, per bot).
    sent_media = SentMedia(services.store)
    handlers, decks, stats = (
        ReviewHandlers(services, sent_media),
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
    app.add_handler(CommandHandler("plan", PlanHandlers(services).plan))
    quizzes = QuizHandlers(services, services.quizzes, app.bot, sent_media)
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
    leeches = LeechHandlers(services)
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, leeches.private_message
        )
    )
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.REPLY & filters.ChatType.GROUPS,
            leeches.group_reply,
        )
    )
    presses = {
        Route.LEECH: leeches.press,
        Route.REVIEW: handlers.review_press,
        Route.DECK: decks.deck_press,
        Route.HISTORY: decks.history_press,
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
