"""Cards with formulas through the real python-telegram-bot stack (issue 13): a formula Unicode
shows joins the text; one it cannot is drawn and sent as a photo, the card's text its caption
when it fits in 1,024 characters (else the photo, then the text), the buttons on the message
the learner rates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from adapters.telegram.app import AnyApplication
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.telegram.chat_harness import after, buttons, core_chat_id, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser
from tests.telegram.fake_bot_api_photos import photo_size

ADA = TgUser(501, "Ada", "ada")
CHAT = TgChat(501)
NESTED = rb"What is \(\frac{\frac{1}{2}}{3}\)?"
ANSWER = rb"\(1/6\), as \(a = \sqrt{6/(n_{in}+n_{out})}\)"
DECK = b'question,answer\n"' + NESTED + b'","' + ANSWER + b'"\n'


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    async with running(fake_bot_api, services) as app:
        yield app


async def use_deck(services: Services, csv: bytes) -> None:
    chat_id = await core_chat_id(services, CHAT)
    summary = await services.library.import_deck(csv, "Maths", chat_id, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


async def press(fake: FakeBotApi, message: dict[str, Any], label: str, method: str) -> None:
    data = dict(buttons(message))[label]
    mid = message["message_id"]
    await after(fake, method, lambda: fake.press_button(CHAT, ADA, mid, data))


async def test_a_formula_card_is_a_photo_captioned_with_the_card_and_rated_on_it(
    fake_bot_api: FakeBotApi, services: Services, bot_app: AnyApplication
) -> None:
    await use_deck(services, DECK)
    await after(fake_bot_api, "sendPhoto", lambda: fake_bot_api.push_command(CHAT, ADA, "review"))
    [question] = fake_bot_api.sent_messages(CHAT.id)
    [call] = fake_bot_api.calls_to("sendPhoto")
    png = call.files["photo"].content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = photo_size(png)
    assert 20 < width < 400 and 40 < height < 400  # a small picture of one formula
    assert "What is" in question["caption"] and "frac" not in question["caption"]
    assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]

    await press(fake_bot_api, question, texts.SHOW_ANSWER, "editMessageCaption")
    answer = fake_bot_api.state.message(CHAT.id, question["message_id"])
    assert "1/6, as a = √(6/(nᵢₙ+nₒᵤₜ))" in answer["caption"]
    assert answer["photo"] == question["photo"]  # the formula stays on the rated message
    assert [label for label, _ in buttons(answer)] == list(texts.RATING_LABELS.values())

    await press(fake_bot_api, answer, "4", "editMessageCaption")
    rated = fake_bot_api.state.message(CHAT.id, question["message_id"])
    assert "Rated 4/5" in rated["caption"]
    assert fake_bot_api.calls_to("editMessageText") == []


async def test_a_card_too_long_for_a_caption_is_the_photo_then_the_text(
    fake_bot_api: FakeBotApi, services: Services, bot_app: AnyApplication
) -> None:
    long_question = b"A long one. " * 100 + NESTED
    await use_deck(services, b'question,answer\n"' + long_question + b'",yes\n')
    await after(fake_bot_api, "sendMessage", lambda: fake_bot_api.push_command(CHAT, ADA, "review"))
    photo, text = fake_bot_api.sent_messages(CHAT.id)
    assert "photo" in photo and "caption" not in photo and "reply_markup" not in photo
    assert "A long one." in text["text"] and "frac" not in text["text"]
    assert [label for label, _ in buttons(text)] == [texts.SHOW_ANSWER]

    await press(fake_bot_api, text, texts.SHOW_ANSWER, "editMessageText")
    # The picture is still right above: the text is edited in place and rated there.
    answer = fake_bot_api.state.message(CHAT.id, text["message_id"])
    assert len(fake_bot_api.sent_messages(CHAT.id)) == 2 and "yes" in answer["text"]
    assert [label for label, _ in buttons(answer)] == list(texts.RATING_LABELS.values())
