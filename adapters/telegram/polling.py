"""Run an Application by long polling inside an event loop the caller owns (`lifecycle`)."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from adapters.telegram.lifecycle import started

if TYPE_CHECKING:  # app.py starts the bot through `polling`: a run-time import would be a cycle
    from adapters.telegram.app import AnyApplication

__all__ = ["polling"]


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
        await updater.start_polling(poll_interval=poll_interval, timeout=timeout)
        try:
            yield app
        finally:
            await updater.stop()
