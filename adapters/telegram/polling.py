"""Run an Application by long polling inside an event loop the caller owns.

`Application.run_polling` owns the loop and calls `post_init` and `post_stop`; the composition
root shares one loop between platforms, so it starts and stops the pieces itself — and must call
both hooks.
"""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

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
    """Initialize (with `post_init`), start and poll; stop (with `post_stop`) and shut down
    cleanly on exit, and close the HTTP sessions when the start fails."""
    if app.updater is None:
        raise ValueError("polling needs an Application built with an updater")
    try:
        await app.initialize()
    except BaseException:
        # Application.shutdown does nothing for an app whose initialize failed (a refused
        # token, an unreachable server): close the bot's HTTP sessions here.
        await app.bot.shutdown()
        raise
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            await app.updater.start_polling(poll_interval=poll_interval, timeout=timeout)
            try:
                yield app
            finally:
                await app.updater.stop()
        finally:
            await app.stop()  # shutting down a running app raises: stop first
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
