"""Leech rescue on Telegram through the real Application and the fake Bot API: the leech's
buttons at the rating, a hint as the next private message or a reply in a group, shown under
the question before the answer; suspending takes the card out of /review."""

from __future__ import annotations

from typing import Any

from core import texts
from core.leeches.model import MAX_HINT_CHARS
from core.stats import texts as stats_texts
from tests.conftest import Services
from tests.leech_cards import nearly_leech
from tests.telegram.chat_harness import (
    GROUP,
    PRIVATE,
    after,
    buttons,
    core_chat_id,
    learner_of,
    running,
)
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(501, "Ada", "ada")
BOB = TgUser(502, "Bob", "bob")


def data_of(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


async def press(
    fake: FakeBotApi,
    chat: TgChat,
    message: dict[str, Any],
    label: str,
    method: str = "answerCallbackQuery",
) -> None:
    data, mid = data_of(message, label), message["message_id"]
    await after(fake, method, lambda: fake.press_button(chat, ADA, mid, data))


def last(fake: FakeBotApi, chat: TgChat) -> dict[str, Any]:
    return fake.sent_messages(chat.id)[-1]


async def lapse_into_leech(fake: FakeBotApi, chat: TgChat) -> dict[str, Any]:
    """/review, show, rate 1: the rated message, a leech now."""
    await after(fake, "sendMessage", lambda: fake.push_command(chat, ADA, "review"))
    question = last(fake, chat)
    assert "Capital of Peru?" in question["text"]
    await press(fake, chat, question, texts.SHOW_ANSWER, "editMessageText")
    answer = fake.state.message(chat.id, question["message_id"])
    await press(fake, chat, answer, "1", "editMessageText")
    return fake.state.message(chat.id, question["message_id"])


async def review_question(fake: FakeBotApi, services: Services, chat: TgChat) -> str:
    services.clock.advance(days=2)  # due again
    await after(fake, "sendMessage", lambda: fake.push_command(chat, ADA, "review"))
    return str(last(fake, chat)["text"])


async def test_a_leech_gets_a_private_hint_shown_before_the_answer(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, PRIVATE), ada.id)
    async with running(fake_bot_api, services):
        rated = await lapse_into_leech(fake_bot_api, PRIVATE)
        assert texts.LEECH_FLAGGED.format(lapses=6) in rated["text"]
        assert [label for label, _ in buttons(rated)] == [
            texts.LEECH_HINT_BUTTON,
            texts.LEECH_SUSPEND_BUTTON,
        ]
        await press(fake_bot_api, PRIVATE, rated, texts.LEECH_HINT_BUTTON)
        prompt = (await fake_bot_api.wait_for("sendMessage", count=3))[-1].params
        assert "Capital of Peru?" in prompt["text"] and "300" in prompt["text"]
        too_long = "x" * (MAX_HINT_CHARS + 1)
        await after(
            fake_bot_api, "sendMessage", lambda: fake_bot_api.push_message(PRIVATE, ADA, too_long)
        )
        assert last(fake_bot_api, PRIVATE)["text"] == texts.HINT_TOO_LONG.format(
            length=MAX_HINT_CHARS + 1, limit=MAX_HINT_CHARS
        )
        await after(
            fake_bot_api,
            "sendMessage",
            lambda: fake_bot_api.push_message(PRIVATE, ADA, "Lima ≈ llama"),
        )
        assert last(fake_bot_api, PRIVATE)["text"] == texts.HINT_SAVED
        # The next message is no hint: the prompt is closed, so the bot says nothing.
        fake_bot_api.push_message(PRIVATE, ADA, "thanks")
        question = await review_question(fake_bot_api, services, PRIVATE)
    assert "Your hint: Lima ≈ llama" in question
    assert "Lima\n" not in question and not question.endswith("Lima")  # before the answer
    assert question.index("Capital of Peru?") < question.index("Your hint")


async def test_the_hint_prompt_can_be_cancelled_and_expires(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, PRIVATE), ada.id)
    async with running(fake_bot_api, services):
        rated = await lapse_into_leech(fake_bot_api, PRIVATE)
        await press(fake_bot_api, PRIVATE, rated, texts.LEECH_HINT_BUTTON)
        prompt = (await fake_bot_api.wait_for("sendMessage", count=3))[-1].params
        await press(fake_bot_api, PRIVATE, last(fake_bot_api, PRIVATE), texts.LEECH_CANCEL_BUTTON)
        assert (await fake_bot_api.wait_for("sendMessage", count=4))[-1].params["text"] == (
            texts.HINT_CANCELLED
        )
        await press(fake_bot_api, PRIVATE, rated, texts.LEECH_HINT_BUTTON)
        await fake_bot_api.wait_for("sendMessage", count=5)
        services.clock.advance(hours=1)
        await after(
            fake_bot_api, "sendMessage", lambda: fake_bot_api.push_message(PRIVATE, ADA, "late")
        )
        assert last(fake_bot_api, PRIVATE)["text"] == texts.HINT_EXPIRED
        question = await review_question(fake_bot_api, services, PRIVATE)
    assert "Your hint" not in question and "Capital of Peru?" in prompt["text"]


