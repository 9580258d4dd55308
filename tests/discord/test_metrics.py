"""Discord's interactions in the metrics (slash commands and presses, at the tree and the one
button class), ratings counted once per review even on a double press, and `connected`."""

from __future__ import annotations

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from adapters.observability.metered_store import MeteredStore
from adapters.observability.metrics import Metrics
from bot.http import http_servers
from bot.settings import Settings
from core import texts
from tests.conftest import Services, services_on
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, review_rows, running_bot, use_deck
from tests.discord.test_remind import PUSH_MINUTE, remind, tick
from tests.discord.test_review_flow import CARDS, custom_id


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return samples_in(metrics.exposition().decode())


def samples_in(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) → value, from Prometheus text."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def metrics_text(services: Services, bot: object, metrics: Metrics) -> str:
    """GET /metrics from the HTTP server `quizbot run` starts (on a free port)."""
    settings = Settings(_env_file=None, quizbot_http_host="127.0.0.1", quizbot_http_port=0)  # type: ignore[call-arg]
    [server] = http_servers(settings, services.store, [bot], metrics)  # type: ignore[list-item]
    await server.start()
    try:
        async with aiohttp.ClientSession() as session, session.get(server.url + "/metrics") as got:
            assert got.status == 200
            return await got.text()
    finally:
        await server.stop()


async def test_interactions_and_ratings_are_counted(
    fake_discord: FakeDiscord, services: Services
) -> None:
    metrics = Metrics()
    metered = await services_on(MeteredStore(services.store, metrics), services.clock)
    await use_deck(metered, GENERAL, CARDS)
    async with running_bot(fake_discord, metered, metrics=metrics) as bot:
        assert bot.connected()
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        show = custom_id(question, texts.SHOW_ANSWER)
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        five = custom_id(answer, "5")
        first = await fake_discord.press(ADA, int(answer["id"]), five)
        second = await fake_discord.press(ADA, int(answer["id"]), five)  # a double press
        await fake_discord.response(first)
        await fake_discord.response(second)
    assert not bot.connected()
    found = samples(metrics)
    discord = ("platform", "discord")
    assert review_rows(services) == 1
    assert found[("quizbot_ratings_recorded_total", ())] == 1
    command = ("quizbot_updates_handled_total", (("kind", "application_command"), discord))
    assert found[command] == 1
    assert found[("quizbot_updates_handled_total", (("kind", "component"), discord))] == 3
    assert found[("quizbot_handler_seconds_count", (discord,))] == 4


async def test_a_discord_429_is_counted_in_metrics_and_its_push_as_retried(
    fake_discord: FakeDiscord, services: Services
) -> None:
    """discord.py waits out a 429 and sends again on its own; the count comes from its HTTP
    session (`adapters/discord/rate_limits.py`), through the real library and the fake."""
    metrics = Metrics()
    dm = fake_discord.dm_channel(ADA)
    async with running_bot(fake_discord, services, metrics=metrics) as bot:
        await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        services.clock.set(PUSH_MINUTE)
        fake_discord.fail_next("POST", rf"/channels/{dm.id}/messages", 429, {"retry_after": 0.05})
        await tick(services, bot)
        found = samples_in(await metrics_text(services, bot, metrics))
    assert len(fake_discord.calls("POST", rf"/channels/{dm.id}/messages")) == 2
    discord = (("platform", "discord"),)
    assert found[("quizbot_rate_limited_responses_total", discord)] == 1
    assert found[("quizbot_pushes_retried_total", discord)] == 1
    assert found[("quizbot_pushes_sent_total", discord)] == 1
