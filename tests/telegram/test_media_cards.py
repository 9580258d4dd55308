"""Cards with pictures and sounds through the real python-telegram-bot stack (issue 13): one
picture is a photo captioned with the card, several an album above the text, a sound an audio
message; the buttons stay on the message the learner rates, and a picture is uploaded once per
bot, then sent by the file_id Telegram gave it."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from adapters.media.folder import MediaFolder
from adapters.telegram.app import AnyApplication
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.telegram.chat_harness import after, buttons, core_chat_id, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(501, "Ada", "ada")
CHAT = TgChat(501)
RATINGS = list(texts.RATING_LABELS.values())


@pytest_asyncio.fixture
async def bot_app(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> AsyncIterator[AnyApplication]:
    services.library.media = MediaFolder(tmp_path / "media")
    chat_id = await core_chat_id(services, CHAT)
    summary = await services.library.import_deck(
        fixture("anki-media.apkg"), "Anatomy", chat_id, "a.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    async with running(fake_bot_api, services) as app:
        yield app


async def press(fake: FakeBotApi, message: dict[str, Any], label: str, method: str) -> None:
    data = dict(buttons(message))[label]
    mid = message["message_id"]
    await after(fake, method, lambda: fake.press_button(CHAT, ADA, mid, data))


async def test_pictures_and_sounds_of_a_deck_are_shown_and_rated_where_they_are(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication
) -> None:
    fake = fake_bot_api
    await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
    [question] = fake.sent_messages(CHAT.id)
    assert question["caption"].endswith("\n\nWhich organ?")  # the picture, not its name
    heart = fake.calls_to("sendPhoto")[0].files["photo"].content
    assert heart.startswith(b"\x89PNG")
    assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]

    await press(fake, question, texts.SHOW_ANSWER, "editMessageCaption")
    answer = fake.state.message(CHAT.id, question["message_id"])
    assert "The heart" in answer["caption"] and answer["photo"] == question["photo"]
    assert [label for label, _ in buttons(answer)] == RATINGS

    # Rated: the next card ("Say hello") is text; its answer's sound comes as audio, the
    # pressed message is edited in place and keeps the buttons.
    await press(fake, answer, "4", "sendMessage")
    hello = fake.sent_messages(CHAT.id)[-1]
    assert hello["text"].endswith("Say hello")
    await press(fake, hello, texts.SHOW_ANSWER, "editMessageText")
    [audio] = fake.calls_to("sendAudio")
    assert audio.files["audio"].filename == "hola.mp3"
    rated = fake.state.message(CHAT.id, hello["message_id"])
    assert "hola" in rated["text"] and "[sound" not in rated["text"]
    assert [label for label, _ in buttons(rated)] == RATINGS

    # Two pictures: an album, then the text with the buttons.
    await press(fake, rated, "4", "sendMessage")
    [album] = fake.calls_to("sendMediaGroup")
    assert [item["type"] for item in album.params["media"]] == ["photo", "photo"]
    lungs = fake.sent_messages(CHAT.id)[-1]
    assert lungs["text"].endswith("Left and right") and "reply_markup" in lungs
    await press(fake, lungs, texts.SHOW_ANSWER, "editMessageText")
    assert len(fake.calls_to("sendMediaGroup")) == 1  # the album above still shows them

    # The heart again: sent by the file_id of the first upload, not uploaded once more.
    await press(fake, fake.state.message(CHAT.id, lungs["message_id"]), "4", "sendPhoto")
    again = fake.calls_to("sendPhoto")[-1]
    assert again.files == {} and again.params["photo"] == question["photo"][-1]["file_id"]
    digest = hashlib.sha256(heart).digest()
    assert sum(hashlib.sha256(u.content).digest() == digest for u in fake.state.uploads) == 1
    assert fake.violations == []


async def test_a_group_quiz_shows_the_cards_pictures_above_its_question(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    services.library.media = MediaFolder(tmp_path / "media")
    group = TgChat(-900, "group")
    chat_id = await core_chat_id(services, group)
    summary = await services.library.import_deck(
        fixture("anki-media.apkg"), "Anatomy", chat_id, "a.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(group, ADA, "quiz", "4 30"))
        *pictures, question = fake.sent_messages(group.id)
        assert "[image" not in question["text"] and "reply_markup" in question
        shown = [m for m in pictures if "photo" in m]
        assert shown and all("reply_markup" not in m for m in pictures)
    assert fake.violations == []
