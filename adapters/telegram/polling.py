"""Run an Application by long polling inside an event loop the caller owns (`lifecycle`)."""

from __future__ import annotations

import datetime as dtm
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from telegram.error import Conflict, TelegramError

from adapters.telegram.lifecycle import started

if TYPE_CHECKING:  # app.py starts the bot through `polling`: a run-time import would be a cycle
    from adapters.telegram.app import AnyApplication

__all__ = ["ANOTHER_POLLER", "PollingFailures", "polling"]

log = logging.getLogger(__name__)

ANOTHER_POLLER = (
    "Telegram: another process is polling this bot's updates (getUpdates serves one at a time);"
    " run one polling worker, or run every worker with --webhook"
)


class PollingFailures:
    """PTB's error callback for polling: one line per failure, no traceback, and a repeated one
    at most once a minute. PTB tries again on its own; what an operator needs is the cause,
    and for a second poller (two pollers end each other's requests all the time) what to do."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._every = every
        self._clock = clock
        self._last: dict[str, float] = {}

    def __call__(self, error: TelegramError) -> None:
        if isinstance(error, Conflict) and "webhook" not in error.message:
            line = ANOTHER_POLLER
        else:
            line = f"Telegram: polling for updates failed ({error.message}); trying again"
        now = self._clock()
        if now - self._last.get(line, -self._every) >= self._every:
            self._last[line] = now
            log.warning(line)


@asynccontextmanager
async def polling(
    app: AnyApplication,
    *,
    timeout: dtm.timedelta = dtm.timedelta(seconds=10),
    poll_interval: float = 0.0,
) -> AsyncIterator[AnyApplication]:
    """Start the application and poll (PTB deletes a webhook first: polling after webhook mode
    takes the bot back); stop polling, then the application, on exit."""
    if app.updater is None:
        raise ValueError("polling needs an Application built with an updater")
    updater = app.updater
    async with started(app):
        await updater.start_polling(
            poll_interval=poll_interval, timeout=timeout, error_callback=PollingFailures()
        )
        try:
            yield app
        finally:
            await updater.stop()
