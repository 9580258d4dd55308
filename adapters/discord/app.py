"""Build the discord.py client: minimal intents, slash commands, persistent buttons.

`Route.BASE` (REST) and `DiscordWebSocket.DEFAULT_GATEWAY` are class attributes of discord.py:
one Discord endpoint per process. A plain discord.py 2.7 client never asks `GET /gateway/bot`
and dials the fixed default gateway, so the client asks it here (after login, before connect)
unless a gateway address is given outright.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import AsyncExitStack

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.chat.platform import StartupError
from adapters.chat.push_delivery import DailyQuiz
from adapters.chat.services import ChatServices
from adapters.discord import commands
from adapters.discord.buttons import ActionButton, PressRoutes, report_error
from adapters.discord.connection import connected
from adapters.discord.deck_handlers import DeckHandlers
from adapters.discord.identity import PLATFORM
from adapters.discord.pushes import DiscordPushDelivery
from adapters.discord.quiz_handlers import QuizHandlers
from adapters.discord.remind_handlers import RemindHandlers
from adapters.discord.review_handlers import ReviewHandlers
from adapters.discord.settings_handlers import SettingsHandlers
from adapters.discord.stats_handlers import StatsHandlers
from core.actions import Route as PressRoute
from core.reminders.service import Push

__all__ = [
    "DEFAULT_API_BASE",
    "DiscordBot",
    "QuizbotClient",
    "build_bot",
    "build_client",
    "intents",
]

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://discord.com/api/v10"
# Discord allows about 5 edits per 5 s in a channel: "N rated" refreshes at most this often.
RATED_REFRESH_SECONDS = 2.0


def intents() -> discord.Intents:
    """Guilds only (channels and permissions for interactions); nothing privileged."""
    return discord.Intents(guilds=True)


class QuizbotClient(discord.Client):
    def __init__(
        self,
        services: ChatServices,
        *,
        dev_guild_id: int | None = None,
        gateway_url: str | None = None,
        guild_ready_timeout: float = 2.0,
        rated_refresh_seconds: float = RATED_REFRESH_SECONDS,
    ) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,  # how long READY waits for more guilds
        )
        self.services = services
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._command_error  # type: ignore[method-assign]
        self.press_routes = PressRoutes()
        self._dev_guild = discord.Object(dev_guild_id) if dev_guild_id else None
        self._gateway_url = gateway_url
        self.quizzes = QuizHandlers(services, services.quizzes, self, rated_refresh_seconds)
        self._register()

    def _register(self) -> None:
        services, routes = self.services, self.press_routes
        reviews, decks = ReviewHandlers(services), DeckHandlers(services)
        routes.add(PressRoute.REVIEW, reviews.press)
        routes.add(PressRoute.START_REVIEW, reviews.press_start)
        commands.register_reviews(self.tree, reviews, StatsHandlers(services))
        commands.register_decks(self.tree, decks)
        commands.register_remind(self.tree, RemindHandlers(services, services.reminders))
        settings = SettingsHandlers(services, services.settings)
        routes.add(PressRoute.SETTINGS, settings.press)
        commands.register_settings(self.tree, settings)
        routes.add(PressRoute.QUIZ, self.quizzes.press)
        commands.register_quiz(self.tree, self.quizzes, decks)

    @property
    def daily_quiz(self) -> DailyQuiz:
        """What a channel's daily push starts: a short quiz."""
        return self.quizzes.effects.start_daily

    async def setup_hook(self) -> None:
        """After login, before the gateway: buttons, gateway address, commands, quizzes."""
        self.add_dynamic_items(ActionButton)
        gateway = self._gateway_url or (await self.http.get_bot_gateway())[1]
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        if self._dev_guild is not None:
            self.tree.copy_global_to(guild=self._dev_guild)
        synced = await self.tree.sync(guild=self._dev_guild)
        where = f"guild {self._dev_guild.id}" if self._dev_guild else "globally"
        log.info("synced %d slash commands %s", len(synced), where)
        await self.quizzes.effects.resume(await self.services.quizzes.recover(PLATFORM))

    async def close(self) -> None:
        await self.quizzes.effects.aclose()
        await super().close()

    async def _command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error.__cause__ or error)


def build_client(
    services: ChatServices,
    *,
    api_base_url: str = DEFAULT_API_BASE,
    gateway_url: str | None = None,
    dev_guild_id: int | None = None,
    guild_ready_timeout: float = 2.0,
    rated_refresh_seconds: float = RATED_REFRESH_SECONDS,
) -> QuizbotClient:
    """A ready-to-start client; REST goes to `api_base_url` (a proxy or a test server)."""
    Route.BASE = api_base_url.rstrip("/")
    return QuizbotClient(
        services,
        dev_guild_id=dev_guild_id,
        gateway_url=gateway_url,
        guild_ready_timeout=guild_ready_timeout,
        rated_refresh_seconds=rated_refresh_seconds,
    )


class DiscordBot:
    """The client as a `ChatPlatform`: logged in and connected, and the daily pushes of Discord
    chats that the push router hands it."""

    name = PLATFORM

    def __init__(self, client: QuizbotClient, token: str, api_base_url: str) -> None:
        self.client = client
        self._token = token
        self._api_base_url = api_base_url
        self._pushes = DiscordPushDelivery(client.services.reminders, client.daily_quiz)
        self._running = AsyncExitStack()
        self._gateway: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"DiscordBot(api_base_url={self._api_base_url!r})"  # never the token

    async def start(self) -> None:
        try:
            self._gateway = await self._running.enter_async_context(
                connected(self.client, self._token)
            )
        except discord.LoginFailure:
            raise StartupError("Discord refused DISCORD_BOT_TOKEN: check the token.") from None
        except discord.PrivilegedIntentsRequired:
            raise StartupError("Discord refused the bot's intents.") from None
        except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as error:
            raise StartupError(f"Cannot reach Discord at {self._api_base_url}: {error}") from None

    async def ended(self) -> None:
        """When the gateway connection ends for good (discord.py reconnects on its own until
        then); raises what ended it."""
        if self._gateway is None:
            raise RuntimeError("the Discord bot was not started")
        await asyncio.wait({self._gateway})  # not awaited directly: a cancelled wait ends here
        if not self._gateway.cancelled() and (error := self._gateway.exception()) is not None:
            raise StartupError(f"The Discord connection ended: {error}") from None

    async def stop(self) -> None:
        await self._running.aclose()

    async def deliver(self, pushes: Sequence[Push]) -> int:
        """Deliver the claimed pushes of Discord chats; how many went out."""
        return await self._pushes.deliver(self.client, pushes)

    async def sweep_deadlines(self) -> int:
        return await self.client.quizzes.effects.sweep()


def build_bot(
    token: str,
    services: ChatServices,
    *,
    api_base_url: str = DEFAULT_API_BASE,
    gateway_url: str | None = None,
    dev_guild_id: int | None = None,
) -> DiscordBot:
    """A ready-to-start bot: `build_client`'s client, with the token it logs in with."""
    client = build_client(
        services, api_base_url=api_base_url, gateway_url=gateway_url, dev_guild_id=dev_guild_id
    )
    return DiscordBot(client, token, api_base_url)
