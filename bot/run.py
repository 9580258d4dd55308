"""`quizbot run`: the bots whose tokens are set, in one event loop over one store."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

from telegram.error import InvalidToken, NetworkError

from adapters.scheduling import BotScheduler
from adapters.telegram.app import AnyApplication, build_application
from adapters.telegram.handlers import TelegramServices
from adapters.telegram.polling import polling
from adapters.telegram.pushes import PushDelivery
from bot.settings import Settings
from bot.wiring import App, open_app

__all__ = ["StartupError", "daily_pushes", "run_bots"]

log = logging.getLogger(__name__)


class StartupError(Exception):
    """A bot could not start (bad token, server unreachable); the message names no secret."""


async def run_bots(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly: polling first, then the store."""
    if settings.telegram_bot_token is None:
        raise ValueError("run_bots needs TELEGRAM_BOT_TOKEN")  # the CLI checks this first
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with open_app(settings) as quiz:
        scheduler = BotScheduler(quiz.clock)
        telegram = build_application(
            settings.telegram_bot_token.get_secret_value(),
            TelegramServices(
                quiz.store,
                quiz.library,
                quiz.reviews,
                quiz.stats,
                quiz.reminders,
                quiz.quizzes,
                scheduler,
                quiz.settings,
            ),
            base_url=settings.telegram_base_url,
            base_file_url=settings.telegram_base_file_url,
            rate_limit=settings.telegram_rate_limit,
        )
        try:
            async with polling(telegram):
                scheduler.every_minute(daily_pushes(quiz, telegram))
                scheduler.start()  # after polling started; shut down before polling stops
                try:
                    log.info("Telegram bot is running; stop it with Ctrl-C or SIGTERM")
                    await stop.wait()
                finally:
                    await scheduler.shutdown()
        except InvalidToken:
            raise StartupError("Telegram refused TELEGRAM_BOT_TOKEN: check the token.") from None
        except NetworkError as error:
            raise StartupError(
                f"Cannot reach the Telegram Bot API at {settings.telegram_base_url}: {error}"
            ) from None
        log.info("stopped")


def daily_pushes(quiz: App, telegram: AnyApplication) -> Callable[[], Awaitable[None]]:
    """The minutely tick: claim the pushes due now and send them through the Telegram bot."""
    delivery = PushDelivery(quiz.store, quiz.reminders)

    async def tick() -> None:
        claimed, sent = await delivery.tick(telegram.bot)
        if claimed:
            log.info("daily pushes: %d claimed, %d sent", claimed, sent)

    return tick
