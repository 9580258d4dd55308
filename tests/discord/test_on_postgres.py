"""The Discord bot on PostgreSQL: a review in a server channel from /review to the next card
through the real discord.py client and the fake Discord (skipped where no PostgreSQL answers)."""

from __future__ import annotations

import pytest

from core import texts
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, running, use_deck

CARDS = b"question,answer\nCapital of France?,Paris\nCapital of Peru?,Lima\n"


@pytest.fixture
def services(postgres_services: Services) -> Services:
    return postgres_services


async def test_a_review_is_shown_rated_and_stored(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        assert "Capital of" in question["content"]
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        rate = await fake_discord.press(ADA, int(answer["id"]), dict(buttons(answer))["4"])
        rated = await fake_discord.response(rate)
        (next_card,) = await fake_discord.followups(rate, 1)
    assert "Rated 4/5" in rated["content"]
    assert [label for label, _ in buttons(next_card)] == [texts.SHOW_ANSWER]
    assert committed_rows(services.store, "SELECT rating FROM review_log") == [(4,)]
