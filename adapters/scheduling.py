"""The one APScheduler job of the bot: a tick every minute that asks the core what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

__all__ = ["MinutelyTick"]

log = logging.getLogger(__name__)

JOB_ID = "minutely-tick"
# APScheduler's default grace is 1 s: a busy loop would skip ticks; a late tick still counts.
MISFIRE_GRACE_SECONDS = 300


class MinutelyTick:
    """Calls `callback` at the start of every minute (UTC); never two runs at once."""

    def __init__(self, callback: Callable[[], Awaitable[None]]) -> None:
        self._callback = callback
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.add_job(
            self._run,
            CronTrigger(second=0, timezone=UTC),
            id=JOB_ID,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            coalesce=True,
            max_instances=1,
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start ticking; call from inside the running event loop."""
        self._scheduler.start()

    async def shutdown(self) -> None:
        """Stop ticking; a run in progress is not awaited (its work is claimed in the store)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # let the scheduler's wake-up handle be cancelled

    async def run_now(self) -> None:
        """One tick immediately; unlike a scheduled run, its errors reach the caller."""
        await self._callback()

    async def _run(self) -> None:
        try:
            await self._callback()
        except Exception:
            # Logged here with context; the next minute's tick tries again.
            log.exception("the minutely tick failed")
