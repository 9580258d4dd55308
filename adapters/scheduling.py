"""The bot's one APScheduler: a tick every minute (daily pushes), an hourly job (refits of
personal schedules) and one-shot quiz deadlines."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError  # type: ignore[import-untyped]
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from core.ports import Clock

__all__ = ["BotScheduler", "Job"]

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]

TICK_JOB_ID = "minutely-tick"
HOURLY_JOB_ID = "hourly-job"
# APScheduler's default grace is 1 s: a busy loop would skip jobs as "missed"; late still counts.
MISFIRE_GRACE_SECONDS = 300


class BotScheduler:
    """One `AsyncIOScheduler` for every platform (PTB's own JobQueue is not used).

    The minutely tick asks the core what is due; deadlines are one-shot jobs keyed by name
    (arming a name again replaces its job). Nothing here is persisted: quiz deadlines live in
    the store and are re-armed from it at start-up.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._tick: Job | None = None
        self._deadlines: dict[str, Job] = {}
        self._armed_at: dict[str, datetime] = {}

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def every_minute(self, callback: Job, *, interval: timedelta | None = None) -> None:
        """Call `callback` at the start of every minute (UTC), or every `interval` when given
        (an operator's shorter tick, the tests' too); never two runs at once."""
        self._tick = callback
        trigger = (
            CronTrigger(second=0, timezone=UTC)
            if interval is None
            else IntervalTrigger(seconds=interval.total_seconds(), timezone=UTC)
        )
        self._scheduler.add_job(
            self._run_tick,
            trigger,
            id=TICK_JOB_ID,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            coalesce=True,
            max_instances=1,
        )

    def every_hour(self, callback: Job) -> None:
        """Call `callback` at minute 30 of every hour (UTC), off the minute tick's second; errors
        are logged and the next hour tries again. Several workers each run it: the callback
        claims its work in the store (personal refits claim each learner)."""
        self._scheduler.add_job(
            self._run_logged,
            CronTrigger(minute=30, second=15, timezone=UTC),
            args=(callback, "the hourly job"),
            id=HOURLY_JOB_ID,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            coalesce=True,
            max_instances=1,
        )

    def stop_ticking(self) -> None:
        """Remove the minutely tick (the platforms are stopping); armed deadlines stay."""
        self._tick = None
        with contextlib.suppress(JobLookupError):  # never set
            self._scheduler.remove_job(TICK_JOB_ID)

    def at(self, name: str, when: datetime, callback: Job) -> None:
        """Run `callback` once at `when` (a time of the injected clock), replacing `name`'s job."""
        delay = max((when - self._clock.now()).total_seconds(), 0.0)
        run_at = datetime.now(UTC).timestamp() + delay
        self._deadlines[name] = callback
        self._armed_at[name] = when
        self._scheduler.add_job(
            self._run_deadline,
            DateTrigger(datetime.fromtimestamp(run_at, UTC)),
            args=(name,),
            id=name,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )

    def cancel(self, name: str) -> None:
        self._deadlines.pop(name, None)
        self._armed_at.pop(name, None)
        with contextlib.suppress(JobLookupError):  # already run, or never armed
            self._scheduler.remove_job(name)

    def pending(self) -> list[str]:
        """The names of the armed deadlines."""
        return sorted(self._deadlines)

    def armed_at(self, name: str) -> datetime | None:
        """When (on the injected clock) `name`'s deadline fires; None when none is armed."""
        return self._armed_at.get(name)

    def start(self) -> None:
        """Start; call from inside the running event loop. Jobs armed before wait until now."""
        self._scheduler.start()

    async def shutdown(self) -> None:
        """Stop; a run in progress is not awaited (its work is claimed in the store)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # let the scheduler's wake-up handle be cancelled

    async def run_tick_now(self) -> None:
        """One tick immediately; unlike a scheduled run, its errors reach the caller."""
        if self._tick is None:
            raise RuntimeError("no minutely callback is set")
        await self._tick()

    async def run_deadline_now(self, name: str) -> bool:
        """Run an armed deadline now instead of at its time; False when none is armed."""
        callback = self._deadlines.get(name)
        if callback is None:
            return False
        self.cancel(name)
        await callback()
        return True

    async def _run_tick(self) -> None:
        try:
            await self.run_tick_now()
        except Exception:
            # Logged here with context; the next minute's tick tries again.
            log.exception("the minutely tick failed")

    @staticmethod
    async def _run_logged(callback: Job, what: str) -> None:
        try:
            await callback()
        except Exception:
            log.exception("%s failed", what)

    async def _run_deadline(self, name: str) -> None:
        callback = self._deadlines.pop(name, None)
        self._armed_at.pop(name, None)
        if callback is None:
            return
        try:
            await callback()
        except Exception:
            log.exception("the deadline %s failed", name)
