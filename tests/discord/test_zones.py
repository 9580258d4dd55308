"""One time-zone parser behind /settings timezone: and /remind timezone:, through discord.py.

`/remind timezone:+05:30` was accepted while `/settings timezone:+05:30` was refused (whole hours
only), each with its own wording.
"""

from __future__ import annotations

import datetime as dtm
from typing import Any

from adapters.discord.replies import sentence
from core import texts as core_texts
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import DcChannel
from tests.discord.harness import ADA, core_chat_id, learner_of, running

INDIA = dtm.timezone(dtm.timedelta(hours=5, minutes=30))


async def slash(fake: FakeDiscord, dm: DcChannel, name: str, **options: Any) -> str:
    return str((await fake.response(await fake.slash(ADA, name, dm, **options)))["content"])


def as_discord_shows(text: str) -> str:
    [message] = sentence(text)
    return message.content


async def test_settings_and_remind_both_accept_a_half_hour_offset(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        said = await slash(fake_discord, dm, "settings", timezone="+05:30")
        reminded = await slash(fake_discord, dm, "remind", time="08:00", timezone="+05:30")
    assert said == as_discord_shows(core_texts.SETTINGS_ZONE_SET.format(zone="UTC+05:30"))
    assert reminded == as_discord_shows("Daily review by DM at 08:00 UTC+05:30.")
    learner = await learner_of(services, ADA)
    assert learner.settings.time_zone == "UTC+05:30"
    subscription = await services.reminders.current(await core_chat_id(services, dm), learner.id)
    assert subscription is not None and subscription.time_zone == "UTC+05:30"
    assert subscription.next_push_at.astimezone(INDIA).time() == dtm.time(8, 0)


async def test_autocomplete_offers_the_offset_as_it_will_be_saved(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        offset = await fake_discord.autocomplete(ADA, "remind", dm, "timezone", "+05:30")
        named = await fake_discord.autocomplete(ADA, "settings", dm, "timezone", "europe/berl")
        exact = await fake_discord.autocomplete(ADA, "settings", dm, "timezone", "europe/berlin")
    assert [choice["value"] for choice in offset] == ["UTC+05:30"]
    assert [choice["value"] for choice in named] == ["Europe/Berlin"]
    assert [choice["value"] for choice in exact] == ["Europe/Berlin"]


async def test_settings_and_remind_refuse_a_zone_in_the_same_words(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        refused_settings = await slash(fake_discord, dm, "settings", timezone="+05:60")
        refused_remind = await slash(fake_discord, dm, "remind", time="08:00", timezone="+05:60")
    assert refused_settings == refused_remind
    assert refused_settings == as_discord_shows(core_texts.BAD_ZONE.format(text="+05:60"))
    learner = await learner_of(services, ADA)
    assert learner.settings.time_zone == "UTC"
    assert await services.reminders.current(await core_chat_id(services, dm), learner.id) is None
