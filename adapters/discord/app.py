"""Build the discord.py client: minimal intents, slash commands, persistent buttons.

`Route.BASE` (REST) and `DiscordWebSocket.DEFAULT_GATEWAY` are class attributes of discord.py:
one Discord endpoint per process. The client is discord.py's `AutoShardedClient`: it runs
`shard_ids` of `shard_count` shards (all of them, by default), so several processes can split a
large bot's servers; Discord sends each server's events, its interactions too, to the shard
`(guild_id >> 22) % shard_count`, which answers them. `GET /gateway/bot` is asked here (after
login, before connect) for the shard count Discord recommends and for the gateway address,
unless both are given.
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
from adapters.discord.leech_handlers import LeechHandlers
from adapters.discord.metered_tree import MeteredCommandTree
from adapters.discord.plan_handlers import PlanHandlers
from adapters.discord.pushes import DiscordPushDelivery
from adapters.discord.quiz_handlers import QuizHandlers
from adapters.discord.rate_limits import rate_limit_trace
from adapters.discord.remind_handlers import RemindHandlers
from adapters.discord.replies import refuse
from adapters.discord.review_handlers import ReviewHandlers
from adapters.discord.settings_handlers import SettingsHandlers
from adapters.discord.stats_handlers import StatsHandlers
from core import texts as core_texts
from core.actions import Route as PressRoute
from core.actions import route_of
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


class QuizbotClient(discord.AutoShardedClient):
    def __init__(
        self,
        services: ChatServices,
        *,
        dev_guild_id: int | None = None,
        gateway_url: str | None = None,
        guild_ready_timeout: float = 2.0,
        rated_refresh_seconds: float = RATED_REFRESH_SECONDS,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
    ) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,  # how long READY waits for more guilds
            shard_count=shard_count,
            shard_ids=list(shard_ids) if shard_ids is not None else None,
            http_trace=rate_limit_trace(services.metrics),  # Discord's 429s in /metrics
        )
        self.services = services
        self.tree = MeteredCommandTree(self, services.metrics)
        self.tree.on_error = self._command_error  # type: ignore[method-assign]
        self.press_routes = PressRoutes()
        self._dev_guild = discord.Object(dev_guild_id) if dev_guild_id else None
        self._gateway_url = gateway_url
        self._identify_concurrency = 1  # shards that may identify at once (GET /gateway/bot)
        self._logging_in = False  # until login, which sets up what close needs
        self.quizzes = QuizHandlers(services, services.quizzes, self, rated_refresh_seconds)
        self.leeches = LeechHandlers(services)
        self._register()

    def _register(self) -> None:
        services, routes = self.services, self.press_routes
        reviews, decks = ReviewHandlers(services), DeckHandlers(services)
        routes.add(PressRoute.REVIEW, reviews.press)
        routes.add(PressRoute.START_REVIEW, reviews.press_start)
        routes.add(PressRoute.LEECH, self.leeches.press)
        commands.register_reviews(self.tree, reviews, StatsHandlers(services))
        commands.register_decks(self.tree, decks)
        routes.add(PressRoute.HISTORY, decks.history_press)
        commands.register_remind(self.tree, RemindHandlers(services, services.reminders))
        commands.register_plan(self.tree, PlanHandlers(services), decks)
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
        """After login, before the gateway: buttons, shards and gateway address, commands,
        quizzes."""
        self.add_dynamic_items(ActionButton)
        gateway = self._gateway_url
        if gateway is None or self.shard_count is None:
            recommended, url, limits = await self.http.get_bot_gateway()
            gateway = gateway or url
            self._identify_concurrency = max(1, limits.get("max_concurrency", 1))
            # Set, the auto-sharded client dials DEFAULT_GATEWAY instead of asking again.
            self.shard_count = self.shard_count or recommended
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        log.info("gateway shards %s of %d", self.shard_ids or "all", self.shard_count)
        if self._dev_guild is not None:
            self.tree.copy_global_to(guild=self._dev_guild)
        synced = await self.tree.sync(guild=self._dev_guild)
        where = f"guild {self._dev_guild.id}" if self._dev_guild else "globally"
        log.info("synced %d slash commands %s", len(synced), where)
        await self.quizzes.effects.resume(await self.services.quizzes.recover(PLATFORM))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord lets `max_concurrency` shards identify at once and the next ones 5 s later
        (discord.py waits 5 s before every shard but the first)."""
        if not initial and (shard_id or 0) % self._identify_concurrency == 0:
            await asyncio.sleep(5.0)

    async def login(self, token: str) -> None:
        self._logging_in = True
        await super().login(token)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Modal submissions, routed by their custom_id (a leech's hint); buttons and commands
        are dispatched by discord.py itself."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        try:
            if route_of(custom_id) is PressRoute.LEECH:
                await self.leeches.submit(interaction, custom_id)
            else:
                await refuse(interaction, core_texts.NOT_MY_BUTTON)
        except Exception as error:  # as a button's: logged and answered once
            await report_error(interaction, error)

    async def close(self) -> None:
        await self.quizzes.effects.aclose()
        if not self._logging_in:
            # The auto-sharded client's close needs what login sets up (discord.py 2.7 raises
            # AttributeError otherwise); a client never started has only its HTTP client.
            await self.http.close()
            return
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
    shard_count: int | None = None,
    shard_ids: Sequence[int] | None = None,
) -> QuizbotClient:
    """A ready-to-start client; REST goes to `api_base_url` (a proxy or a test server); it
    runs `shard_ids` of `shard_count` shards (None: all of what Discord recommends)."""
    Route.BASE = api_base_url.rstrip("/")
    return QuizbotClient(
        services,
        dev_guild_id=dev_guild_id,
        gateway_url=gateway_url,
        guild_ready_timeout=guild_ready_timeout,
        rated_refresh_seconds=rated_refresh_seconds,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


class DiscordBot:
    """The client as a `ChatPlatform`: logged in and connected, and the daily pushes of Discord
    chats that the push router hands it."""

    name = PLATFORM

    def __init__(self, client: QuizbotClient, token: str, api_base_url: str) -> None:
        self.client = client
        self._token = token
        self._api_base_url = api_base_url
        self._pushes = DiscordPushDelivery(
            client.services.reminders, client.daily_quiz, client.services.metrics
        )
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

    def connected(self) -> bool:
        """Ready, and every shard's gateway connection open (not reconnecting, not closed)."""
        client = self.client
        shards = client.shards.values()
        return (
            client.is_ready()
            and not client.is_closed()
            and bool(shards)
            and not any(shard.is_closed() for shard in shards)
        )

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
    shard_count: int | None = None,
    shard_ids: Sequence[int] | None = None,
) -> DiscordBot:
    """A ready-to-start bot: `build_client`'s client, with the token it logs in with."""
    client = build_client(
        services,
        api_base_url=api_base_url,
        gateway_url=gateway_url,
        dev_guild_id=dev_guild_id,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )
    return DiscordBot(client, token, api_base_url)
