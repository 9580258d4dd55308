"""Initialize, start, stop and shut down an Application inside an event loop the caller owns.

`Application.run_polling`/`run_webhook` own the loop and call `post_init` and `post_stop`; the
composition root shares one loop between platforms, so it starts and stops the pieces itself —
and must call both hooks. Polling and the webhook both run inside `started`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # app.py starts the bot through these: a run-time import would be a cycle
    from adapters.telegram.app import AnyApplication

__all__ = ["started"]


@asynccontextmanager
async def started(app: AnyApplication) -> AsyncIterator[AnyApplication]:
    """Initialize (with `post_init`) and start: the application takes updates from its
    `update_queue`; stop (with `post_stop`) and shut down cleanly on exit, and close the HTTP
    sessions when the start fails."""
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
            yield app
        finally:
            await app.stop()  # shutting down a running app raises: stop first
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
