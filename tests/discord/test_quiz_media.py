"""Group quizzes with pictures and formulas through the real discord.py stack (issue 13): a
card's pictures and drawn formulas are attached to its question, for everyone; a reveal that
brings files the question lacked (the answer's own, a picture a cloze hid) attaches the answer's
files to the card message, on a press and on the deadline alike; one that brings none keeps the
question's attachments without uploading them again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.discord.quiz_handlers import deadline_name
from adapters.media.folder import MediaFolder
from adapters.scheduling import BotScheduler
from core import texts
from core.actions import parse_token
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, core_chat_id, eventually, running

EPHEMERAL = 64
NESTED = rb"What is \(\frac{\frac{1}{2}}{3}\)?"
ANSWER = rb"\(\frac{1}{6}\), not \(\frac{1}{\frac{2}{3}}\)"
FORMULA_DECK = b'question,answer\n"' + NESTED + b'","' + ANSWER + b'"\n'
# anki-image-cloze.apkg: each question's words, the answer's, and the question's picture.
BONES = {
    "[...] is the bone shown": ("Femur is the bone shown", ["1-leg.png"]),
    "The kneecap looks like [...]": ("The kneecap looks like", []),
    "[...] the shin bone": ("Tibia the shin bone", ["1-leg.png"]),
    "[...], upper arm": ("Humerus, upper arm", ["1-arm.png"]),
}


async def use_deck(services: Services, data: bytes, file_name: str, media: Path) -> None:
    services.library.media = MediaFolder(media)
    chat_id = await core_chat_id(services, GENERAL)
    summary = await services.library.import_deck(data, "Deck", chat_id, file_name, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


def quiz_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    return [m for m in fake.messages_in(GENERAL) if m["embeds"] and not m["flags"] & EPHEMERAL]


def text_of(message: dict[str, Any]) -> str:
    """The embeds' text, markdown escapes removed."""
    parts = [(e.get("title") or "") + (e.get("description") or "") for e in message["embeds"]]
    return "\n".join(parts).replace("\\", "")


def attached(message: dict[str, Any]) -> list[str]:
    return [a["filename"] for a in message["attachments"]]


def uploads(fake: FakeDiscord) -> int:
    return sum(len(sent.files) for sent in fake.sent)


def posted(fake: FakeDiscord, count: int) -> Callable[[], bool]:
    """A condition: the quiz has posted `count` messages (cards, then the summary)."""
    return lambda: len(quiz_messages(fake)) == count


async def start(fake: FakeDiscord, cards: int) -> dict[str, Any]:
    await fake.response(await fake.slash(ADA, "quiz start", GENERAL, cards=cards, seconds=30))
    await fake.wait_until(lambda: bool(quiz_messages(fake)))
    return quiz_messages(fake)[-1]


async def test_formulas_are_attached_to_the_question_and_the_answers_come_on_the_deadline(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_deck(services, FORMULA_DECK, "maths.csv", tmp_path / "media")
    scheduler = BotScheduler(services.clock)
    async with running(fake_discord, services, deadlines=scheduler):
        question = await start(fake_discord, cards=1)
        assert "What is" in text_of(question) and "frac" not in text_of(question)
        assert attached(question) == ["1-formula-1.png"]
        [asked] = fake_discord.messages[int(question["id"])]["files"].values()
        assert asked.startswith(b"\x89PNG\r\n\x1a\n")
        name = deadline_name(parse_token(buttons(question)[0][1]).subject_id)
        await eventually(lambda: scheduler.pending() == [name])

        services.clock.advance(seconds=30)  # nobody shows it: the deadline edits the message
        assert await scheduler.run_deadline_now(name)
        answer = fake_discord.messages[int(question["id"])]
        assert "1/6, not" in text_of(answer) and "frac" not in text_of(answer)
        assert attached(answer) == ["1-formula-1.png", "2-formula-2.png"]
        first, second = answer["files"].values()
        assert first == asked and second.startswith(b"\x89PNG") and second != asked
        assert fake_discord.uploads_of(asked) == 1  # the question's stays, not sent again
        labels = [label for label, _ in buttons(answer)]
        assert labels == [*texts.RATING_LABELS.values(), texts.QUIZ_NEXT]
    assert fake_discord.violations == []


async def test_a_picture_a_cloze_hid_is_attached_on_the_reveal_and_others_stay(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_deck(services, fixture("anki-image-cloze.apkg"), "bones.apkg", tmp_path / "media")
    async with running(fake_discord, services):
        question = await start(fake_discord, cards=4)
        seen = []
        for number in range(1, 5):
            asking = next(q for q in BONES if q in text_of(question))
            words, pictures = BONES[asking]
            assert "[image" not in text_of(question) and attached(question) == pictures
            before = uploads(fake_discord)
            show = dict(buttons(question))[texts.SHOW_ANSWER]
            reveal = await fake_discord.press(ADA, int(question["id"]), show)
            answer = await fake_discord.response(reveal)
            assert reveal.acks == [7] and answer["id"] == question["id"]
            assert words in text_of(answer)
            if "kneecap" in asking:  # the cloze hid the picture: it comes with the answer
                assert attached(answer) == ["1-knee.png"]
                assert uploads(fake_discord) == before + 1
            else:  # the question's picture stays, not uploaded again
                assert attached(answer) == pictures and uploads(fake_discord) == before
            seen.append(asking)
            next_card = dict(buttons(answer))[texts.QUIZ_NEXT]
            await fake_discord.response(await fake_discord.press(ADA, int(answer["id"]), next_card))
            await fake_discord.wait_until(posted(fake_discord, number + 1))  # next or summary
            question = quiz_messages(fake_discord)[-1]
        assert "Quiz finished" in text_of(question)
    assert sorted(seen) == sorted(BONES)
    assert fake_discord.violations == []


async def test_a_sound_only_the_answer_has_is_attached_on_the_reveal(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_deck(services, fixture("anki-media.apkg"), "anatomy.apkg", tmp_path / "media")
    # anki-media.apkg: each card's files on its question, then on its answer.
    files = {
        "Which organ?": (["1-heart.png"], ["1-heart.png"]),
        "Say hello": ([], ["1-hola.mp3"]),
        "Left and right": (["1-left.png", "2-right.png"], ["1-left.png", "2-right.png"]),
        "pumps [...]": (["1-heart.png"], ["1-heart.png", "2-lub.wav"]),  # Back Extra's sound
    }
    async with running(fake_discord, services):
        question = await start(fake_discord, cards=4)
        seen = []
        for number in range(1, 5):
            asking = next(q for q in files if q in text_of(question))
            assert attached(question) == files[asking][0], asking
            before = uploads(fake_discord)
            show = dict(buttons(question))[texts.SHOW_ANSWER]
            answer = await fake_discord.response(
                await fake_discord.press(ADA, int(question["id"]), show)
            )
            assert attached(answer) == files[asking][1], asking
            if asking == "pumps [...]":  # the sound goes up; the heart on the message stays
                assert uploads(fake_discord) == before + 1
                assert answer["attachments"][0] == question["attachments"][0]
            seen.append(asking)
            next_card = dict(buttons(answer))[texts.QUIZ_NEXT]
            await fake_discord.response(await fake_discord.press(ADA, int(answer["id"]), next_card))
            await fake_discord.wait_until(posted(fake_discord, number + 1))
            question = quiz_messages(fake_discord)[-1]
    assert sorted(seen) == sorted(files)
    assert fake_discord.violations == []
