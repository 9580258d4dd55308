"""Webhook mode through the real Application, its aiohttp receiver and the fake Bot API."""

from __future__ import annotations

import aiohttp
import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from adapters.telegram.app import build_bot
from adapters.telegram.webhook import ALLOWED_UPDATES, SECRET_HEADER
from tests.chat_services import chat_services
from tests.conftest import Services
from tests.telegram.chat_harness import ADA, BOB, PRIVATE
from tests.telegram.fake_bot_api import FakeBotApi, TgChat
from tests.telegram.webhook_harness import SECRET, WEBHOOK_URL, WebhookBot, webhook_bot


def handled_updates(bot: WebhookBot) -> float:
    return sum(
        sample.value
        for family in bot.metrics.updates.collect()
        for sample in family.samples
        if sample.name.endswith("_total")
    )


async def test_start_sets_the_webhook_with_its_secret_and_allowed_updates(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    async with webhook_bot(fake_bot_api, services):
        [call] = fake_bot_api.calls_to("setWebhook")
        assert call.params == {
            "url": WEBHOOK_URL,
            "secret_token": SECRET,
            "allowed_updates": ["message", "callback_query"],
        }
        assert fake_bot_api.calls_to("getUpdates") == []


async def test_an_update_posted_with_the_secret_is_answered(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    async with webhook_bot(fake_bot_api, services) as bot:
        update = fake_bot_api.push_command(PRIVATE, ADA, "review")
        assert await fake_bot_api.post_to_webhook(update, bot.endpoint) == 200
        [sent] = await fake_bot_api.wait_for("sendMessage")
        assert sent.params["chat_id"] == PRIVATE.id
        assert handled_updates(bot) == 1


@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("forged-secret_0123456789", 403)])
async def test_a_forged_request_changes_nothing(
    fake_bot_api: FakeBotApi, services: Services, secret: str | None, status: int
) -> None:
    async with webhook_bot(fake_bot_api, services) as bot:
        calls_before = len(fake_bot_api.calls)
        commits_before = services.store.transactions_committed
        forged = fake_bot_api.push_command(PRIVATE, ADA, "review")
        assert await fake_bot_api.post_to_webhook(forged, bot.endpoint, secret=secret) == status
        assert services.store.transactions_committed == commits_before
        # A genuine update after it: once answered, anything the forged one had started would
        # have shown; only Bob's answer went out, and one update was handled.
        bobs = TgChat(BOB.id)
        genuine = fake_bot_api.push_command(bobs, BOB, "help")
        assert await fake_bot_api.post_to_webhook(genuine, bot.endpoint) == 200
        await fake_bot_api.wait_for("sendMessage")
        made = fake_bot_api.calls[calls_before:]
        assert [(c.method, c.params.get("chat_id")) for c in made] == [("sendMessage", BOB.id)]
        assert handled_updates(bot) == 1


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
async def test_a_body_that_is_not_an_update_is_refused(
    fake_bot_api: FakeBotApi, services: Services, body: bytes
) -> None:
    async with webhook_bot(fake_bot_api, services) as bot, aiohttp.ClientSession() as session:
        headers = {SECRET_HEADER: SECRET}
        async with session.post(bot.endpoint, data=body, headers=headers) as response:
            assert response.status == 400
        assert handled_updates(bot) == 0


async def test_stopping_a_worker_leaves_the_webhook_to_the_others(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    async with webhook_bot(fake_bot_api, services):
        pass
    assert fake_bot_api.calls_to("deleteWebhook") == []
    assert fake_bot_api.state.webhook is not None


async def test_allowed_updates_are_the_update_types_the_handlers_take(services: Services) -> None:
    bot = build_bot("1:unused-token-for-building", chat_services(services))
    kinds: set[str] = set()
    for handler in bot.application.handlers[0]:
        if isinstance(handler, CallbackQueryHandler):
            kinds.add("callback_query")
        elif isinstance(handler, CommandHandler | MessageHandler):
            kinds.add("message")  # commands and uploads; an edited message is not re-run
        else:
            raise AssertionError(
                f"a handler of an update type the webhook does not ask for: {handler}"
            )
    assert kinds == set(ALLOWED_UPDATES)


async def test_a_post_while_the_worker_stops_is_answered_503_for_telegram_to_resend(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    async with webhook_bot(fake_bot_api, services) as bot:
        await bot.bot.application.stop()  # stopping: the server is the last to go
        update = fake_bot_api.push_command(PRIVATE, ADA, "review")
        assert await fake_bot_api.post_to_webhook(update, bot.endpoint) == 503
        await bot.bot.application.start()  # so the harness stops it as usual
    assert fake_bot_api.calls_to("sendMessage") == []
