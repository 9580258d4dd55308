"""`quizbot run`: the bots whose tokens are set, in one event loop over one store and scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import aiohttp
import discord
from telegram.error import InvalidToken, NetworkError

from adapters.discord.app import QuizbotClient, build_client
from adapters.discord.connection import connected
from adapters.discord.pushes import DiscordPushDelivery
from adapters.discord.services import DiscordServices
from adapters.scheduling import MinutelyTick
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
    """Run until SIGINT or SIGTERM (or the Discord connection ends), then stop cleanly:
    the scheduler first, then the bots, then the store."""
    if not settings.configured_platforms:
        raise ValueError("run_bots needs a bot token")  # the CLI checks this first
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with open_app(settings) as quiz, AsyncExitStack() as bots:
        telegram = await bots.enter_async_context(_telegram(settings, quiz))
        discord_client, gateway = None, None
        if settings.discord_bot_token is not None:
            discord_client = build_client(
                DiscordServices(quiz.store, quiz.library, quiz.reviews, quiz.stats, quiz.reminders),
                api_base_url=settings.discord_api_base_url,
                gateway_url=settings.discord_gateway_url,
                dev_guild_id=settings.discord_dev_guild_id,
            )
            gateway = await bots.enter_async_context(_discord(settings, discord_client))
        tick = daily_pushes(quiz, telegram, discord_client)
        tick.start()  # after the bots started; shut down before they stop
        try:
            names = " and ".join(p.capitalize() for p in settings.configured_platforms)
            log.info("%s bot is running; stop it with Ctrl-C or SIGTERM", names)
            await _until(stop, gateway)
        finally:
            await tick.shutdown()
    log.info("stopped")


async def _until(stop: asyncio.Event, gateway: asyncio.Task[None] | None) -> None:
    """Wait for a stop signal; a Discord connection that ends on its own ends the run too."""
    waiting = asyncio.create_task(stop.wait())
    tasks: set[asyncio.Task[object]] = {waiting}  # type: ignore[arg-type]
    if gateway is not None:
        tasks.add(gateway)  # type: ignore[arg-type]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if gateway is not None and gateway.done() and not gateway.cancelled():
        error = gateway.exception()
        if error is not None:
            raise StartupError(f"The Discord connection ended: {error}") from None


@asynccontextmanager
async def _telegram(settings: Settings, quiz: App) -> AsyncIterator[AnyApplication | None]:
    if settings.telegram_bot_token is None:
        yield None
        return
    telegram = build_application(
        settings.telegram_bot_token.get_secret_value(),
        TelegramServices(quiz.store, quiz.library, quiz.reviews, quiz.stats, quiz.reminders),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        rate_limit=settings.telegram_rate_limit,
    )
    try:
        async with polling(telegram):
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


def daily_pushes(
    quiz: App, telegram: AnyApplication | None, discord_client: discord.Client | None = None
) -> MinutelyTick:
    """The minutely tick: claim the pushes due now, and send each through its platform's bot."""
    telegram_pushes = PushDelivery(quiz.store, quiz.reminders)
    discord_pushes = DiscordPushDelivery(quiz.store, quiz.reminders)

    async def tick() -> None:
        claimed = await quiz.reminders.tick()
        if not claimed:
            return
        sent = 0
        if telegram is not None:
            sent += await telegram_pushes.deliver(telegram.bot, claimed)
        if discord_client is not None:
            sent += await discord_pushes.deliver(discord_client, claimed)
        log.info("daily pushes: %d claimed, %d sent", len(claimed), sent)

    return MinutelyTick(tick)
