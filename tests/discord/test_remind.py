"""/remind and the daily pushes through discord.py against the fake Discord."""

from __future__ import annotations

import datetime as dtm
import logging
from typing import Any

import pytest

from adapters.discord.app import DiscordBot
from bot.run import daily_pushes
from core import texts as core_texts
from core.actions import START_REVIEW_TOKEN
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import (
    MANAGE_CHANNELS,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    DcChannel,
    DcUser,
)
from tests.discord.harness import (
    ADA,
    BOB,
    GENERAL,
    buttons,
    core_chat_id,
    learner_of,
    running,
    running_bot,
)

PUSH_MINUTE = dtm.datetime(2026, 11, 3, 7, 0, tzinfo=dtm.UTC)  # 08:00 in Berlin (CET)
PUSH_TEXT = "12 cards are due in Neural nets and deep learning."
EPHEMERAL = 64
NONE_SET = "No daily review is set. Try /remind time:08:00 timezone:Europe/Berlin"
PRIMARY = 1  # Discord's button style numbers: 1 primary (blurple), 2 secondary (grey)


async def tick(services: Services, bot: DiscordBot) -> None:
    """One run of the minutely tick `bot.run` wires, with Discord as the only platform."""
    await daily_pushes(services.reminders, [bot])()


async def remind(
    fake: FakeDiscord, user: DcUser, where: DcChannel, /, **options: Any
) -> dict[str, Any]:
    interaction = await fake.slash(user, "remind", where, **options)
    return await fake.response(interaction)


