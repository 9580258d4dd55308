"""The scheduler's tick can be taken away while the bots stop, leaving quiz deadlines armed."""

from __future__ import annotations

import datetime as dtm

import pytest

from adapters.scheduling import BotScheduler
from tests.fakes import FakeClock


async def test_stop_ticking_removes_the_tick_and_keeps_the_deadlines(clock: FakeClock) -> None:
    calls: list[str] = []

    async def tick() -> None:
        calls.append("tick")

    scheduler = BotScheduler(clock)
    scheduler.start()
    try:
        scheduler.every_minute(tick)
        scheduler.at("quiz-1", clock.now() + dtm.timedelta(hours=1), tick)
        scheduler.stop_ticking()
        with pytest.raises(RuntimeError, match="no minutely callback"):
            await scheduler.run_tick_now()
        assert scheduler.pending() == ["quiz-1"]
        scheduler.stop_ticking()  # twice is harmless
    finally:
        await scheduler.shutdown()
    assert calls == []
