"""The Telegram bot on PostgreSQL: a review from /review to the next card through the real
python-telegram-bot stack and the fake Bot API (skipped where no PostgreSQL server answers)."""

from __future__ import annotations

import pytest

from core import texts
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.telegram.chat_harness import running
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_review_flow import CHAT, FIRST_QUESTION, buttons, press, start_review


@pytest.fixture
def services(postgres_services: Services) -> Services:
    return postgres_services


async def test_a_review_is_shown_rated_and_stored(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        question = await start_review(fake)
        assert FIRST_QUESTION in question["text"]
        await press(fake, question, texts.SHOW_ANSWER, "editMessageText")
        await press(fake, fake.sent_messages(CHAT.id)[0], "4", "sendMessage")
    rated, following = fake.sent_messages(CHAT.id)
    assert "Rated 4/5" in rated["text"]
    assert [label for label, _ in buttons(following)] == [texts.SHOW_ANSWER]
    assert committed_rows(services.store, "SELECT rating FROM review_log") == [(4,)]
