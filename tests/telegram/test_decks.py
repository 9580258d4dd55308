"""/decks, /deck NAME and deck buttons through the real Application and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from adapters.telegram import texts as tg_texts
from adapters.telegram.app import AnyApplication
from core import texts
from core.actions import deck_token
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.telegram.chat_harness import (
    ADA,
    BOB,
    GROUP,
    PRIVATE,
    after,
    buttons,
    core_chat_id,
    running,
)
from tests.telegram.fake_bot_api import FakeBotApi

CSV = b"question,answer\nhola,hello\nadios,goodbye\n"


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    async with running(fake_bot_api, services) as app:
        yield app


async def test_decks_lists_the_visible_decks_and_a_press_activates_one(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    chat_id = await core_chat_id(services, PRIVATE)
    await services.library.import_deck(CSV, "Spanish", chat_id, role=OPERATOR)
    visible = await services.library.visible(chat_id)
    listing = await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "decks"))
    [shown] = fake.sent_messages(PRIVATE.id)
    assert tg_texts.DECKS_HEADING in listing["text"]
    assert buttons(shown) == [(deck.name, deck_token(deck.id)) for deck in visible]

    spanish = next(deck for deck in visible if deck.name == "Spanish")
    mid = shown["message_id"]
    edited = await after(
        fake,
        "editMessageText",
        lambda: fake.press_button(PRIVATE, ADA, mid, deck_token(spanish.id)),
    )
    assert "Now studying “Spanish”. Send /review to start." in edited["text"]
    [now] = fake.sent_messages(PRIVATE.id)
    labels = [label for label, _ in buttons(now)]
    assert "✓ Spanish" in labels and sum(label.startswith("✓ ") for label in labels) == 1
    assert await services.library.active_deck_ids(chat_id) == [spanish.id]
    # Pressing the active deck again is answered, with no identical (refused) edit.
    again = deck_token(spanish.id)
    await after(fake, "answerCallbackQuery", lambda: fake.press_button(PRIVATE, ADA, mid, again))
    assert len(fake.calls_to("editMessageText")) == 1
    assert not fake.state.open_queries and fake.violations == []


async def test_a_long_deck_id_gets_a_short_token_that_still_works(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    chat_id = await core_chat_id(services, PRIVATE)
    summary = await services.library.import_deck(
        CSV, "A very long deck name " * 4, chat_id, role=OPERATOR
    )
    token = deck_token(summary.deck.id)
    assert len(f"d.{summary.deck.id}".encode()) > 64 and len(token.encode()) <= 64
    await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "decks"))
    mid = fake.sent_messages(PRIVATE.id)[0]["message_id"]
    await after(fake, "editMessageText", lambda: fake.press_button(PRIVATE, ADA, mid, token))
    assert await services.library.active_deck_ids(chat_id) == [summary.deck.id]


async def test_a_press_for_a_deck_of_another_chat_gets_an_alert(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    elsewhere = await services.library.import_deck(
        CSV, "Theirs", await core_chat_id(services, GROUP), role=OPERATOR
    )
    await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "decks"))
    [shown] = fake.sent_messages(PRIVATE.id)
    forged = deck_token(elsewhere.deck.id)
    answer = await after(
        fake,
        "answerCallbackQuery",
        lambda: fake.press_button(PRIVATE, ADA, shown["message_id"], forged, strict=False),
    )
    assert (answer["text"], answer["show_alert"]) == (tg_texts.DECK_NOT_HERE, True)
    assert fake.calls_to("editMessageText") == []
    assert fake.sent_messages(PRIVATE.id) == [shown]
    chat_id = await core_chat_id(services, PRIVATE)
    assert elsewhere.deck.id not in await services.library.active_deck_ids(chat_id)


async def test_deck_by_name_and_an_unknown_name(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    chat_id = await core_chat_id(services, PRIVATE)
    summary = await services.library.import_deck(CSV, "Spanish", chat_id, role=OPERATOR)
    chosen = await after(
        fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "deck", "spanish")
    )
    assert chosen["text"] == "Now studying “Spanish”. Send /review to start."
    assert await services.library.active_deck_ids(chat_id) == [summary.deck.id]
    await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "deck", "Klingon <b>"))
    unknown = fake.sent_messages(PRIVATE.id)[-1]  # as the user sees it: HTML parsed
    assert unknown["text"] == texts.UNKNOWN_DECK.format(name="Klingon <b>")
    usage = await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "deck"))
    assert usage["text"] == tg_texts.DECK_USAGE
    assert await services.library.active_deck_ids(chat_id) == [summary.deck.id]


async def test_in_a_group_only_admins_change_the_deck(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [ADA])
    chat_id = await core_chat_id(services, GROUP)
    summary = await services.library.import_deck(CSV, "Spanish", chat_id, role=OPERATOR)
    before = await services.library.active_deck_ids(chat_id)
    refused = await after(
        fake, "sendMessage", lambda: fake.push_command(GROUP, BOB, "deck", "Spanish")
    )
    assert refused["text"] == "Only the group's admins can change the deck here."
    await after(fake, "sendMessage", lambda: fake.push_command(GROUP, BOB, "decks"))
    listing = fake.sent_messages(GROUP.id)[-1]
    token = deck_token(summary.deck.id)
    answer = await after(
        fake,
        "answerCallbackQuery",
        lambda: fake.press_button(GROUP, BOB, listing["message_id"], token),
    )
    assert (answer["text"], answer["show_alert"]) == (
        "Only the group's admins can change the deck here.",
        True,
    )
    assert await services.library.active_deck_ids(chat_id) == before
    await after(
        fake,
        "editMessageText",
        lambda: fake.press_button(GROUP, ADA, listing["message_id"], token),
    )
    assert await services.library.active_deck_ids(chat_id) == [summary.deck.id]
    assert fake.calls_to("getChatMember")
