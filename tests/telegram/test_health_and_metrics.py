"""/healthz and /metrics on the bot's HTTP server, with the real Application on the fake Bot API
and the store underneath; counters read back in Prometheus text format."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.chat.platform import ChatPlatform
from adapters.http.server import HttpServer
from adapters.observability.metered_store import MeteredStore
from adapters.observability.metrics import Metrics
from adapters.telegram.app import build_bot
from bot.http import http_servers
from bot.settings import Settings
from core import texts
from tests.chat_services import chat_services
from tests.conftest import Services, services_on
from tests.telegram.chat_harness import ADA, PRIVATE, after, buttons, running_bot
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_remind import PUSH_MINUTE, remind, ticking


def http_settings() -> Settings:
    return Settings(_env_file=None, quizbot_http_host="127.0.0.1", quizbot_http_port=0)  # type: ignore[call-arg]


@asynccontextmanager
async def serving(
    store: Any, platforms: list[ChatPlatform], metrics: Metrics
) -> AsyncIterator[HttpServer]:
    [server] = http_servers(http_settings(), store, platforms, metrics)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def get(server: HttpServer, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(server.url + path) as response:
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) → value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_healthz_is_ok_until_the_platform_stops_or_the_store_closes(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    metrics = Metrics()
    bot = build_bot(
        fake_bot_api.token,
        chat_services(services, metrics=metrics),
        base_url=fake_bot_api.base_url,
        base_file_url=fake_bot_api.base_file_url,
    )
    async with serving(services.store, [bot], metrics) as server:
        down = '{"status": "down", "store": "ok", "telegram": "down"}'
        assert await get(server, "/healthz") == (503, down)  # not started yet
        await bot.start()
        try:
            ok = '{"status": "ok", "store": "ok", "telegram": "ok"}'
            assert await get(server, "/healthz") == (200, ok)
            await services.store.close()
            closed = '{"status": "down", "store": "down", "telegram": "ok"}'
            assert await get(server, "/healthz") == (503, closed)
        finally:
            await bot.stop()
        both = '{"status": "down", "store": "down", "telegram": "down"}'
        assert await get(server, "/healthz") == (503, both)


async def test_healthz_on_postgresql_is_down_once_its_store_closes(
    postgres_services: Services,
) -> None:
    metrics = Metrics()
    async with serving(postgres_services.store, [], metrics) as server:
        assert await get(server, "/healthz") == (200, '{"status": "ok", "store": "ok"}')
        await postgres_services.store.close()
        assert await get(server, "/healthz") == (503, '{"status": "down", "store": "down"}')


async def test_metrics_count_a_review_through_the_bot(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake, metrics = fake_bot_api, Metrics()
    metered = await services_on(MeteredStore(services.store, metrics), services.clock)
    async with (
        running_bot(fake, metered, metrics=metrics) as bot,
        serving(metered.store, [bot], metrics) as server,
    ):
        status, before = await get(server, "/metrics")
        assert status == 200 and samples(before)[("quizbot_ratings_recorded_total", ())] == 0
        await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "review"))
        question = fake.sent_messages(PRIVATE.id)[-1]
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        mid = question["message_id"]
        await after(fake, "editMessageText", lambda: fake.press_button(PRIVATE, ADA, mid, show))
        answer = fake.sent_messages(PRIVATE.id)[-1]
        rate = dict(buttons(answer))["4"]
        await after(fake, "sendMessage", lambda: fake.press_button(PRIVATE, ADA, mid, rate))
        await fake.wait_for("answerCallbackQuery", count=2)
        _, text = await get(server, "/metrics")
    found = samples(text)
    telegram = ("platform", "telegram")
    assert found[("quizbot_ratings_recorded_total", ())] == 1
    assert found[("quizbot_updates_handled_total", (("kind", "command"), telegram))] == 1
    assert found[("quizbot_updates_handled_total", (("kind", "callback_query"), telegram))] == 2
    assert found[("quizbot_handler_seconds_count", (telegram,))] == 3


async def test_metrics_count_pushes_sent_retried_and_failed_and_the_429s(
    fake_bot_api: FakeBotApi, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake, metrics = fake_bot_api, Metrics()
    async with running_bot(fake, services, metrics=metrics) as bot:
        await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        services.clock.set(PUSH_MINUTE)
        await ticking(services, bot).run_tick_now()
        fake.block(PRIVATE.id)
        services.clock.set(PUSH_MINUTE + dtm.timedelta(days=1))
        await ticking(services, bot).run_tick_now()
    found = samples(metrics.exposition().decode())
    telegram = (("platform", "telegram"),)
    assert found[("quizbot_pushes_sent_total", telegram)] == 1
    assert found[("quizbot_pushes_retried_total", telegram)] == 1
    assert found[("quizbot_pushes_failed_total", telegram)] == 1
    assert found[("quizbot_rate_limited_responses_total", telegram)] == 1
