"""Reviews through the real python-telegram-bot AnyApplication polling the fake Bot API server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest
import pytest_asyncio

from adapters.telegram import texts as tg_texts
from adapters.telegram.app import AnyApplication
from core import texts
from core.permissions import OPERATOR
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.telegram.chat_harness import after, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(501, "Ada", "ada")
BOB = TgUser(502, "Bob", "bob")
CHAT = TgChat(501)
FIRST_QUESTION = "What is MNIST an abbreviation of?"


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    async with running(fake_bot_api, services) as app:
        yield app


def last_message(fake: FakeBotApi) -> dict[str, Any]:
    return fake.sent_messages(CHAT.id)[-1]


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def data_of(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


def styles(message: dict[str, Any]) -> list[str | None]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button.get("style") for row in rows for button in row]


async def start_review(fake: FakeBotApi) -> dict[str, Any]:
    await after(fake, "sendMessage", lambda: fake.push_command(CHAT, ADA, "review"))
    return last_message(fake)


async def press(fake: FakeBotApi, message: dict[str, Any], label: str, method: str) -> Any:
    data = data_of(message, label)
    mid = message["message_id"]
    return await after(fake, method, lambda: fake.press_button(CHAT, ADA, mid, data))


def review_rows(services: Services) -> int:
    ((count,),) = committed_rows(services.store, "SELECT count(*) FROM review_log")
    return int(count)


async def core_chat_id(services: Services) -> int:
    async with services.store.unit_of_work() as uow:
        return (await uow.chats.ensure("telegram", str(CHAT.id), ADA.first_name, False)).id


async def use_deck(services: Services, csv: bytes, name: str) -> None:
    chat_id = await core_chat_id(services)
    summary = await services.library.import_deck(csv, name, chat_id, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


async def test_start_lists_the_commands_and_the_menu_is_set(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
) -> None:
    params = await after(
        fake_bot_api, "sendMessage", lambda: fake_bot_api.push_command(CHAT, ADA, "start")
    )
    assert params["text"] == tg_texts.welcome_text()
    assert "/review" in params["text"] and "/help" in params["text"]
    [menu] = fake_bot_api.calls_to("setMyCommands")
    assert [c["command"] for c in menu.params["commands"]] == [n for n, _ in tg_texts.COMMANDS]
    assert [n for n, _ in tg_texts.COMMANDS] == [
        "start",
        "help",
        "review",
        "decks",
        "deck",
        "quiz",
        "stop",
        "stats",
        "settings",
        "remind",
        "plan",
    ]
    help_params = await after(
        fake_bot_api, "sendMessage", lambda: fake_bot_api.push_command(CHAT, ADA, "help")
    )
    assert help_params["text"] == tg_texts.help_text()
    assert all(f"/{name} " in help_params["text"] for name in ("decks", "deck", "stats"))


async def test_show_rate_and_next_card(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    services: Services,
) -> None:
    fake = fake_bot_api
    question = await start_review(fake)
    assert FIRST_QUESTION in question["text"]
    assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]
    # The core's main action is a blue button; the ratings keep the app's own style.
    assert styles(question) == ["primary"]

    await press(fake, question, texts.SHOW_ANSWER, "editMessageText")
    [answered] = fake.calls_to("answerCallbackQuery")
    assert "show_alert" not in answered.params
    shown = fake.sent_messages(CHAT.id)[0]
    assert texts.RATING_PROMPT in shown["text"]
    assert [label for label, _ in buttons(shown)] == ["1", "2", "3", "4", "5"]
    assert styles(shown) == [None] * 5

    await press(fake, shown, "4", "sendMessage")
    rated, following = fake.sent_messages(CHAT.id)
    assert "Rated 4/5" in rated["text"]
    assert "reply_markup" not in rated
    assert [label for label, _ in buttons(following)] == [texts.SHOW_ANSWER]
    assert FIRST_QUESTION not in following["text"]
    assert review_rows(services) == 1
    assert not fake.state.open_queries


async def test_double_press_counts_once(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    services: Services,
) -> None:
    fake = fake_bot_api
    await press(fake, await start_review(fake), texts.SHOW_ANSWER, "editMessageText")
    shown = last_message(fake)
    data, mid = data_of(shown, "4"), shown["message_id"]
    fake.press_button(CHAT, ADA, mid, data)
    fake.press_button(CHAT, ADA, mid, data)  # before the bot removed the keyboard
    answers = await fake.wait_for("answerCallbackQuery", count=3)
    assert answers[2].params["text"] == texts.ALREADY_RATED
    assert answers[2].params["show_alert"] is True
    assert review_rows(services) == 1
    assert not fake.state.open_queries


async def test_another_users_press_changes_nothing(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    services: Services,
) -> None:
    fake = fake_bot_api
    question = await start_review(fake)
    data = data_of(question, texts.SHOW_ANSWER)
    params = await after(
        fake,
        "answerCallbackQuery",
        lambda: fake.press_button(CHAT, BOB, question["message_id"], data),
    )
    assert (params["text"], params["show_alert"]) == (texts.NOT_YOURS, True)
    assert fake.sent_messages(CHAT.id) == [question]
    assert fake.calls_to("editMessageText") == []


async def test_forged_presses_get_an_alert(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
) -> None:
    fake = fake_bot_api
    question = await start_review(fake)
    mid = question["message_id"]
    pressed: list[str] = []

    def forge(data: str) -> None:
        pressed.append(fake.press_button(CHAT, ADA, mid, data, strict=False))

    for data in ["r.zz.1.show", "garbage", "r." + "9" * 30]:
        params = await after(fake, "answerCallbackQuery", partial(forge, data))
        assert params["show_alert"] is True
        assert params["text"] in {texts.NOT_MY_BUTTON, texts.OLD_BUTTON}
    answered = [c.params["callback_query_id"] for c in fake.calls_to("answerCallbackQuery")]
    assert answered == pressed
    assert fake.sent_messages(CHAT.id) == [question]
    # Still alive: the real button works after the forgeries.
    await press(fake, question, texts.SHOW_ANSWER, "editMessageText")


async def test_html_special_card_text_arrives_verbatim(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    services: Services,
) -> None:
    fake = fake_bot_api
    await after(fake, "sendMessage", lambda: fake.push_command(CHAT, ADA, "start"))
    await use_deck(services, b'question,answer\n"<b>bold</b> & *_[]",x < y & z\n', "Special")
    question = await start_review(fake)
    assert "\n<b>bold</b> & *_[]" in question["text"]
    await press(fake, question, texts.SHOW_ANSWER, "editMessageText")
    shown = last_message(fake)
    assert "<b>bold</b> & *_[]\n\nx < y & z\n\n" in shown["text"]
    assert fake.violations == []


async def test_a_long_answer_is_split_with_the_keyboard_last(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    services: Services,
) -> None:
    fake = fake_bot_api
    await after(fake, "sendMessage", lambda: fake.push_command(CHAT, ADA, "start"))
    answer = "\n".join(f"line {n:03} " + "x" * 40 for n in range(100))  # about 5,000 characters
    assert len(answer) == 4999
    await use_deck(services, f'question,answer\nLong one,"{answer}"\n'.encode(), "Long")
    question = await start_review(fake)
    await press(fake, question, texts.SHOW_ANSWER, "sendMessage")
    _, first, second = fake.sent_messages(CHAT.id)
    assert first["message_id"] == question["message_id"]
    assert "reply_markup" not in first
    assert [label for label, _ in buttons(second)] == ["1", "2", "3", "4", "5"]
    assert first["text"].startswith("Long one\n\nline 000 ")
    assert first["text"] + "\n" + second["text"] == f"Long one\n\n{answer}\n\n" + (
        f"{texts.RATING_PROMPT} ({texts.RATING_LEGEND})"
    )
    assert fake.violations == []


async def test_a_press_after_a_restart_still_counts(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        await press(fake, await start_review(fake), texts.SHOW_ANSWER, "editMessageText")
    shown = last_message(fake)
    async with running(fake, services):
        await press(fake, shown, "4", "sendMessage")
    assert "Rated 4/5" in fake.sent_messages(CHAT.id)[0]["text"]
    assert review_rows(services) == 1
    assert not fake.state.open_queries


async def test_an_unexpected_error_is_logged_and_answered_kindly(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = fake_bot_api
    fake.fail_next("sendMessage", 400, "Bad Request: something unexpected")
    fake.push_command(CHAT, ADA, "review")
    [_, sorry] = await fake.wait_for("sendMessage", count=2)
    assert sorry.params["text"] == texts.SOMETHING_WENT_WRONG
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "chat 501, user 501" in record.getMessage()
    assert record.exc_info is not None
    assert fake.token not in caplog.text and fake.token.split(":")[1] not in caplog.text


async def test_a_failed_edit_after_the_answer_is_told_in_the_chat(
    fake_bot_api: FakeBotApi,
    bot_app: AnyApplication,
) -> None:
    fake = fake_bot_api
    question = await start_review(fake)
    fake.fail_next("editMessageText", 400, "Bad Request: something unexpected")
    await press(fake, question, texts.SHOW_ANSWER, "sendMessage")
    assert last_message(fake)["text"] == texts.SOMETHING_WENT_WRONG
    assert not fake.state.open_queries
