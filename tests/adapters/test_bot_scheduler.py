"""The shared APScheduler: one-shot deadlines fire once, can be replaced and cancelled."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from adapters.scheduling import HOURLY_JOB_ID, BotScheduler
from tests.fakes import FakeClock


async def test_deadlines_fire_once_replace_and_cancel(clock: FakeClock) -> None:
    fired: list[str] = []

    def job(label: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            fired.append(label)

        return run

    scheduler = BotScheduler(clock)
    scheduler.start()
    try:
        soon = clock.now() + timedelta(seconds=0.05)
        scheduler.at("a", soon, job("a-old"))
        scheduler.at("a", soon, job("a"))  # replaces the first
        scheduler.at("b", soon, job("b"))
        scheduler.cancel("b")
        scheduler.at("late", clock.now() + timedelta(hours=1), job("late"))
        for _ in range(100):
            if fired:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
        assert fired == ["a"]
        assert scheduler.pending() == ["late"]
        assert await scheduler.run_deadline_now("late")
        assert not await scheduler.run_deadline_now("late")
        assert fired == ["a", "late"]
    finally:
        await scheduler.shutdown()


async def test_the_hourly_job_runs_at_half_past_and_its_errors_are_logged(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async def failing() -> None:
        raise RuntimeError("refit broke")

    scheduler = BotScheduler(clock)
    scheduler.start()
    scheduler.every_hour(failing)
    try:
        [job] = [job for job in scheduler._scheduler.get_jobs() if job.id == HOURLY_JOB_ID]
        assert str(job.trigger) == "cron[minute='30', second='15']"
        await job.func(*job.args)  # what APScheduler runs: the error is logged, not raised
    finally:
        await scheduler.shutdown()
    assert "the hourly job failed" in caplog.text and "refit broke" in caplog.text
