"""Group quizzes with pictures and formulas through the real python-telegram-bot stack (issue 13):
everyone sees a card's pictures and its drawn formulas above the question; what only the answer
has (its pictures, sounds and formulas, a picture a cloze hid) follows the reveal, the buttons
staying on the message everyone presses; each file goes up once, then by its file_id, within
a group's 20 messages a minute (an album counting as its pictures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.media.folder import MediaFolder
from adapters.telegram import quiz_handlers
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.telegram.chat_harness import ADA, GROUP, after, buttons, core_chat_id, running
from tests.telegram.fake_bot_api import FakeBotApi

NESTED = rb"What is \(\frac{\frac{1}{2}}{3}\)?"
ANSWER = rb"\(\frac{1}{6}\), not \(\frac{1}{\frac{2}{3}}\)"
FORMULA_DECK = b'question,answer\n"' + NESTED + b'","' + ANSWER + b'"\n'
RATINGS = [*texts.RATING_LABELS.values(), texts.QUIZ_NEXT]
# anki-image-cloze.apkg: each question (its picture's marker gone) and its answer's words.
BONES = {
    "[...] is the bone shown": "Femur is the bone shown",
    "The kneecap looks like [...]": "The kneecap looks like",
    "[...] the shin bone": "Tibia the shin bone",
    "[...], upper arm": "Humerus, upper arm",
}


@pytest.fixture(autouse=True)
def quick_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiz_handlers, "RATED_REFRESH_SECONDS", 0.2)


async def use_deck(services: Services, data: bytes, file_name: str, media: Path) -> None:
    services.library.media = MediaFolder(media)
    chat_id = await core_chat_id(services, GROUP)
    summary = await services.library.import_deck(data, "Deck", chat_id, file_name, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


def calls_since(fake: FakeBotApi, start: int) -> list[str]:
    """The messages the bot sent or edited in the group since call number `start`."""
    return [
        c.method
        for c in fake.calls[start:]
        if c.params.get("chat_id") == GROUP.id and c.method.startswith(("send", "edit"))
    ]


def card_message(fake: FakeBotApi) -> dict[str, Any]:
    """The quiz's message with the buttons (the question, later its answer)."""
    return [m for m in fake.sent_messages(GROUP.id) if "reply_markup" in m][-1]


async def press(fake: FakeBotApi, message: dict[str, Any], label: str, method: str) -> None:
    data = dict(buttons(message))[label]
    mid = message["message_id"]
    await after(fake, method, lambda: fake.press_button(GROUP, ADA, mid, data))


async def test_a_formula_is_a_picture_above_the_question_and_the_answers_follows_the_reveal(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    await use_deck(services, FORMULA_DECK, "maths.csv", tmp_path / "media")
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "quiz", "1 30"))
        assert calls_since(fake, 0)[-2:] == ["sendPhoto", "sendMessage"]
        picture, question = fake.sent_messages(GROUP.id)
        assert "photo" in picture and "reply_markup" not in picture
        assert "What is" in question["text"] and "frac" not in question["text"]
        assert "entities" not in question or all(
            e["type"] != "code" for e in question["entities"]
        )  # drawn, not shown as its source
        asked = fake.calls_to("sendPhoto")[0].files["photo"].content
        assert asked.startswith(b"\x89PNG\r\n\x1a\n")

        before = len(fake.calls)
        await press(fake, question, texts.SHOW_ANSWER, "sendPhoto")
        assert calls_since(fake, before) == ["editMessageText", "sendPhoto"]
        answer = fake.state.message(GROUP.id, question["message_id"])
        assert "1/6, not" in answer["text"] and "frac" not in answer["text"]
        assert [label for label, _ in buttons(answer)] == RATINGS  # on the message pressed
        answered = fake.calls_to("sendPhoto")[1].files["photo"].content
        assert answered.startswith(b"\x89PNG") and answered != asked  # the answer's own formula
        assert "reply_markup" not in fake.sent_messages(GROUP.id)[-1]
    assert fake.violations == []


async def test_a_picture_only_the_answer_has_follows_the_reveal_and_each_goes_up_once(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    flood = fake.enforce_flood_limits()  # Telegram's 20 messages a minute in a group
    await use_deck(services, fixture("anki-image-cloze.apkg"), "bones.apkg", tmp_path / "media")
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "quiz", "4 30"))
        seen: dict[str, tuple[list[str], list[str]]] = {}  # question → (asked, revealed)
        asked = calls_since(fake, 0)
        for _ in range(4):
            question = card_message(fake)
            assert "[image" not in question["text"]
            before = len(fake.calls)
            kneecap = "kneecap" in question["text"]  # the cloze hides its picture
            await press(
                fake, question, texts.SHOW_ANSWER, "sendPhoto" if kneecap else "editMessageText"
            )
            answer = fake.state.message(GROUP.id, question["message_id"])
            asking = question["text"].split("\n\n")[1]
            assert BONES[asking] in answer["text"]  # the deletion revealed
            assert [label for label, _ in buttons(answer)] == RATINGS
            seen[asking] = (asked, calls_since(fake, before))
            before = len(fake.calls)
            await press(fake, answer, texts.QUIZ_NEXT, "sendMessage")
            closed, *asked = calls_since(fake, before)
            assert closed == "editMessageReplyMarkup"
        assert "Quiz finished" in fake.sent_messages(GROUP.id)[-1]["text"]
    assert sorted(seen) == sorted(BONES)

    assert seen["The kneecap looks like [...]"] == (
        ["sendMessage"],
        ["editMessageText", "sendPhoto"],
    )
    for question, (asked, revealed) in seen.items():
        if "kneecap" not in question:
            assert asked == ["sendPhoto", "sendMessage"], question  # its picture above it
            assert revealed == ["editMessageText"], question  # nothing new: nothing sent
    # leg.png shows on two cards: uploaded once, then sent by its file_id.
    assert len(fake.state.uploads) == 3 and len(fake.calls_to("sendPhoto")) == 4
    # Per card its picture, its question, the reveal's edit and the closing edit; the kneecap's
    # picture comes with its reveal instead; then the summary.
    assert flood.accepted == 3 * 4 + (1 + 1 + 1 + 1) + 1 and flood.refusals == []
    assert fake.violations == []


async def test_a_sound_only_the_answer_has_is_played_after_the_reveal(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    await use_deck(services, fixture("anki-media.apkg"), "anatomy.apkg", tmp_path / "media")
    # anki-media.apkg: what each card's reveal sends besides the edit (its answer's sound).
    reveals = {
        "Which organ?": [],
        "Say hello": ["sendAudio"],  # hola.mp3
        "Left and right": [],
        "pumps [...]": ["sendAudio"],  # lub.wav, in the cloze's Back Extra
    }
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "quiz", "4 30"))
        seen = []
        for _ in reveals:
            question = card_message(fake)
            asking = next(q for q in reveals if q in question["text"])
            before = len(fake.calls)
            method = reveals[asking][-1] if reveals[asking] else "editMessageText"
            await press(fake, question, texts.SHOW_ANSWER, method)
            assert calls_since(fake, before) == ["editMessageText", *reveals[asking]], asking
            answer = card_message(fake)
            assert answer["message_id"] == question["message_id"] and "[sound" not in answer["text"]
            seen.append(asking)
            await press(fake, answer, texts.QUIZ_NEXT, "sendMessage")
    assert sorted(seen) == sorted(reveals)
    played = sorted(call.files["audio"].filename for call in fake.calls_to("sendAudio"))
    assert played == ["hola.mp3", "lub.wav"]  # each once, uploaded
    assert fake.violations == []
