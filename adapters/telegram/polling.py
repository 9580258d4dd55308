"""Run an Application by long polling inside an event loop the caller owns.

`Application.run_polling` owns the loop and calls `post_init`; the composition root shares one
loop between platforms, so it starts and stops the pieces itself — and must call `post_init`.
"""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.telegram.app import AnyApplication

__all__ = ["polling"]


@asynccontextmanager
async def polling(
    app: AnyApplication,
    *,
    timeout: dtm.timedelta = dtm.timedelta(seconds=10),
    poll_interval: float = 0.0,
) -> AsyncIterator[AnyApplication]:
    """Initialize (with `post_init`), start and poll; stop everything cleanly on exit."""
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if app.updater is None:
            raise ValueError("polling needs an Application built with an updater")
        await app.updater.start_polling(poll_interval=poll_interval, timeout=timeout)
        try:
            yield app
        finally:
            # Leaving `async with app` while it still runs raises: stop in this order first.
            await app.updater.stop()
            await app.stop()
