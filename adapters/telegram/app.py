"""Build the python-telegram-bot Application: handlers, command menu, error handler."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from adapters.telegram import texts
from adapters.telegram.deck_handlers import DECK_FILES, DECK_PATTERN, DeckHandlers
from adapters.telegram.handlers import TelegramHandlers, TelegramServices
from adapters.telegram.pushes import START_REVIEW_PATTERN
from adapters.telegram.remind_handlers import RemindHandlers
from adapters.telegram.stats_handlers import StatsHandlers

__all__ = [
    "DECK_FILES",
    "REVIEW_PATTERN",
    "AnyApplication",
    "TelegramServices",
    "build_application",
    "register_commands",
]

# The Application as built here; its context and data types are the library defaults.
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Core review tokens start with the review subject; core.actions makes and checks them.
REVIEW_PATTERN = r"^r\."


def build_application(
    token: str,
    services: TelegramServices,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limit: float | None = None,
) -> AnyApplication:
    """A ready-to-start Application; `rate_limit` messages/s overall (None or 0: no limiter).

    No job queue: one shared scheduler is wired by the composition root.
    """
    builder = ApplicationBuilder().token(token).job_queue(None).post_init(register_commands)
    if base_url is not None:
        builder = builder.base_url(base_url)
    if base_file_url is not None:
        builder = builder.base_file_url(base_file_url)
    if rate_limit:
        limiter = AIORateLimiter(overall_max_rate=rate_limit, overall_time_period=1)
        # The builder's generic parameters track the limiter type; ours stays untyped.
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    app = builder.build()
    handlers, decks, stats = (
        TelegramHandlers(services),
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
    app.add_handler(MessageHandler(DECK_FILES, decks.import_document))
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, decks.import_hint)
    )
    app.add_handler(CallbackQueryHandler(handlers.review_press, pattern=REVIEW_PATTERN))
    app.add_handler(CallbackQueryHandler(decks.deck_press, pattern=DECK_PATTERN))
    app.add_handler(CallbackQueryHandler(handlers.start_review_press, pattern=START_REVIEW_PATTERN))
    app.add_handler(CallbackQueryHandler(handlers.unknown_press))
    app.add_error_handler(handlers.error)
    return app


async def register_commands(app: AnyApplication) -> None:
    """Show the commands in Telegram's menu (post_init: once the bot is initialized)."""
    await app.bot.set_my_commands([BotCommand(name, about) for name, about in texts.COMMANDS])
