"""Running the real Application with every service (stats too) against the fake Bot API."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from adapters.observability.metrics import Metrics
from adapters.telegram.app import AnyApplication, TelegramBot, build_bot
from adapters.telegram.identity import PLATFORM
from adapters.telegram.polling import polling
from core.learners import Learner
from core.ports import Deadlines
from tests.chat_services import chat_services
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

__all__ = [
    "ADA",
    "BOB",
    "GROUP",
    "PRIVATE",
    "after",
    "buttons",
    "core_chat_id",
    "learner_of",
    "running",
    "running_bot",
    "table_counts",
]

ADA = TgUser(501, "Ada", "ada")
BOB = TgUser(502, "Bob", "bob")
PRIVATE = TgChat(501)
GROUP = TgChat(-1001234, "supergroup", "Study group")


@asynccontextmanager
async def running(
    fake: FakeBotApi,
    services: Services,
    *,
    deadlines: Deadlines | None = None,
) -> AsyncIterator[AnyApplication]:
    """The bot's Application with every service; quiz deadlines go to `deadlines` when given."""
    async with running_bot(fake, services, deadlines=deadlines) as bot:
        yield bot.application


@asynccontextmanager
async def running_bot(
    fake: FakeBotApi,
    services: Services,
    *,
    deadlines: Deadlines | None = None,
    rate_limit: float | None = None,
    metrics: Metrics | None = None,
    redis_url: str | None = None,
    redis_prefix: str | None = None,
) -> AsyncIterator[TelegramBot]:
    """`running`, yielding the whole bot (its daily pushes too); `rate_limit` and the shared
    limiter's Redis as in build_bot; counted in `metrics` when given."""
    bot = build_bot(
        fake.token,
        chat_services(services, deadlines=deadlines, metrics=metrics),
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        rate_limit=rate_limit,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
    )
    async with polling(bot.application, timeout=dtm.timedelta(0), poll_interval=0.01):
        yield bot


async def after(fake: FakeBotApi, method: str, action: Callable[[], Any]) -> Any:
    """Do `action` (a user's doing) and wait for the bot's next `method` call; its params."""
    before = len(fake.calls_to(method))
    action()
    calls = await fake.wait_for(method, count=before + 1)
    return calls[before].params


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def core_chat_id(services: Services, chat: TgChat) -> int:
    async with services.store.unit_of_work() as uow:
        known = await uow.chats.ensure(
            PLATFORM, str(chat.id), chat.title or "Ada", chat.kind != "private"
        )
        return known.id


async def learner_of(services: Services, user: TgUser) -> Learner:
    async with services.store.unit_of_work() as uow:
        return await uow.learners.ensure(PLATFORM, str(user.id), user.first_name)


def table_counts(services: Services) -> tuple[int, int]:
    """(decks, cards) in the database file."""
    ((decks, cards),) = committed_rows(
        services.store, "SELECT (SELECT count(*) FROM decks), (SELECT count(*) FROM cards)"
    )
    return int(decks), int(cards)
