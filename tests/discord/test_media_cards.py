"""Cards with pictures and sounds through the real discord.py stack (issue 13): the card's files
are attached to the message with the buttons (Discord shows pictures inline and sounds as
players), and a press edits that message in place with the new screen's files."""

from __future__ import annotations

from pathlib import Path

from adapters.media.folder import MediaFolder
from core import texts
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, core_chat_id, running


async def use_media_deck(services: Services, tmp_path: Path) -> None:
    services.library.media = MediaFolder(tmp_path / "media")
    chat_id = await core_chat_id(services, GENERAL)
    summary = await services.library.import_deck(
        fixture("anki-media.apkg"), "Anatomy", chat_id, "a.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


async def test_a_cards_pictures_and_sounds_are_attached_to_the_message_rated(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_media_deck(services, tmp_path)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        assert question["content"].endswith("**Which organ?**")  # the picture, not its name
        assert [a["filename"] for a in question["attachments"]] == ["1-heart.png"]
        [heart] = fake_discord.messages[int(question["id"])]["files"].values()
        assert heart.startswith(b"\x89PNG")

        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        assert answer["id"] == question["id"] and "The heart" in answer["content"]
        assert [a["filename"] for a in answer["attachments"]] == ["1-heart.png"]

        rate = await fake_discord.press(ADA, int(answer["id"]), dict(buttons(answer))["4"])
        [hello] = await fake_discord.followups(rate, 1)
        assert hello["content"].endswith("**Say hello**") and hello["attachments"] == []
        show = dict(buttons(hello))[texts.SHOW_ANSWER]
        said = await fake_discord.response(await fake_discord.press(ADA, int(hello["id"]), show))
        assert [a["filename"] for a in said["attachments"]] == ["1-hola.mp3"]
        assert "[sound" not in said["content"]
        assert [label for label, _ in buttons(said)] == ["1", "2", "3", "4", "5"]
    assert fake_discord.violations == []


async def test_a_group_quiz_attaches_the_cards_pictures_to_its_question(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_media_deck(services, tmp_path)
    async with running(fake_discord, services):
        await fake_discord.response(
            await fake_discord.slash(ADA, "quiz start", GENERAL, cards=4, seconds=30)
        )
        await fake_discord.wait_until(lambda: any(m["embeds"] for m in _sent(fake_discord)))
        [question] = [m for m in _sent(fake_discord) if m["embeds"]]
        text = "\n".join(e.get("description") or "" for e in question["embeds"])
        text += "".join(e.get("title") or "" for e in question["embeds"])
        assert "[image" not in text and "[sound" not in text
        assert question["attachments"], "the card's pictures go with its question"
    assert fake_discord.violations == []


def _sent(fake: FakeDiscord) -> list[dict[str, object]]:
    return fake.messages_in(GENERAL)
