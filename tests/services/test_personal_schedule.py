"""Fitting, refitting and resetting a learner's personal parameters, on the SQLite store."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from adapters.storage.sqlite.store import SqliteStore
from core.card_state import CardState
from core.learners import Learner
from core.personal.service import PersonalScheduleService
from core.scheduling.fit import DEFAULT_PARAMETERS, memory_states
from core.scheduling.model import Memory, SchedulerKind
from tests.fakes import FakeClock
from tests.review_history import log_synthetic_reviews

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def _learner_with_history(store: SqliteStore, reviews: int) -> Learner:
    async with store.unit_of_work() as uow:
        learner = await uow.learners.ensure("test", "ada", "Ada")
    await log_synthetic_reviews(store, learner.id, reviews, deck_id="geo")
    return learner


async def test_two_workers_refitting_at_once_fit_once(store: SqliteStore, tmp_path: Path) -> None:
    learner = await _learner_with_history(store, 600)
    other = await SqliteStore.open(tmp_path / "quizbot.db")  # a second worker on the same file
    try:
        clock = FakeClock(NOW)
        fitted = await asyncio.gather(
            PersonalScheduleService(store, clock).refit_due(),
            PersonalScheduleService(other, clock).refit_due(),
        )
    finally:
        await other.close()
    assert sorted(fitted) == [0, 1]
    service = PersonalScheduleService(store, FakeClock(NOW))
    row = await service.status(learner.id)
    assert row is not None and row.parameters is not None and row.enabled
    assert (row.fitted_on, row.reviews_used) == (date(2026, 11, 2), 600)
    async with store.unit_of_work() as uow:
        ada = await uow.learners.get(learner.id)
    assert ada is not None and ada.settings.scheduler.parameters == row.parameters


async def test_the_refit_comes_again_a_week_later(store: SqliteStore) -> None:
    await _learner_with_history(store, 500)
    clock = FakeClock(NOW)
    service = PersonalScheduleService(store, clock)
    assert await service.refit_due() == 1
    clock.current = NOW + timedelta(days=6, hours=23)
    assert await service.refit_due() == 0
    clock.current = NOW + timedelta(days=7, minutes=1)
    assert await service.refit_due() == 1


async def test_a_fit_recomputes_memories_and_keeps_due_days(store: SqliteStore) -> None:
    learner = await _learner_with_history(store, 500)
    due_day = date(2026, 12, 1)
    kept = Memory(SchedulerKind.FSRS, 2, 0, 10, due_day - timedelta(days=10), due_day, 9.0, 5.0)
    state = CardState(learner.id, "geo:c0", "geo", kept, NOW + timedelta(days=29), 1)
    async with store.unit_of_work() as uow:
        uow.card_states.save(state)
        await uow.commit()
    outcome = await PersonalScheduleService(store, FakeClock(NOW)).fit_now(learner)
    async with store.unit_of_work() as uow:
        after = await uow.card_states.get(learner.id, "geo:c0")
        history = await uow.parameters.history(learner.id)
    assert outcome is not None and not outcome.kept_previous
    row = outcome.row
    assert row.parameters is not None
    stability, difficulty = memory_states(history, row.parameters)["geo:c0"]
    assert after is not None and after.version == 2
    assert (after.memory.due_day, after.memory.interval_days, after.due_at) == (
        due_day,
        10,
        state.due_at,
    )
    assert (after.memory.stability, after.memory.difficulty) == (stability, difficulty)


async def test_a_reset_goes_back_to_defaults_and_off_the_weekly_refit(store: SqliteStore) -> None:
    learner = await _learner_with_history(store, 500)
    clock = FakeClock(NOW)
    service = PersonalScheduleService(store, clock)
    assert await service.fit_now(learner) is not None
    reset = await service.reset(learner)
    assert reset is not None and reset.parameters is None and not reset.enabled
    clock.current = NOW + timedelta(days=30)
    assert await service.refit_due() == 0
    async with store.unit_of_work() as uow:
        ada = await uow.learners.get(learner.id)
        state_count = len(await uow.parameters.fsrs_states(learner.id))
    assert ada is not None and ada.settings.scheduler.parameters is None
    assert state_count == 0
    again = await service.fit_now(learner)  # on demand turns it back on
    assert again is not None and again.row.enabled and again.row.parameters is not None
    assert again.row.parameters != DEFAULT_PARAMETERS


async def test_too_few_reviews_fit_nothing(store: SqliteStore) -> None:
    learner = await _learner_with_history(store, 120)
    service = PersonalScheduleService(store, FakeClock(NOW))
    assert await service.refit_due() == 0  # below the threshold: not even a candidate
    outcome = await service.fit_now(learner)
    assert outcome is not None and not outcome.kept_previous
    assert outcome.row.parameters is None and outcome.row.fitted_on is None


async def test_a_refit_that_predicts_no_better_keeps_the_stored_fit(store: SqliteStore) -> None:
    learner = await _learner_with_history(store, 500)
    clock = FakeClock(NOW)
    service = PersonalScheduleService(store, clock)
    first = await service.fit_now(learner)
    assert first is not None and not first.kept_previous and first.row.parameters is not None
    async with store.unit_of_work() as uow:
        before = await uow.parameters.fsrs_states(learner.id)
    clock.current = NOW + timedelta(days=8)
    # No review since: the new fit is the stored one again, which cannot beat itself.
    again = await service.fit_now(learner)
    assert again is not None and again.kept_previous
    assert again.row.parameters == first.row.parameters
    assert (again.row.fitted_on, again.row.reviews_used) == (date(2026, 11, 2), 500)
    assert again.row.claimed_at > first.row.claimed_at  # claimed, so not due again for a week
    assert await service.status(learner.id) == again.row
    async with store.unit_of_work() as uow:
        after = await uow.parameters.fsrs_states(learner.id)
    assert after == before  # memories and versions untouched
    assert await service.refit_due() == 0
