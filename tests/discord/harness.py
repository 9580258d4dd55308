"""Running the real discord.py client with the core services against the fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.app import DEFAULT_API_BASE, DiscordBot, QuizbotClient, build_client
from adapters.discord.identity import PLATFORM
from core.learners import Learner
from core.permissions import OPERATOR
from core.ports import Deadlines
from tests.chat_services import chat_services
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import DcChannel, DcUser

__all__ = [
    "ADA",
    "BOB",
    "CAT",
    "GENERAL",
    "GUILD_ID",
    "STUDY",
    "buttons",
    "core_chat_id",
    "eventually",
    "learner_of",
    "review_rows",
    "running",
    "running_bot",
    "table_counts",
    "use_deck",
]

GUILD_ID = 700_000_000_000_000_001
GENERAL = DcChannel(700_000_000_000_000_101, GUILD_ID)
STUDY = DcChannel(700_000_000_000_000_102, GUILD_ID, name="study")  # the same server
ADA = DcUser(800_000_000_000_000_001, "Ada")
BOB = DcUser(800_000_000_000_000_002, "Bob")
CAT = DcUser(800_000_000_000_000_003, "Cat")
_LIBRARY_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY


@asynccontextmanager
async def running(
    fake: FakeDiscord,
    services: Services,
    *,
    deadlines: Deadlines | None = None,
    **options: Any,
) -> AsyncIterator[QuizbotClient]:
    """The client, logged in, connected and with its commands synced; closed afterwards.

    Quiz deadlines go to `deadlines` (an unstarted `BotScheduler` lets a test fire them).
    """
    async with running_bot(fake, services, deadlines=deadlines, **options) as bot:
        yield bot.client


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    services: Services,
    *,
    deadlines: Deadlines | None = None,
    **options: Any,
) -> AsyncIterator[DiscordBot]:
    """`running`, yielding the whole bot (its daily pushes too), started as `quizbot run` does."""
    client = build_client(
        chat_services(services, deadlines=deadlines, metrics=options.pop("metrics", None)),
        api_base_url=fake.api_base,
        guild_ready_timeout=options.pop("guild_ready_timeout", 0.05),
        rated_refresh_seconds=options.pop("rated_refresh_seconds", 0.05),
        **options,
    )
    bot = DiscordBot(client, fake.token, fake.api_base)
    try:
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()
    finally:
        Route.BASE = DEFAULT_API_BASE
        DiscordWebSocket.DEFAULT_GATEWAY = _LIBRARY_GATEWAY


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, custom_id) of every button on a message, row by row."""
    return [
        (item.get("label", ""), item.get("custom_id", ""))
        for row in message.get("components", [])
        for item in row["components"]
    ]


async def learner_of(services: Services, user: DcUser) -> Learner:
    async with services.store.unit_of_work() as uow:
        return await uow.learners.ensure(PLATFORM, str(user.id), user.name)


async def core_chat_id(services: Services, channel: DcChannel) -> int:
    async with services.store.unit_of_work() as uow:
        chat = await uow.chats.ensure(
            PLATFORM, str(channel.id), "test channel", channel.guild_id is not None
        )
        return chat.id


async def use_deck(services: Services, channel: DcChannel, csv: bytes, name: str = "Test") -> str:
    """Import `csv` as the channel's deck and make it the active one; its id."""
    chat_id = await core_chat_id(services, channel)
    summary = await services.library.import_deck(csv, name, chat_id, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    return summary.deck.id


def review_rows(services: Services) -> int:
    ((count,),) = committed_rows(services.store, "SELECT count(*) FROM review_log")
    return int(count)


def table_counts(services: Services) -> tuple[int, int]:
    """(decks, cards) in the database file."""
    ((decks, cards),) = committed_rows(
        services.store, "SELECT (SELECT count(*) FROM decks), (SELECT count(*) FROM cards)"
    )
    return int(decks), int(cards)


async def eventually(check: Callable[[], object], timeout: float = 3.0) -> None:
    """Wait until `check()` is truthy (for effects the fake server cannot see, e.g. timers)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.01)
