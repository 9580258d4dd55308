"""Build the discord.py client: minimal intents, slash commands, persistent buttons.

`Route.BASE` (REST) and `DiscordWebSocket.DEFAULT_GATEWAY` are class attributes of discord.py:
one Discord endpoint per process. A plain discord.py 2.7 client never asks `GET /gateway/bot`
and dials the fixed default gateway, so the client asks it here (after login, before connect)
unless a gateway address is given outright.
"""

from __future__ import annotations

import logging

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import commands
from adapters.discord.buttons import ActionButton, PressRoutes, report_error
from adapters.discord.deck_handlers import DeckHandlers
from adapters.discord.identity import PLATFORM
from adapters.discord.pushes import START_REVIEW
from adapters.discord.quiz_handlers import QuizHandlers
from adapters.discord.remind_handlers import RemindHandlers
from adapters.discord.review_handlers import ReviewHandlers
from adapters.discord.settings_handlers import SETTINGS_PREFIX, SettingsHandlers
from adapters.discord.stats_handlers import StatsHandlers
from adapters.push_delivery import DailyQuiz
from adapters.services import ChatServices

__all__ = ["DEFAULT_API_BASE", "QuizbotClient", "build_client", "intents"]

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
        self.quizzes: QuizHandlers | None = None
        if services.quizzes is not None:
            self.quizzes = QuizHandlers(services, services.quizzes, self, rated_refresh_seconds)
        self._register()

    def _register(self) -> None:
        services, routes = self.services, self.press_routes
        reviews, decks = ReviewHandlers(services), DeckHandlers(services)
        routes.add("r.", reviews.press)
        routes.add(START_REVIEW, reviews.press_start)
        commands.register_reviews(self.tree, reviews, StatsHandlers(services))
        commands.register_decks(self.tree, decks)
        if services.reminders is not None:
            commands.register_remind(self.tree, RemindHandlers(services, services.reminders))
        if services.settings is not None:
            settings = SettingsHandlers(services, services.settings)
            routes.add(SETTINGS_PREFIX, settings.press)
            commands.register_settings(self.tree, settings)
        if self.quizzes is not None:
            routes.add("q.", self.quizzes.press)
            commands.register_quiz(self.tree, self.quizzes, decks)

    @property
    def daily_quiz(self) -> DailyQuiz | None:
        """What a channel's daily push starts: a short quiz (None without quizzes)."""
        return self.quizzes.start_daily if self.quizzes is not None else None

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
        if self.quizzes is not None and self.services.quizzes is not None:
            await self.quizzes.resume(await self.services.quizzes.recover(PLATFORM))

    async def close(self) -> None:
        if self.quizzes is not None:
            await self.quizzes.aclose()
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
