"""Discord's interactions in the metrics (slash commands and presses, at the tree and the one
button class), ratings counted once per review even on a double press, and `connected`."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from adapters.observability.metered_store import MeteredStore
from adapters.observability.metrics import Metrics
from core import texts
from tests.conftest import Services, services_on
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, review_rows, running_bot, use_deck
from tests.discord.test_review_flow import CARDS, custom_id


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(metrics.exposition().decode())
        for sample in family.samples
    }


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
