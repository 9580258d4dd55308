"""Two processes polling one bot token: Telegram ends the older getUpdates with 409 each time.
The bot says so in one plain line (what to do, no traceback) and at most once a minute."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging

import pytest
from telegram.error import Conflict, NetworkError

from adapters.telegram.app import TelegramBot, build_bot
from adapters.telegram.polling import ANOTHER_POLLER, PollingFailures, polling
from tests.chat_services import chat_services
from tests.conftest import Services
from tests.telegram.fake_bot_api import FakeBotApi


async def test_a_second_poller_is_named_in_one_warning_line(
    fake_bot_api: FakeBotApi, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    def bot() -> TelegramBot:
        return build_bot(
            fake_bot_api.token,
            chat_services(services),
            base_url=fake_bot_api.base_url,
            base_file_url=fake_bot_api.base_file_url,
        )

    first, second = bot(), bot()
    every_second = dtm.timedelta(seconds=1)
    with caplog.at_level(logging.WARNING):
        async with (
            polling(first.application, timeout=every_second),
            polling(second.application, timeout=every_second),
            asyncio.timeout(5),
        ):
            while ANOTHER_POLLER not in caplog.text:
                await asyncio.sleep(0.05)
    assert "Exception happened while polling" not in caplog.text  # PTB's traceback
    warned = [r for r in caplog.records if r.getMessage() == ANOTHER_POLLER]
    assert warned and all(r.exc_info is None for r in warned)


def test_a_repeated_failure_is_logged_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    failures = PollingFailures(every=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="adapters.telegram.polling"):
        for seconds in (0, 1, 30, 59):
            now[0] = 100.0 + seconds
            failures(Conflict("Conflict: terminated by other getUpdates request"))
        failures(NetworkError("Bad Gateway"))
        now[0] = 160.0
        failures(Conflict("Conflict: terminated by other getUpdates request"))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        ANOTHER_POLLER,
        "Telegram: polling for updates failed (Bad Gateway); trying again",
        ANOTHER_POLLER,
    ]
