"""/settings through discord.py: the menu by buttons, and any time zone by option."""

from __future__ import annotations

from typing import Any

import pytest

from core import texts as core_texts
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, BOB, GENERAL, buttons, learner_of, running

EPHEMERAL = 64


def custom_id(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


async def test_the_menu_changes_settings_in_place(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        menu = await fake_discord.response(await fake_discord.slash(ADA, "settings", GENERAL))
        assert menu["flags"] & EPHEMERAL
        assert "Desired retention: 90%" in menu["content"]
        press = await fake_discord.press(ADA, int(menu["id"]), custom_id(menu, "85%"))
        updated = await fake_discord.response(press)
        assert "Desired retention: 85%" in updated["content"]
        assert "✓ 85%" in dict(buttons(updated))
        zones = await fake_discord.press(
            ADA, int(updated["id"]), custom_id(updated, core_texts.SETTINGS_ZONE_BUTTON)
        )
        zone_page = await fake_discord.response(zones)
    assert press.acks == [7] and updated["id"] == menu["id"]
    assert r"/settings timezone:Area/City" in zone_page["content"].replace("\\", "")
    learner = await learner_of(services, ADA)
    async with services.store.unit_of_work() as uow:
        saved = await uow.learners.get(learner.id)
    assert saved is not None and saved.settings.scheduler.desired_retention == 0.85


async def test_in_a_server_the_learner_chooses_who_sees_their_reviews(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        menu = await fake_discord.response(await fake_discord.slash(ADA, "settings", GENERAL))
        seen = core_texts.SETTINGS_REVIEWS_SEEN
        assert seen.format(who=core_texts.SETTINGS_REVIEWS_PRIVATE) in menu["content"]
        press = await fake_discord.press(
            ADA, int(menu["id"]), custom_id(menu, core_texts.SETTINGS_EVERYONE)
        )
        updated = await fake_discord.response(press)
    assert seen.format(who=core_texts.SETTINGS_REVIEWS_PUBLIC) in updated["content"]
    assert "✓ " + core_texts.SETTINGS_EVERYONE in dict(buttons(updated))
    assert (await learner_of(services, ADA)).settings.reviews_public is True


async def test_someone_elses_menu_is_refused(fake_discord: FakeDiscord, services: Services) -> None:
    async with running(fake_discord, services):
        menu = await fake_discord.response(await fake_discord.slash(ADA, "settings", GENERAL))
        press = await fake_discord.press(BOB, int(menu["id"]), custom_id(menu, "85%"))
        refusal = await fake_discord.response(press)
    assert refusal["content"] == "These are someone else's settings. Send /settings for your own."
    assert refusal["flags"] & EPHEMERAL


async def test_any_time_zone_by_option_with_autocomplete(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        choices = await fake_discord.autocomplete(ADA, "settings", dm, "timezone", "dubai")
        said = await fake_discord.response(
            await fake_discord.slash(ADA, "settings", dm, timezone=choices[0]["value"])
        )
        bad = await fake_discord.response(
            await fake_discord.slash(ADA, "settings", dm, timezone="Atlantis/Capital")
        )
    assert [c["value"] for c in choices] == ["Asia/Dubai"]
    assert said["content"] == core_texts.SETTINGS_ZONE_SET.format(zone="Asia/Dubai")
    assert "Atlantis/Capital" in bad["content"]


async def test_free_text_options_are_as_long_as_discord_lets_them_be(
    fake_discord: FakeDiscord, services: Services
) -> None:
    """Discord allows 6000 characters unless a command says less; a 3000-character "zone"
    made zoneinfo raise OSError (file name too long) instead of a kind refusal."""
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        for command, option in (("settings", "timezone"), ("remind", "timezone")):
            with pytest.raises(AssertionError, match="Discord refuses 3000 characters"):
                await fake_discord.slash(ADA, command, dm, **{option: "y" * 3000})
        for command, option in (("deck use", "name"), ("quiz start", "deck")):
            with pytest.raises(AssertionError, match="Discord refuses 101 characters"):
                await fake_discord.slash(ADA, command, GENERAL, **{option: "n" * 101})
        longest = "y" * 64
        said = await fake_discord.response(
            await fake_discord.slash(ADA, "settings", dm, timezone=longest)
        )
    assert longest in said["content"]
