"""A 429 from the Bot API is waited out and retried, for every call, with or without throttling.

The fake answers 429 with `retry_after` and counts a retry that comes sooner as a violation (the
fixture fails the test on it), as Telegram would refuse it.
"""

from __future__ import annotations

import pytest

from adapters.telegram.app import RETRIES_AFTER_429
from core import texts
from tests.conftest import Services
from tests.telegram.chat_harness import after, buttons, running_bot
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

FIRST_QUESTION = "What is MNIST an abbreviation of?"
USERS = [TgUser(700 + n, f"Learner {n}") for n in range(5)]


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on the int form of retry_after


@pytest.mark.parametrize("rate_limit", [30.0, 0.0], ids=["throttled", "unthrottled"])
async def test_five_reviews_at_once_all_get_their_card_through_429s(
    fake_bot_api: FakeBotApi, services: Services, rate_limit: float
) -> None:
    fake = fake_bot_api
    async with running_bot(fake, services, rate_limit=rate_limit):
        fake.rate_limit_next("sendMessage", 3, retry_after=1)
        for user in USERS:
            fake.push_command(TgChat(user.id), user, "review")
        await fake.wait_for("sendMessage", count=len(USERS) + 3, timeout=15)
    for user in USERS:
        assert [FIRST_QUESTION in m["text"] for m in fake.sent_messages(user.id)] == [True]
    assert len(fake.calls_to("sendMessage")) == len(USERS) + 3


async def test_a_press_is_answered_and_edited_through_429s(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake, ada = fake_bot_api, USERS[0]
    async with running_bot(fake, services):
        question = await after(
            fake, "sendMessage", lambda: fake.push_command(ada.id, ada, "review")
        )
        [message] = fake.sent_messages(ada.id)
        fake.rate_limit_next("answerCallbackQuery", 1)
        fake.rate_limit_next("editMessageText", 1)
        show = dict(buttons(message))[texts.SHOW_ANSWER]
        fake.press_button(ada.id, ada, message["message_id"], show)
        await fake.wait_for("editMessageText", count=2, timeout=10)
        await fake.wait_for("answerCallbackQuery", count=2, timeout=10)
    [shown] = fake.sent_messages(ada.id)
    assert shown["text"] != question["text"] and FIRST_QUESTION in shown["text"]
    assert not fake.state.open_queries


async def test_the_user_is_told_only_after_the_last_retry(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake, ada = fake_bot_api, USERS[0]
    async with running_bot(fake, services):
        fake.rate_limit_next("sendMessage", RETRIES_AFTER_429 + 1)
        fake.push_command(ada.id, ada, "review")
        calls = await fake.wait_for("sendMessage", count=RETRIES_AFTER_429 + 2, timeout=15)
    *cards, sorry = [call.params["text"] for call in calls]
    assert len(cards) == RETRIES_AFTER_429 + 1 and all(FIRST_QUESTION in c for c in cards)
    assert sorry == texts.SOMETHING_WENT_WRONG
