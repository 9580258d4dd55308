"""An update python-telegram-bot cannot read is skipped; the bot goes on serving everyone else."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.conftest import Services
from tests.telegram.chat_harness import ADA, BOB, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

FIRST_QUESTION = "What is MNIST an abbreviation of?"
EVE = TgUser(503, "Eve", "eve")


def poll_without_allows_revoting(fake: FakeBotApi) -> dict[str, Any]:
    """A message with a poll as an older self-hosted Bot API server sends it: without Bot API
    9.6's `allows_revoting` and its other new fields, which PTB 22.8 requires."""
    poll = {
        "id": "5001",
        "question": "Lunch?",
        "options": [{"text": "yes", "voter_count": 0}, {"text": "no", "voter_count": 0}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    return fake.state.user_message(TgChat(EVE.id), EVE, poll=poll)


async def test_an_unreadable_update_between_two_good_ones_is_skipped_and_logged_once(
    fake_bot_api: FakeBotApi, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        fake.push_command(TgChat(ADA.id), ADA, "review")
        bad = fake.push_raw_update("message", poll_without_allows_revoting(fake))
        fake.push_command(TgChat(BOB.id), BOB, "review")
        await fake.wait_for("sendMessage", count=2)
        # The next poll confirms every update, the unreadable one too.
        polls = len(fake.calls_to("getUpdates"))
        await fake.wait_for("getUpdates", count=polls + 1)
    for user in (ADA, BOB):
        assert [FIRST_QUESTION in m["text"] for m in fake.sent_messages(user.id)] == [True]
    offsets = [int(call.params.get("offset") or 0) for call in fake.calls_to("getUpdates")]
    assert max(offsets) > bad["update_id"]
    skipped = [r for r in caplog.records if f"update {bad['update_id']}" in r.getMessage()]
    assert [(r.levelno, "cannot read" in r.getMessage()) for r in skipped] == [
        (logging.WARNING, True)
    ]
    assert "Lunch?" not in caplog.text  # the payload is not dumped into the log
