"""/remind and the daily push through the real Application polling the fake Bot API."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging

import pytest

from adapters.scheduling import BotScheduler
from adapters.telegram.app import TelegramBot
from bot.run import daily_pushes
from core import texts
from core.permissions import OPERATOR
from core.reminders.service import DEFAULT_LEASE, Push
from tests.conftest import Services
from tests.telegram.chat_harness import (
    ADA,
    BOB,
    GROUP,
    PRIVATE,
    after,
    buttons,
    core_chat_id,
    learner_of,
    running,
    running_bot,
)
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

PUSH_MINUTE = dtm.datetime(2026, 11, 3, 7, 0, tzinfo=dtm.UTC)  # 08:00 in Berlin (CET)
PUSH_TEXT = "12 cards are due in Neural nets and deep learning."


def ticking(services: Services, bot: TelegramBot) -> BotScheduler:
    """The tick `quizbot run` wires: claim what is due, deliver it through the bot."""
    scheduler = BotScheduler(services.clock)
    scheduler.every_minute(daily_pushes(services.reminders, [bot]))
    return scheduler


async def remind(fake: FakeBotApi, chat: TgChat, user: TgUser, args: str = "") -> str:
    params = await after(fake, "sendMessage", lambda: fake.push_command(chat, user, "remind", args))
    return str(params["text"])


async def ada_subscription(services: Services) -> object:
    learner = await learner_of(services, ADA)
    return await services.reminders.current(await core_chat_id(services, PRIVATE), learner.id)


async def test_remind_sets_shows_and_stops(fake_bot_api: FakeBotApi, services: Services) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        assert (
            await remind(fake, PRIVATE, ADA)
            == "No daily review is set. Try /remind 08:00 Europe/Berlin"
        )
        said = await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        assert said == "Daily review at 08:00 Europe/Berlin."
        learner = await learner_of(services, ADA)
        chat_id = await core_chat_id(services, PRIVATE)
        subscription = await services.reminders.current(chat_id, learner.id)
        assert subscription is not None
        assert (subscription.local_time, subscription.time_zone) == (
            dtm.time(8, 0),
            "Europe/Berlin",
        )
        assert subscription.next_push_at == PUSH_MINUTE
        assert await remind(fake, PRIVATE, ADA) == "Daily review at 08:00 Europe/Berlin."
        assert await remind(fake, PRIVATE, ADA, "off") == texts.REMIND_OFF
        assert await services.reminders.current(chat_id, learner.id) is None
        assert (
            await remind(fake, PRIVATE, ADA)
            == "No daily review is set. Try /remind 08:00 Europe/Berlin"
        )


async def test_remind_defaults_to_utc_and_accepts_offsets(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        assert await remind(fake, PRIVATE, ADA, "07:30") == "Daily review at 07:30 UTC."
        assert await remind(fake, PRIVATE, ADA, "7:30 +02:00") == "Daily review at 07:30 UTC+02:00."


async def test_bad_time_and_zone_get_the_core_message(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        said = await remind(fake, PRIVATE, ADA, "25:00 Europe/Berlin")
        assert said == texts.REMIND_BAD_TIME.format(text="25:00")
        said = await remind(fake, PRIVATE, ADA, "08:00 Mars/Olympus")
        assert said == texts.BAD_ZONE.format(text="Mars/Olympus")
        assert await ada_subscription(services) is None


async def test_only_group_admins_set_the_group_push_and_it_names_the_deck(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [ADA])
    async with running(fake, services):
        assert (
            await remind(fake, GROUP, BOB, "08:00")
            == "Only the group's admins can set the daily review here."
        )
        assert await remind(fake, GROUP, ADA, "08:00 Europe/Berlin") == (
            "Daily review at 08:00 Europe/Berlin."
        )
        group_id = await core_chat_id(services, GROUP)
        assert await services.reminders.current(group_id, None) is not None
        assert await remind(fake, GROUP, BOB) == "Daily review at 08:00 Europe/Berlin."


async def test_a_groups_push_is_a_short_quiz_of_what_its_members_have_due(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [ADA])
    deadlines = BotScheduler(services.clock)
    async with running_bot(fake, services, deadlines=deadlines) as bot:
        await remind(fake, GROUP, ADA, "08:00 Europe/Berlin")
        # Bob reviews one card in the group and forgets it: it is due for him tomorrow.
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, BOB, "review"))
        card = fake.sent_messages(GROUP.id)[-1]
        forgotten = card["text"].split("\n")[-1]
        show = dict(buttons(card))[texts.SHOW_ANSWER]
        await after(
            fake, "editMessageText", lambda: fake.press_button(GROUP, BOB, card["message_id"], show)
        )
        rate = dict(buttons(fake.state.message(GROUP.id, card["message_id"])))["1"]
        await after(
            fake, "sendMessage", lambda: fake.press_button(GROUP, BOB, card["message_id"], rate)
        )

        before = len(fake.sent_messages(GROUP.id))
        services.clock.set(PUSH_MINUTE)
        await ticking(services, bot).run_tick_now()
        [quiz] = fake.sent_messages(GROUP.id)[before:]
        assert texts.QUIZ_CARD.format(number=1, total=5) in quiz["text"]
        assert forgotten in quiz["text"]
        assert "or when the timer shows it" in quiz["text"]
        assert [label for label, _ in buttons(quiz)] == [texts.SHOW_ANSWER]
        await asyncio.sleep(0.05)
        assert len(deadlines.pending()) == 1
        await ticking(services, bot).run_tick_now()  # claimed already: no second quiz
        assert len(fake.sent_messages(GROUP.id)) == before + 1


async def test_the_push_arrives_once_and_its_button_starts_a_review(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running_bot(fake, services) as app:
        await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        tick = ticking(services, app)
        await tick.run_tick_now()  # 09:00 UTC: not yet
        before = len(fake.sent_messages(PRIVATE.id))
        services.clock.set(PUSH_MINUTE)
        await tick.run_tick_now()
        await tick.run_tick_now()  # the same minute again: already claimed
        [push] = fake.sent_messages(PRIVATE.id)[before:]
        assert push["text"] == PUSH_TEXT
        [(label, data)] = buttons(push)
        assert label == texts.PUSH_START_REVIEW
        card = await after(
            fake, "sendMessage", lambda: fake.press_button(PRIVATE, ADA, push["message_id"], data)
        )
        assert [label for label, _ in buttons(card)] == [texts.SHOW_ANSWER]
        await fake.wait_for("answerCallbackQuery")
        assert not fake.state.open_queries


async def test_a_missed_push_is_not_sent_late_and_zero_due_sends_nothing(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running_bot(fake, services) as app:
        await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        before = len(fake.calls_to("sendMessage"))
        services.clock.set(PUSH_MINUTE + dtm.timedelta(hours=3))  # missed by more than the grace
        await ticking(services, app).run_tick_now()
        chat_id = await core_chat_id(services, PRIVATE)
        subscription = await services.reminders.current(
            chat_id, (await learner_of(services, ADA)).id
        )
        async with services.store.unit_of_work() as uow:
            chat = await uow.chats.get(chat_id)
        assert subscription is not None and chat is not None
        assert await app.deliver([Push(subscription, chat, 0, ("neural-nets",))]) == 0
        assert len(fake.calls_to("sendMessage")) == before


async def test_a_blocked_chat_loses_its_subscription(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running_bot(fake, services) as app:
        await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        fake.block(PRIVATE.id)
        services.clock.set(PUSH_MINUTE)
        await ticking(services, app).run_tick_now()
        assert await ada_subscription(services) is None


async def test_a_rate_limited_push_is_retried_and_arrives_once(
    fake_bot_api: FakeBotApi, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake = fake_bot_api
    async with running_bot(fake, services) as app:
        await remind(fake, PRIVATE, ADA, "08:00 Europe/Berlin")
        before = len(fake.sent_messages(PRIVATE.id))
        fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        services.clock.set(PUSH_MINUTE)
        await ticking(services, app).run_tick_now()
        assert [m["text"] for m in fake.sent_messages(PRIVATE.id)[before:]] == [PUSH_TEXT]


async def test_the_minutely_tick_calls_back_and_shuts_down_cleanly(services: Services) -> None:
    calls: list[int] = []

    async def callback() -> None:
        calls.append(1)

    tick = BotScheduler(services.clock)
    tick.every_minute(callback)
    tick.start()
    assert tick.running
    await tick.run_tick_now()
    await tick.shutdown()
    assert not tick.running
    assert calls == [1]
    await asyncio.sleep(0.01)


async def test_a_push_for_a_platform_that_is_not_running_is_logged_and_left_to_another_worker(
    fake_bot_api: FakeBotApi, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Only Telegram runs here; the Discord DM's push keeps its lease, and a worker that runs
    Discord takes it once the lease ran out."""
    async with services.store.unit_of_work() as uow:
        dm = await uow.chats.ensure("discord", "800000000000000001", "Ada", False)
        learner = await uow.learners.ensure("discord", "800000000000000001", "Ada")
        await uow.commit()
    await services.reminders.subscribe(
        dm.id, learner.id, dtm.time(8, 0), "Europe/Berlin", role=OPERATOR
    )
    services.clock.set(PUSH_MINUTE)
    async with running_bot(fake_bot_api, services) as bot:
        with caplog.at_level(logging.WARNING, logger="adapters.chat.push_router"):
            await ticking(services, bot).run_tick_now()
    assert fake_bot_api.calls_to("sendMessage") == []
    assert f"daily push for chat {dm.id} not sent: discord is not running" in caplog.text
    subscription = await services.reminders.current(dm.id, learner.id)
    assert subscription is not None and subscription.next_push_at == PUSH_MINUTE  # still due
    assert await services.reminders.tick("discord-worker") == []  # leased meanwhile
    services.clock.set(PUSH_MINUTE + DEFAULT_LEASE)
    [push] = await services.reminders.tick("discord-worker")
    assert push.chat == dm
