"""CSV/TSV documents imported as decks through the real Application and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from adapters.telegram import texts as tg_texts
from adapters.telegram.app import AnyApplication
from core.decks.csv_import import MAX_IMPORT_BYTES
from tests.conftest import Services
from tests.telegram.chat_harness import (
    ADA,
    BOB,
    GROUP,
    PRIVATE,
    after,
    core_chat_id,
    running,
    table_counts,
)
from tests.telegram.fake_bot_api import FakeBotApi


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    async with running(fake_bot_api, services) as app:
        yield app


async def test_a_csv_file_becomes_a_deck_of_the_chat(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    data = b"question,answer\nhola,hello\nadios,goodbye\nhola,hello\n"
    await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "Spanish words.csv", data)
    )
    [reply] = fake.sent_messages(PRIVATE.id)
    lines = reply["text"].split("\n\n")
    assert lines[0] == "Imported 2 cards into “Spanish words”."
    assert len(lines) == 2 and "Spanish words" in lines[1]  # the repeated row's warning
    assert len(fake.calls_to("getFile")) == 1
    visible = await services.library.visible(await core_chat_id(services, PRIVATE))
    [deck] = [deck for deck in visible if deck.name == "Spanish words"]
    assert deck.card_count == 2


async def test_a_tsv_file_imports_too(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    data = b"gato\tcat\nperro\tdog\npez\tfish\n"
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "animals.TSV", data)
    )
    assert params["text"] == "Imported 3 cards into “animals”."


async def test_an_oversized_file_is_refused_before_download(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    before = table_counts(services)
    data = b"q,a\n" + b"x" * MAX_IMPORT_BYTES
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "huge.csv", data)
    )
    assert params["text"] == "That file is 5.0 MB; decks can be at most 5 MB."
    assert fake.calls_to("getFile") == []
    assert table_counts(services) == before


async def test_a_bad_file_stores_nothing_and_says_why(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    before = table_counts(services)
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "empty.csv", b"\n\n")
    )
    assert params["text"] == "empty: the file has no cards"
    assert table_counts(services) == before


async def test_in_a_group_only_admins_import(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [ADA])
    before = table_counts(services)
    data = b"hola,hello\n"
    refused = await after(
        fake, "sendMessage", lambda: fake.push_document(GROUP, BOB, "Spanish.csv", data)
    )
    assert refused["text"] == "Only the group's admins can import decks here."
    assert fake.calls_to("getFile") == []
    assert table_counts(services) == before
    done = await after(
        fake, "sendMessage", lambda: fake.push_document(GROUP, ADA, "Spanish.csv", data)
    )
    assert done["text"] == "Imported 1 card into “Spanish”."
    visible = await services.library.visible(await core_chat_id(services, GROUP))
    assert "Spanish" in [deck.name for deck in visible]


async def test_other_documents_in_private_get_a_hint(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication
) -> None:
    fake = fake_bot_api
    params = await after(
        fake, "sendMessage", lambda: fake.push_document(PRIVATE, ADA, "notes.pdf", b"%PDF")
    )
    assert params["text"] == tg_texts.IMPORT_HINT
    assert fake.calls_to("getFile") == []
