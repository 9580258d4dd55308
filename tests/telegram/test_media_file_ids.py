"""A card's picture goes up to Telegram once per bot (issue 13): the file_id Telegram gave the
upload is kept in the store under the bot, so a restarted bot (or another worker) sends it by
that id; an id Telegram refuses is replaced by a new upload's."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from adapters.media.folder import MediaFolder
from adapters.storage.sqlite.store import SqliteStore
from core import texts
from core.permissions import OPERATOR
from core.review.service import ReviewService
from tests.conftest import Services, services_on
from tests.decks.samples import fixture
from tests.fakes import FakeClock, SeededRandomness
from tests.telegram.chat_harness import after, buttons, core_chat_id, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(501, "Ada", "ada")
CHAT = TgChat(501)


async def use_media_deck(services: Services, media: Path) -> None:
    services.library.media = MediaFolder(media)
    chat_id = await core_chat_id(services, CHAT)
    summary = await services.library.import_deck(
        fixture("anki-media.apkg"), "Anatomy", chat_id, "a.apkg", role=OPERATOR
    )
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)


def uploads_of(fake: FakeBotApi, data: bytes) -> int:
    """How many multipart uploads carried these bytes."""
    digest = hashlib.sha256(data).digest()
    return sum(hashlib.sha256(upload.content).digest() == digest for upload in fake.uploads)


async def kept_file_ids(services: Services, fake: FakeBotApi) -> dict[str, str]:
    """The file_ids the store keeps for this bot's uploads of the media deck's files."""
    chat_id = await core_chat_id(services, CHAT)
    [deck] = [d for d in await services.library.visible(chat_id) if d.name == "Anatomy"]
    media = await services.library.deck_media(deck.id)
    async with services.store.unit_of_work() as uow:
        return await uow.uploaded_files.file_ids(
            f"telegram:{fake.bot_user.id}", [ref.content_id for ref in media.values()]
        )


async def test_a_picture_is_uploaded_once_per_bot_across_a_restart(
    fake_bot_api: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    fake = fake_bot_api
    database = tmp_path / "quizbot.db"
    first_run = await SqliteStore.open(database)
    try:
        services = await services_on(first_run, clock)
        await use_media_deck(services, tmp_path / "media")
        async with running(fake, services):
            await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
    finally:
        await first_run.close()
    [first] = fake.calls_to("sendPhoto")
    heart = first.files["photo"].content
    [question] = fake.sent_messages(CHAT.id)
    file_id = question["photo"][-1]["file_id"]

    # A new process on the same database file: nothing in memory, the id in the store.
    second_run = await SqliteStore.open(database)
    try:
        services = await services_on(second_run, clock)
        # Another process draws other ids (the same seed would redraw the first run's session id).
        services.reviews = ReviewService(second_run, clock, SeededRandomness(8))
        services.library.media = MediaFolder(tmp_path / "media")
        async with running(fake, services):
            again = await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
        kept = await kept_file_ids(services, fake)
    finally:
        await second_run.close()
    assert again["photo"] == file_id and fake.calls_to("sendPhoto")[-1].files == {}
    assert "Which organ?" in again["caption"] and "reply_markup" in again
    assert uploads_of(fake, heart) == 1
    assert kept == {hashlib.sha256(heart).hexdigest(): file_id}
    assert fake.violations == []


@pytest.mark.parametrize("refusal", ["forgotten", "expired"])
async def test_a_refused_file_id_is_uploaded_again_and_replaced(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path, refusal: str
) -> None:
    fake = fake_bot_api
    await use_media_deck(services, tmp_path / "media")
    async with running(fake, services):
        await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
        heart = fake.calls_to("sendPhoto")[0].files["photo"].content
        [old_id] = (await kept_file_ids(services, fake)).values()
        if refusal == "forgotten":  # Telegram answers "wrong file identifier/HTTP URL specified"
            fake.refuse_file_ids(old_id)
        else:
            fake.fail_next("sendPhoto", 400, "Bad Request: FILE_REFERENCE_EXPIRED")

        # Refused by id, then uploaded again: the learner gets the card all the same.
        before = len(fake.calls_to("sendPhoto"))
        fake.push_command(CHAT, ADA, "review")
        refused, uploaded = (await fake.wait_for("sendPhoto", before + 2))[before:]
        assert refused.params["photo"] == old_id and refused.files == {}
        assert uploaded.files["photo"].content == heart
        question = fake.sent_messages(CHAT.id)[-1]
        assert "Which organ?" in question["caption"] and buttons(question)
        new_id = question["photo"][-1]["file_id"]
        assert new_id != old_id and list((await kept_file_ids(services, fake)).values()) == [new_id]

        # And the new id is what the next showing uses.
        again = await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
        assert again["photo"] == new_id
    assert uploads_of(fake, heart) == 2
    assert fake.violations == []


async def test_an_album_with_a_refused_file_id_goes_up_again_whole(
    fake_bot_api: FakeBotApi, services: Services, tmp_path: Path
) -> None:
    fake = fake_bot_api
    await use_media_deck(services, tmp_path / "media")
    async with running(fake, services):
        await after(fake, "sendPhoto", lambda: fake.push_command(CHAT, ADA, "review"))
        await _rate_until_the_album(fake)
        [album] = fake.calls_to("sendMediaGroup")
        lungs = [item["media"].content for item in album.params["media"]]
        ids = await kept_file_ids(services, fake)
        left_id = ids[hashlib.sha256(lungs[0]).hexdigest()]
        fake.refuse_file_ids(left_id)

        # /review again shows the unrated lungs card: its album by ids, refused, then uploaded.
        albums, texts_sent = len(fake.calls_to("sendMediaGroup")), len(fake.calls_to("sendMessage"))
        fake.push_command(CHAT, ADA, "review")
        refused, uploaded = (await fake.wait_for("sendMediaGroup", albums + 2))[albums:]
        assert refused.params["media"][0]["media"] == left_id
        assert [item["media"].content for item in uploaded.params["media"]] == lungs
        await fake.wait_for("sendMessage", texts_sent + 1)
        assert fake.sent_messages(CHAT.id)[-1]["text"].endswith("Left and right")
        assert left_id not in (await kept_file_ids(services, fake)).values()
    assert [uploads_of(fake, picture) for picture in lungs] == [2, 2]
    assert fake.violations == []


async def _rate_until_the_album(fake: FakeBotApi) -> None:
    """The heart revealed and rated, "Say hello" revealed and rated: the lungs' album follows."""
    steps = [
        (texts.SHOW_ANSWER, "editMessageCaption"),
        ("4", "sendMessage"),
        (texts.SHOW_ANSWER, "editMessageText"),
        ("4", "sendMediaGroup"),
    ]
    for label, method in steps:
        current = [m for m in fake.sent_messages(CHAT.id) if buttons(m)][-1]
        await after(fake, method, partial(_press, fake, current, label))


def _press(fake: FakeBotApi, message: dict[str, Any], label: str) -> None:
    fake.press_button(CHAT, ADA, message["message_id"], dict(buttons(message))[label])
