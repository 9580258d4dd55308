"""Cards with pictures and sounds through the real discord.py stack (issue 13): the card's files
are attached to the message with the buttons (Discord shows pictures inline and sounds as
players), and a press edits that message in place with the new screen's files, keeping those it
has (uploaded once). Files beyond Discord's limits are named in the message instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.discord.render import escape
from adapters.media.folder import MediaFolder
from core import texts
from core.decks.media import MediaRef
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, core_chat_id, running, use_deck

MIB = 1024 * 1024


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
        files = list(fake_discord.messages[int(question["id"])]["files"].values())

        # The reveal and the rated count edit the card: its attachments stay, uploaded once.
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        await fake_discord.response(
            await fake_discord.press(ADA, int(answer["id"]), dict(buttons(answer))["4"])
        )
        await fake_discord.wait_until(
            lambda: "1 rated so far" in _text(fake_discord.messages[int(question["id"])])
        )
        card = fake_discord.messages[int(question["id"])]
        assert card["attachments"] == question["attachments"]
        assert [fake_discord.uploads_of(data) for data in files] == [1] * len(files)
    assert fake_discord.violations == []


def _text(message: dict[str, Any]) -> str:
    return "\n".join(e.get("description") or "" for e in message["embeds"])


async def test_a_reveal_and_a_rating_upload_the_cards_picture_once(
    fake_discord: FakeDiscord, services: Services, tmp_path: Path
) -> None:
    await use_media_deck(services, tmp_path)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        [heart] = fake_discord.messages[int(question["id"])]["files"].values()
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        rating = await fake_discord.press(ADA, int(answer["id"]), dict(buttons(answer))["4"])
        await fake_discord.followups(rating, 1)
        rated = fake_discord.messages[int(question["id"])]
        assert "Rated 4/5" in rated["content"] and "The heart" in rated["content"]
        # The same attachment all along: kept by id on each edit, never uploaded again.
        assert [a["id"] for a in answer["attachments"]] == [
            a["id"] for a in question["attachments"]
        ]
        assert rated["attachments"] == question["attachments"]
        assert list(rated["files"].values()) == [heart]
    assert fake_discord.uploads_of(heart) == 1
    assert fake_discord.violations == []


async def picture_card(services: Services, tmp_path: Path, sizes: dict[str, int]) -> None:
    """One card naming pictures of these sizes; put in the media store directly, as a store
    whose files came from elsewhere than a size-capped import could hold them."""
    folder = services.library.media = MediaFolder(tmp_path / "media")
    markers = " ".join(f"[image: {name}]" for name in sizes)
    deck_id = await use_deck(
        services, GENERAL, f"question,answer\n{markers} Which?,That\n".encode()
    )
    refs = [
        MediaRef(
            name,
            folder.put((b"\x89PNG\r\n\x1a\n" + name.encode() * size)[:size]),
            "image/png",
        )
        for name, size in sizes.items()
    ]
    async with services.store.unit_of_work() as uow:
        uow.decks.save_media(deck_id, refs)
        await uow.commit()


@pytest.mark.parametrize(
    ("sizes", "attached", "notes"),
    [
        (  # one file over the 10 MiB of a server without boosts; three over 25 MiB together
            {
                "leg.png": 12 * MIB + 400 * 1024,
                "a.png": 9 * MIB,
                "b.png": 9 * MIB,
                "c.png": 9 * MIB,
            },
            ["2-a.png", "3-b.png"],
            [
                "🖼 leg.png is too large to show on Discord (12.4 MB).",
                "🖼 c.png (9.0 MB) did not fit in this message: Discord takes 10 files and 25 MB"
                " at most.",
            ],
        ),
        (  # twelve small pictures: ten attachments a message
            {f"p{n}.png": 1024 for n in range(1, 13)},
            [f"{n}-p{n}.png" for n in range(1, 11)],
            [
                f"🖼 p{n}.png (0.0 MB) did not fit in this message: Discord takes 10 files and"
                " 25 MB at most."
                for n in (11, 12)
            ],
        ),
    ],
)
async def test_files_beyond_discords_limits_are_named_and_the_rest_sent(
    fake_discord: FakeDiscord,
    services: Services,
    tmp_path: Path,
    sizes: dict[str, int],
    attached: list[str],
    notes: list[str],
) -> None:
    await picture_card(services, tmp_path, sizes)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        assert [a["filename"] for a in question["attachments"]] == attached
        # Each left-out file named in a muted line (markdown-escaped, as all card text is).
        lines = question["content"].split("\n")
        assert [line for line in lines if "🖼" in line] == [f"-# {escape(n)}" for n in notes]
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        assert [a["filename"] for a in answer["attachments"]] == attached
        assert "That" in answer["content"]
    assert fake_discord.violations == []


def _sent(fake: FakeDiscord) -> list[dict[str, object]]:
    return fake.messages_in(GENERAL)
