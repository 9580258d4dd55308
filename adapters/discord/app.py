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

from adapters.discord import texts
from adapters.discord.buttons import ActionButton, PressRoutes, report_error
from adapters.discord.deck_handlers import DeckHandlers
from adapters.discord.pushes import START_REVIEW
from adapters.discord.remind_handlers import RemindHandlers
from adapters.discord.review_handlers import ReviewHandlers
from adapters.discord.services import DiscordServices
from adapters.discord.stats_handlers import StatsHandlers

__all__ = ["DEFAULT_API_BASE", "QuizbotClient", "build_client", "intents"]

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://discord.com/api/v10"


def intents() -> discord.Intents:
    """Guilds only (channels and permissions for interactions); nothing privileged."""
    return discord.Intents(guilds=True)


class QuizbotClient(discord.Client):
    def __init__(
        self,
        services: DiscordServices,
        *,
        dev_guild_id: int | None = None,
        gateway_url: str | None = None,
        guild_ready_timeout: float = 2.0,
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
        _register(self.tree, self.press_routes, services)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)
        gateway = self._gateway_url or (await self.http.get_bot_gateway())[1]
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        if self._dev_guild is not None:
            self.tree.copy_global_to(guild=self._dev_guild)
        synced = await self.tree.sync(guild=self._dev_guild)
        where = f"guild {self._dev_guild.id}" if self._dev_guild else "globally"
        log.info("synced %d slash commands %s", len(synced), where)

    async def _command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error.__cause__ or error)


def build_client(
    services: DiscordServices,
    *,
    api_base_url: str = DEFAULT_API_BASE,
    gateway_url: str | None = None,
    dev_guild_id: int | None = None,
    guild_ready_timeout: float = 2.0,
) -> QuizbotClient:
    """A ready-to-start client; REST goes to `api_base_url` (a proxy or a test server)."""
    Route.BASE = api_base_url.rstrip("/")
    return QuizbotClient(
        services,
        dev_guild_id=dev_guild_id,
        gateway_url=gateway_url,
        guild_ready_timeout=guild_ready_timeout,
    )


def _register(
    tree: app_commands.CommandTree, routes: PressRoutes, services: DiscordServices
) -> None:
    reviews = ReviewHandlers(services)
    routes.add("r.", reviews.press)
    routes.add(START_REVIEW, reviews.press_start)

    @tree.command(name="help", description=texts.COMMANDS["help"])
    async def help_command(interaction: discord.Interaction) -> None:
        await reviews.help(interaction)

    @tree.command(name="review", description=texts.COMMANDS["review"])
    @app_commands.describe(public=texts.REVIEW_PUBLIC)
    async def review_command(interaction: discord.Interaction, public: bool = False) -> None:
        await reviews.review(interaction, public)

    stats = StatsHandlers(services)

    @tree.command(name="stats", description=texts.COMMANDS["stats"])
    async def stats_command(interaction: discord.Interaction) -> None:
        await stats.stats(interaction)

    _register_decks(tree, DeckHandlers(services))
    if services.reminders is not None:
        _register_remind(tree, RemindHandlers(services, services.reminders))


def _register_remind(tree: app_commands.CommandTree, handlers: RemindHandlers) -> None:
    @tree.command(name="remind", description=texts.COMMANDS["remind"])
    @app_commands.describe(
        time=texts.REMIND_TIME, timezone=texts.REMIND_ZONE, channel=texts.REMIND_CHANNEL
    )
    async def remind_command(
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: str | None = None,
        channel: bool = False,
    ) -> None:
        await handlers.remind(interaction, time, timezone, channel)

    @remind_command.autocomplete("timezone")
    async def zone_names(
        interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        return await handlers.zone_names(interaction, typed)


def _register_decks(tree: app_commands.CommandTree, decks: DeckHandlers) -> None:
    @tree.command(name="decks", description=texts.COMMANDS["decks"])
    async def decks_command(interaction: discord.Interaction) -> None:
        await decks.decks(interaction)

    group = app_commands.Group(name="deck", description=texts.DECK_GROUP)

    @group.command(name="use", description=texts.COMMANDS["deck use"])
    @app_commands.describe(name=texts.DECK_NAME)
    async def use_command(interaction: discord.Interaction, name: str) -> None:
        await decks.use(interaction, name)

    @use_command.autocomplete("name")
    async def deck_names(
        interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        return await decks.deck_names(interaction, typed)

    @group.command(name="import", description=texts.COMMANDS["deck import"])
    @app_commands.describe(file=texts.DECK_FILE, name=texts.IMPORT_NAME)
    async def import_command(
        interaction: discord.Interaction, file: discord.Attachment, name: str | None = None
    ) -> None:
        await decks.import_file(interaction, file, name)

    tree.add_command(group)