async def test_in_a_group_the_hint_is_a_reply_to_the_force_reply_prompt(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, GROUP), ada.id)
    async with running(fake_bot_api, services):
        rated = await lapse_into_leech(fake_bot_api, GROUP)
        await press(fake_bot_api, GROUP, rated, texts.LEECH_HINT_BUTTON)
        await fake_bot_api.wait_for("sendMessage", count=3)
        prompt = last(fake_bot_api, GROUP)
        assert prompt["sent_force_reply"] == {"force_reply": True, "selective": True}
        # Selective: it opens the reply field only for the learner it mentions.
        assert prompt["entities"][0]["url"] == f"tg://user?id={ADA.id}"
        # A message that is no reply to the prompt is not the hint (privacy mode would not
        # even deliver it); Bob's reply is not Ada's hint.
        fake_bot_api.push_message(GROUP, BOB, "not mine", reply_to=prompt["message_id"])
        await after(
            fake_bot_api,
            "sendMessage",
            lambda: fake_bot_api.push_message(
                GROUP, ADA, "Think of llamas", reply_to=prompt["message_id"]
            ),
        )
        assert last(fake_bot_api, GROUP)["text"] == texts.HINT_SAVED
        question = await review_question(fake_bot_api, services, GROUP)
    assert "Your hint: Think of llamas" in question


async def test_a_suspended_leech_leaves_the_review(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, PRIVATE), ada.id)
    async with running(fake_bot_api, services):
        rated = await lapse_into_leech(fake_bot_api, PRIVATE)
        await press(fake_bot_api, PRIVATE, rated, texts.LEECH_SUSPEND_BUTTON)
        said = (await fake_bot_api.wait_for("sendMessage", count=3))[-1].params["text"]
        assert said == texts.CARD_SUSPENDED.format(settings="/settings")
        question = await review_question(fake_bot_api, services, PRIVATE)
        await after(
            fake_bot_api, "sendPhoto", lambda: fake_bot_api.push_command(PRIVATE, ADA, "stats")
        )
        stats = str(fake_bot_api.calls_to("sendMessage")[-1].params["text"])
    assert stats_texts.STATS_SUSPENDED.format(count=1) in stats
    assert stats_texts.DUE_NOW.format(count=0) in stats  # nor is it counted due
    assert "Capital of Peru?" not in question
    assert texts.NO_CARDS_LEFT in question or texts.ALL_DONE in question


async def test_the_leech_threshold_is_the_learners_own_by_settings(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, PRIVATE), ada.id)  # 5 lapses

    async def settings(args: str = "") -> str:
        await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "settings", args))
        return str(last(fake, PRIVATE)["text"])

    async def stats() -> str:
        await after(fake, "sendPhoto", lambda: fake.push_command(PRIVATE, ADA, "stats"))
        return str(fake.calls_to("sendMessage")[-1].params["text"])

    async with running(fake, services):
        garbage, too_low = await settings("leech lots"), await settings("leech 2")
        bare, saved = await settings("leech"), await settings("leech 8")
        sent = len(fake.calls_to("sendMessage"))
        rated = await lapse_into_leech(fake, PRIVATE)  # the 6th lapse: no leech at 8
        await fake.wait_for("sendMessage", count=sent + 2)  # the question, then what follows
        menu = await settings()
        not_yet = await stats()
        await settings("leech 5")
        counted = await stats()
    assert garbage == texts.LEECH_THRESHOLD_NOT_A_NUMBER.format(
        text="lots", low=3, high=20, settings_leech="/settings leech "
    )
    assert too_low == texts.LEECH_THRESHOLD_OUT_OF_RANGE.format(lapses=2, low=3, high=20)
    assert bare == texts.LEECH_THRESHOLD_MISSING.format(
        low=3, high=20, settings_leech="/settings leech "
    )
    assert saved == texts.LEECH_THRESHOLD_SET.format(lapses=8)
    assert texts.LEECH_FLAGGED.format(lapses=6) not in rated["text"] and buttons(rated) == []
    assert "Leech threshold: 8 lapses (/settings leech 3–20 to change it)" in menu
    assert "Leeches:" not in not_yet
    assert stats_texts.STATS_LEECHES.format(count=1, threshold=5) in counted
