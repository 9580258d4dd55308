"""Clozes over pictures in a review through the real python-telegram-bot stack (issue 13), from a
package Anki wrote (`anki-image-cloze.apkg`): the picture is the question's photo and the
deletion reads [...]; the answer, in the same photo's caption, reveals it; a picture the cloze
itself hid comes only with the answer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from adapters.media.folder import MediaFolder
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.telegram.chat_harness import ADA, PRIVATE, after, buttons, core_chat_id, running
from tests.telegram.fake_bot_api import FakeBotApi

# Each question (its picture's marker gone), the answer's words, and whether the question has
# a picture.
BONES = {
    "[...] is the bone shown": ("Femur is the bone shown", True),
    "The kneecap looks like [...]": ("The kneecap looks like", False),
    "[...] the shin bone": ("Tibia the shin bone", True),
    "[...], upper arm": ("Humerus, upper arm", True),
}


def card_message(fake: FakeBotApi) -> dict[str, Any]:
    """The message with the buttons: the card on show."""
    return [m for m in fake.sent_messages(PRIVATE.id) if "reply_markup" in m][-1]


def body(message: dict[str, Any]) -> str:
    return str(message.get("caption") or message.get("text"))


async def press(fake: FakeBotApi, message: dict[str, Any], label: str, method: str) -> None:
    data = dict(buttons(message))[label]
    mid = message["message_id"]
    await after(fake, method, lambda: fake.press_button(PRIVATE, ADA, mid, data))


async def next_card(fake: FakeBotApi, shown: dict[str, Any]) -> dict[str, Any]:
    """The card message once it is another than `shown` (the next card arrived)."""
    for _ in range(250):
        message = card_message(fake)
        if message["message_id"] != shown["message_id"]:
            return message
        await asyncio.sleep(0.02)
    raise AssertionError("the next card did not come")


async def test_a_review_shows_the_picture_hides_the_deletion_and_reveals_it(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    services.library.media = MediaFolder(tmp_path / "media")
    chat_id = await core_chat_id(services, PRIVATE)
    summary = await services.library.import_deck(
        fixture("anki-image-cloze.apkg"), "Bones", chat_id, "bones.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    seen = []
    async with running(fake, services):
        await after(fake, "sendPhoto", lambda: fake.push_command(PRIVATE, ADA, "review"))
        question = card_message(fake)
        for _ in BONES:
            asking = body(question).split("\n\n")[1]
            words, with_picture = BONES[asking]
            assert ("photo" in question) is with_picture and "[image" not in body(question)
            reveal = "editMessageCaption" if with_picture else "sendPhoto"
            await press(fake, question, texts.SHOW_ANSWER, reveal)
            answer = card_message(fake)
            assert words in body(answer) and "photo" in answer
            if with_picture:  # the same photo, its caption edited
                assert answer["message_id"] == question["message_id"]
                assert answer["photo"][-1]["file_id"] == question["photo"][-1]["file_id"]
            else:  # the picture was the deletion: a new photo, the text loses its button
                assert buttons(fake.state.message(PRIVATE.id, question["message_id"])) == []
            seen.append(asking)
            await press(fake, answer, "4", "answerCallbackQuery")
            if len(seen) < len(BONES):
                question = await next_card(fake, answer)
    assert sorted(seen) == sorted(BONES)
    assert len(fake.state.uploads) == 3  # leg.png twice: once uploaded, then by its file_id
    assert fake.violations == []