async def test_remind_in_a_dm_sets_shows_and_stops(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        assert (await remind(fake_discord, ADA, dm))["content"] == NONE_SET
        said = await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        assert said["content"] == "Daily review by DM at 08:00 Europe/Berlin."
        shown = await remind(fake_discord, ADA, dm)
        assert shown["content"] == said["content"]
        learner = await learner_of(services, ADA)
        subscription = await services.reminders.current(
            await core_chat_id(services, dm), learner.id
        )
        assert subscription is not None and subscription.next_push_at == PUSH_MINUTE
        assert (await remind(fake_discord, ADA, dm, time="off"))["content"] == core_texts.REMIND_OFF
        assert (await remind(fake_discord, ADA, dm, time="off"))["content"] == NONE_SET


async def test_remind_in_a_server_sets_a_private_dm_push(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        said = await remind(fake_discord, ADA, GENERAL, time="7:30")
    assert said["content"] == "Daily review by DM at 07:30 UTC."
    assert said["flags"] & EPHEMERAL
    assert fake_discord.calls("POST", "/users/@me/channels")
    learner = await learner_of(services, ADA)
    dm = await core_chat_id(services, fake_discord.dm_channel(ADA))
    assert await services.reminders.current(dm, learner.id) is not None


async def test_a_channel_push_needs_manage_server_as_its_deck_does(
    fake_discord: FakeDiscord, services: Services
) -> None:
    """Manage Server, as for the channel's deck (it was Manage Channels); anyone may look."""
    async with running(fake_discord, services):
        refused = await remind(fake_discord, BOB, GENERAL, time="08:00", channel=True)
        channels_only = await remind(
            fake_discord,
            ADA,
            GENERAL,
            time="off",
            channel=True,
            permissions=MEMBER_PERMISSIONS | MANAGE_CHANNELS,
        )
        said = await remind(
            fake_discord,
            ADA,
            GENERAL,
            time="08:00",
            channel=True,
            permissions=MEMBER_PERMISSIONS | MANAGE_GUILD,
        )
        shown = await remind(fake_discord, BOB, GENERAL, channel=True)
    refusal = "Only members with Manage Server can set the daily review here."
    assert refused["content"] == channels_only["content"] == refusal
    assert refused["flags"] & EPHEMERAL
    assert said["content"] == shown["content"] == "Daily review in this channel at 08:00 UTC."
    chat = await core_chat_id(services, GENERAL)
    assert await services.reminders.current(chat, None) is not None


async def test_bad_times_and_zones_are_explained(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        bad_time = await remind(fake_discord, ADA, dm, time="25:00")
        bad_zone = await remind(fake_discord, ADA, dm, time="08:00", timezone="Mars/Olympus")
        zones = await fake_discord.autocomplete(ADA, "remind", dm, "timezone", "berl")
        every = await fake_discord.autocomplete(ADA, "remind", dm, "timezone", "")
    assert bad_time["content"] == core_texts.REMIND_BAD_TIME.format(text="25:00")
    assert "Mars/Olympus" in bad_zone["content"]
    assert [z["value"] for z in zones] == ["Europe/Berlin"]
    assert len(every) == 25  # Discord shows at most 25


async def test_the_daily_push_arrives_by_dm_and_starts_a_review(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running_bot(fake_discord, services) as bot:
        await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        services.clock.set(PUSH_MINUTE)
        await tick(services, bot)
        (push,) = [m for m in fake_discord.messages_in(dm) if m["content"] == PUSH_TEXT]
        assert buttons(push) == [(core_texts.PUSH_START_REVIEW, START_REVIEW_TOKEN)]
        assert push["components"][0]["components"][0]["style"] == PRIMARY
        start = await fake_discord.press(ADA, int(push["id"]), START_REVIEW_TOKEN)
        question = await fake_discord.response(start)
        await tick(services, bot)  # sent once a day
    assert [label for label, _ in buttons(question)] == [core_texts.SHOW_ANSWER]
    assert not question["flags"] & EPHEMERAL
    assert len([m for m in fake_discord.messages_in(dm) if m["content"] == PUSH_TEXT]) == 1


async def test_a_push_sent_before_the_shared_token_still_starts_a_review(
    fake_discord: FakeDiscord, services: Services
) -> None:
    """Discord pushes carried `start.review` until both platforms used the core's token; old
    push messages keep that button, and pressing it still starts a review."""
    dm = fake_discord.dm_channel(ADA)
    async with running_bot(fake_discord, services) as bot:
        await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        services.clock.set(PUSH_MINUTE)
        await tick(services, bot)
        (push,) = [m for m in fake_discord.messages_in(dm) if m["content"] == PUSH_TEXT]
        push["components"][0]["components"][0]["custom_id"] = "start.review"  # as sent before
        start = await fake_discord.press(ADA, int(push["id"]), "start.review")
        question = await fake_discord.response(start)
    assert [label for label, _ in buttons(question)] == [core_texts.SHOW_ANSWER]


async def test_closed_dms_unsubscribe_with_a_log_line(
    fake_discord: FakeDiscord, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running_bot(fake_discord, services) as bot:
        await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        fake_discord.closed_dms.add(ADA.id)
        services.clock.set(PUSH_MINUTE)
        with caplog.at_level(logging.INFO, logger="adapters.discord.pushes"):
            await tick(services, bot)
    learner = await learner_of(services, ADA)
    assert await services.reminders.current(await core_chat_id(services, dm), learner.id) is None
    assert "daily push removed" in caplog.text


async def test_a_rate_limited_push_is_retried_not_lost(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running_bot(fake_discord, services) as bot:
        await remind(fake_discord, ADA, dm, time="08:00", timezone="Europe/Berlin")
        services.clock.set(PUSH_MINUTE)
        fake_discord.fail_next("POST", rf"/channels/{dm.id}/messages", 429, {"retry_after": 0.05})
        await tick(services, bot)
    assert len(fake_discord.calls("POST", rf"/channels/{dm.id}/messages")) == 2
    assert [m["content"] for m in fake_discord.messages_in(dm)].count(PUSH_TEXT) == 1


async def test_a_deleted_channel_loses_its_daily_push(
    fake_discord: FakeDiscord, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord answers 404 Unknown Channel for ever: without this the push failed every day."""
    gone = DcChannel(GENERAL.id + 99, GENERAL.guild_id, name="deleted")  # not on the server
    chat = await core_chat_id(services, gone)
    await services.reminders.subscribe(chat, None, dtm.time(8, 0), "Europe/Berlin", role=OPERATOR)
    services.clock.set(PUSH_MINUTE)
    async with running_bot(fake_discord, services) as bot:
        with caplog.at_level(logging.INFO, logger="adapters.discord.pushes"):
            await tick(services, bot)
    assert fake_discord.calls("POST", rf"/channels/{gone.id}/messages")  # it was tried
    assert await services.reminders.current(chat, None) is None
    assert "daily push removed" in caplog.text
