"""One time-zone parser behind /settings zone and /remind, through the real Application.

`/remind 08:00 +05:30` was accepted while `/settings zone +05:30` was refused (whole hours only),
each with its own wording.
"""

from __future__ import annotations

import datetime as dtm

from core import texts
from tests.conftest import Services
from tests.telegram.chat_harness import ADA, PRIVATE, after, core_chat_id, learner_of, running
from tests.telegram.fake_bot_api import FakeBotApi

INDIA = dtm.timezone(dtm.timedelta(hours=5, minutes=30))


async def command(fake: FakeBotApi, name: str, args: str) -> str:
    params = await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, name, args))
    return str(params["text"])


async def test_settings_zone_and_remind_both_accept_a_half_hour_offset(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        said = await command(fake, "settings", "zone +05:30")
        assert said == texts.SETTINGS_ZONE_SET.format(zone="UTC+05:30")
        assert await command(fake, "remind", "08:00 +05:30") == "Daily review at 08:00 UTC+05:30."
    learner = await learner_of(services, ADA)
    assert learner.settings.time_zone == "UTC+05:30"
    chat = await core_chat_id(services, PRIVATE)
    subscription = await services.reminders.current(chat, learner.id)
    assert subscription is not None and subscription.time_zone == "UTC+05:30"
    assert subscription.next_push_at.astimezone(INDIA).time() == dtm.time(8, 0)


async def test_remind_without_a_zone_uses_the_offset_saved_in_settings(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        await command(fake, "settings", "zone utc+5:45")
        assert await command(fake, "remind", "07:15") == "Daily review at 07:15 UTC+05:45."


async def test_settings_zone_and_remind_refuse_a_zone_in_the_same_words(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    refusal = texts.BAD_ZONE.format(text="+05:60")
    async with running(fake, services):
        assert await command(fake, "settings", "zone +05:60") == refusal
        assert await command(fake, "remind", "08:00 +05:60") == refusal
        assert await command(fake, "settings", "zone +15:00") == texts.BAD_ZONE.format(
            text="+15:00"
        )
    learner = await learner_of(services, ADA)
    assert learner.settings.time_zone == "UTC"
    assert (
        await services.reminders.current(await core_chat_id(services, PRIVATE), learner.id) is None
    )
