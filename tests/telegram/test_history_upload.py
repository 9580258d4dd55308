"""An uploaded Anki package with review history: after the deck import the bot asks the uploader
by a button whether to add their history; through the real Application and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from adapters.telegram.app import AnyApplication
from bot.run import minutely_tick
from core import texts
from core.errors import StaleAction
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.telegram.chat_harness import ADA, BOB, GROUP, after, buttons, running
from tests.telegram.fake_bot_api import FakeBotApi

AFTER = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def bot_app(fake_bot_api: FakeBotApi, services: Services) -> AsyncIterator[AnyApplication]:
    services.clock.set(AFTER)
    async with running(fake_bot_api, services) as app:
        yield app


def _anki_reviews(services: Services) -> list[tuple[object, ...]]:
    return committed_rows(
        services.store,
        "SELECT l.platform_user_id, count(*) FROM review_log r"
        " JOIN learners l ON l.id = r.learner_id WHERE r.source = 'anki' GROUP BY 1",
    )


async def _upload(fake: FakeBotApi) -> tuple[int, str]:
    fake.set_admins(GROUP.id, [ADA])
    await after(
        fake,
        "sendMessage",
        lambda: fake.push_document(GROUP, ADA, "History.apkg", fixture("anki-history.apkg")),
    )
    await fake.wait_for("sendMessage", count=2)
    done, offer = fake.sent_messages(GROUP.id)
    assert done["text"] == "Imported 5 cards into “History”."
    assert offer["text"] == texts.HISTORY_OFFER
    [(label, token)] = buttons(offer)
    assert label == texts.HISTORY_OFFER_BUTTON
    return offer["message_id"], token


async def test_the_uploader_adds_their_history_by_the_button_once(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    mid, token = await _upload(fake)
    assert _anki_reviews(services) == []  # nothing before the press
    # Another member's press is refused: the history is the uploader's.
    bob = await after(
        fake, "answerCallbackQuery", lambda: fake.press_button(GROUP, BOB, mid, token)
    )
    assert bob["text"] == texts.NOT_MY_BUTTON and bob["show_alert"] is True
    edit = await after(fake, "editMessageText", lambda: fake.press_button(GROUP, ADA, mid, token))
    assert edit["text"] == (
        "Anki history: 5 reviews added (0 already there), 3 card states added (0 already there)."
    )
    assert _anki_reviews(services) == [(str(ADA.id), 5)]
    assert buttons(fake.sent_messages(GROUP.id)[1]) == []
    # The offer is spent: a press that raced the edit adds nothing.
    ada = await services.learner(str(ADA.id), "telegram")
    with pytest.raises(StaleAction):
        await services.library.add_offered_history(ada, token)
    assert _anki_reviews(services) == [(str(ADA.id), 5)]
    assert fake.violations == []


async def test_an_offer_left_for_over_an_hour_has_expired(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    fake = fake_bot_api
    mid, token = await _upload(fake)
    services.clock.advance(hours=1, seconds=1)
    late = await after(
        fake, "answerCallbackQuery", lambda: fake.press_button(GROUP, ADA, mid, token)
    )
    assert late["text"] == texts.HISTORY_OFFER_EXPIRED
    assert _anki_reviews(services) == []


def _offers(services: Services) -> list[tuple[object, ...]]:
    return committed_rows(services.store, "SELECT id FROM history_offers")


async def test_the_minutely_tick_drops_offers_past_their_hour(
    fake_bot_api: FakeBotApi, bot_app: AnyApplication, services: Services
) -> None:
    """The file (up to 20 MB) was kept until the next upload's offer; now the tick drops it."""
    fake = fake_bot_api
    mid, token = await _upload(fake)
    drop = minutely_tick(services.reminders, services.library, [])
    services.clock.advance(minutes=59)
    await drop()
    assert len(_offers(services)) == 1  # still open
    services.clock.advance(minutes=1, seconds=1)
    await drop()
    assert _offers(services) == []
    late = await after(
        fake, "answerCallbackQuery", lambda: fake.press_button(GROUP, ADA, mid, token)
    )
    assert late["text"] == texts.HISTORY_OFFER_EXPIRED  # as before it was dropped
    assert _anki_reviews(services) == []
