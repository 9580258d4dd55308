"""`quizbot run`: the bots whose tokens are set, in one event loop over one store."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence

from telegram.error import InvalidToken, NetworkError

from adapters.scheduling import BotScheduler, Job
from adapters.telegram.app import build_bot
from adapters.telegram.handlers import TelegramServices
from adapters.telegram.polling import polling
from bot.settings import Settings
from bot.wiring import open_app
from core.reminders.service import Push, ReminderService

__all__ = ["StartupError", "daily_pushes", "run_bots"]

log = logging.getLogger(__name__)

# A platform's delivery of claimed pushes: how many it delivered.
Deliver = Callable[[Sequence[Push]], Awaitable[int]]


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
        telegram = build_bot(
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
            async with polling(telegram.application):
                scheduler.every_minute(daily_pushes(quiz.reminders, [telegram.deliver]))
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


def daily_pushes(reminders: ReminderService, platforms: Sequence[Deliver]) -> Job:
    """The minutely tick: claim the pushes due now, once, and hand them to every platform (each
    delivers those of its own chats)."""

    async def tick() -> None:
        pushes = await reminders.tick()
        if pushes:
            sent = [await deliver(pushes) for deliver in platforms]
            log.info("daily pushes: %d claimed, %d delivered", len(pushes), sum(sent))

    return tick
