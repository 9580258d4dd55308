"""Deck files of every format uploaded in a chat go through the same importer as the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from adapters.telegram.app import AnyApplication
from core import texts
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.telegram.chat_harness import ADA, PRIVATE, after, core_chat_id, running, table_counts
from tests.telegram.fake_bot_api import FakeBotApi


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    async with running(fake_bot_api, services) as app:
        yield app


async def _cards_of(services: Services, name: str) -> int:
    visible = await services.library.visible(await core_chat_id(services, PRIVATE))
    [deck] = [deck for deck in visible if deck.name == name]
    return deck.card_count


async def test_an_anki_package_becomes_a_deck_and_names_its_missing_media(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    data = fixture("anki-current.apkg")
    await after(
        fake,
        "sendMessage",
        lambda: fake.push_document(PRIVATE, ADA, "Biology.apkg", data, "application/zip"),
    )
    [reply] = fake.sent_messages(PRIVATE.id)
    assert reply["text"].split("\n\n") == [
        "Imported 7 cards into “Biology”.",
        "Biology: the cards refer to 2 media files the package lacks: cat.png, meow.mp3",
    ]
    assert await _cards_of(services, "Biology") == 7


async def test_markdown_and_json_files_import_too(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    markdown = b"# Spanish\n\n## hola\nhello\n\n## adios\ngoodbye\n"
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "Spanish.md", markdown)
    )
    assert params["text"] == "Imported 2 cards into “Spanish”."
    json = b'[{"question": "gato", "answer": "cat"}]'
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "Animals.JSON", json)
    )
    assert params["text"] == "Imported 1 card into “Animals”."


async def test_a_damaged_package_stores_nothing_and_says_why(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    before = table_counts(services)
    data = fixture("anki-legacy.apkg")[:30_000]
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "Broken.apkg", data)
    )
    assert params["text"] == "Broken: the package is not a readable zip archive"
    assert table_counts(services) == before


async def test_packages_may_be_larger_than_text_files_but_not_unlimited(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    huge = bytes(20 * 1024 * 1024 + 1)
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "huge.apkg", huge)
    )
    assert params["text"] == texts.file_too_big(len(huge), 20 * 1024 * 1024)
    assert "20 MB" in params["text"]
    assert fake.calls_to("getFile") == []
