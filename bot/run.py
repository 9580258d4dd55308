"""`quizbot run`: the bots whose tokens are set, in one event loop over one store and scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial

import aiohttp
import discord
from telegram.error import InvalidToken, NetworkError

from adapters.discord.app import QuizbotClient, build_client
from adapters.discord.connection import connected
from adapters.discord.pushes import DiscordPushDelivery
from adapters.scheduling import BotScheduler, Job
from adapters.services import ChatServices
from adapters.telegram.app import TelegramBot, build_bot
from adapters.telegram.polling import polling
from bot.settings import Settings
from bot.wiring import App, open_app
from core.reminders.service import Push, ReminderService

__all__ = ["StartupError", "daily_pushes", "run_bots"]

log = logging.getLogger(__name__)

# A platform's delivery of claimed pushes: how many it delivered.
Deliver = Callable[[Sequence[Push]], Awaitable[int]]


class StartupError(Exception):
    """A bot could not start (bad token, server unreachable); the message names no secret."""


async def run_bots(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM (or the Discord connection ends), then stop cleanly.

    The scheduler starts before the bots take updates (a deadline a handler or a resumed quiz
    arms is scheduled at once) and stops after they stopped; the minutely tick runs only while
    every bot is up (a push claimed for a bot still connecting, or stopping, would be lost).
    """
    if not settings.configured_platforms:
        raise ValueError("run_bots needs a bot token")  # the CLI checks this first
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with open_app(settings) as quiz:
        scheduler = BotScheduler(quiz.clock)
        scheduler.start()
        try:
            await _serve(settings, quiz, scheduler, stop)
        finally:
            await scheduler.shutdown()
    log.info("stopped")


async def _serve(
    settings: Settings, quiz: App, scheduler: BotScheduler, stop: asyncio.Event
) -> None:
    """Start the configured bots, tick while they run, and stop them."""
    services = ChatServices(
        quiz.store,
        quiz.library,
        quiz.reviews,
        quiz.stats,
        quiz.reminders,
        quiz.quizzes,
        scheduler,
        quiz.settings,
    )
    deliveries: list[Deliver] = []
    gateway: asyncio.Task[None] | None = None
    async with AsyncExitStack() as bots:
        if settings.telegram_bot_token is not None:
            telegram = await bots.enter_async_context(_telegram(settings, services))
            deliveries.append(telegram.deliver)
        if settings.discord_bot_token is not None:
            client = build_client(
                services,
                api_base_url=settings.discord_api_base_url,
                gateway_url=settings.discord_gateway_url,
                dev_guild_id=settings.discord_dev_guild_id,
            )
            gateway = await bots.enter_async_context(_discord(settings, client))
            pushes = DiscordPushDelivery(quiz.reminders, client.daily_quiz)
            deliveries.append(partial(pushes.deliver, client))
        scheduler.every_minute(daily_pushes(quiz.reminders, deliveries))
        try:
            names = " and ".join(p.capitalize() for p in settings.configured_platforms)
            log.info("%s bot is running; stop it with Ctrl-C or SIGTERM", names)
            await _until(stop, gateway)
        finally:
            scheduler.stop_ticking()


async def _until(stop: asyncio.Event, gateway: asyncio.Task[None] | None) -> None:
    """Wait for a stop signal; a Discord connection that ends on its own ends the run too."""
    waiting = asyncio.create_task(stop.wait())
    tasks: set[asyncio.Future[object]] = {waiting}  # type: ignore[arg-type]
    if gateway is not None:
        tasks.add(gateway)  # type: ignore[arg-type]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if gateway is not None and gateway.done() and not gateway.cancelled():
        error = gateway.exception()
        if error is not None:
            raise StartupError(f"The Discord connection ended: {error}") from None


@asynccontextmanager
async def _telegram(settings: Settings, services: ChatServices) -> AsyncIterator[TelegramBot]:
    assert settings.telegram_bot_token is not None
    telegram = build_bot(
        settings.telegram_bot_token.get_secret_value(),
        services,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        rate_limit=settings.telegram_rate_limit,
    )
    try:
        async with polling(telegram.application):
            yield telegram
    except InvalidToken:
        raise StartupError("Telegram refused TELEGRAM_BOT_TOKEN: check the token.") from None
    except NetworkError as error:
        raise StartupError(
            f"Cannot reach the Telegram Bot API at {settings.telegram_base_url}: {error}"
        ) from None


@asynccontextmanager
async def _discord(settings: Settings, client: QuizbotClient) -> AsyncIterator[asyncio.Task[None]]:
    assert settings.discord_bot_token is not None
    try:
        async with connected(client, settings.discord_bot_token.get_secret_value()) as gateway:
            yield gateway
    except discord.LoginFailure:
        raise StartupError("Discord refused DISCORD_BOT_TOKEN: check the token.") from None
    except discord.PrivilegedIntentsRequired:
        raise StartupError("Discord refused the bot's intents.") from None
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as error:
        raise StartupError(
            f"Cannot reach Discord at {settings.discord_api_base_url}: {error}"
        ) from None


def daily_pushes(reminders: ReminderService, platforms: Sequence[Deliver]) -> Job:
    """The minutely tick: claim the pushes due now, once, and hand them to every platform (each
    delivers those of its own chats)."""

    async def tick() -> None:
        pushes = await reminders.tick()
        if pushes:
            sent = [await deliver(pushes) for deliver in platforms]
            log.info("daily pushes: %d claimed, %d delivered", len(pushes), sum(sent))

    return tick
