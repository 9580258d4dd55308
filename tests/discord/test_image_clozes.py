"""Clozes over pictures in a review through the real discord.py stack (issue 13), from a package
Anki wrote (`anki-image-cloze.apkg`): the picture is attached to the question and the deletion
reads [...]; the press edits the message to the answer, which reveals it; a picture the cloze
itself hid is attached only to the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.media.folder import MediaFolder
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, core_chat_id, running

# Each question's words, the answer's, and the question's attachments.
BONES = {
    "[...] is the bone shown": ("Femur is the bone shown", ["1-leg.png"]),
    "The kneecap looks like [...]": ("The kneecap looks like", []),
    "[...] the shin bone": ("Tibia the shin bone", ["1-leg.png"]),
    "[...], upper arm": ("Humerus, upper arm", ["1-arm.png"]),
}


def content(message: dict[str, Any]) -> str:
    return str(message["content"]).replace("\\", "")  # markdown escapes removed


def attached(message: dict[str, Any]) -> list[str]:
    return [a["filename"] for a in message["attachments"]]


async def test_a_review_attaches_the_picture_hides_the_deletion_and_reveals_it(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    fake = fake_discord
    services.library.media = MediaFolder(tmp_path / "media")
    chat_id = await core_chat_id(services, GENERAL)
    summary = await services.library.import_deck(
        fixture("anki-image-cloze.apkg"), "Bones", chat_id, "bones.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    seen = []
    async with running(fake, services):
        question = await fake.response(await fake.slash(ADA, "review", GENERAL))
        for _ in BONES:
            asking = next(q for q in BONES if f"**{q}**" in content(question))
            words, pictures = BONES[asking]
            assert attached(question) == pictures and "[image" not in content(question)
            show = dict(buttons(question))[texts.SHOW_ANSWER]
            answer = await fake.response(await fake.press(ADA, int(question["id"]), show))
            assert answer["id"] == question["id"] and words in content(answer)
            # The question's picture stays; the one the cloze hid comes with the answer.
            assert attached(answer) == (pictures or ["1-knee.png"])
            seen.append(asking)
            rate = await fake.press(ADA, int(answer["id"]), dict(buttons(answer))["4"])
            assert "Rated 4/5" in content(await fake.response(rate))
            if len(seen) < len(BONES):
                [question] = await fake.followups(rate, 1)
    assert sorted(seen) == sorted(BONES)
    assert fake.violations == []
