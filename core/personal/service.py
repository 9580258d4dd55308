"""Fit, refit and reset a learner's personal FSRS parameters (see `core.scheduling.fit`).

Each fit is two units of work: a claim (the row's `claimed_at` compared and set, so of several
workers one goes on), then the result with every FSRS card's memory recomputed from its history
under the new parameters. Due dates stay as they are, as in Anki: a new schedule applies from
each card's next rating on. A new fit that does not predict the learner's history better than the
parameters in use (theirs, or the defaults) is dropped, as Anki drops it: those stay, with their
fit's day and review count, and the cards' memories are left as they are.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from core.errors import ConcurrencyConflict
from core.learners import Learner
from core.personal.model import REFIT_EVERY_DAYS, FitOutcome, PersonalParameters
from core.ports import Clock, Store, UnitOfWork
from core.scheduling.days import learner_day
from core.scheduling.fit import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS_TO_FIT,
    LoggedReview,
    fit_parameters,
    memory_states,
)

__all__ = ["PersonalScheduleService"]

log = logging.getLogger(__name__)

_REFITS_PER_RUN = 50
_SAVE_ATTEMPTS = 3  # a rating landing between the read and the save moves a card's version


class PersonalScheduleService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def status(self, learner_id: int) -> PersonalParameters | None:
        async with self._store.unit_of_work() as uow:
            return await uow.parameters.get(learner_id)

    async def refit_due(self, limit: int = _REFITS_PER_RUN) -> int:
        """Refit the learners whose last fit is a week old (the periodic job); how many it fit."""
        before = self._clock.now() - timedelta(days=REFIT_EVERY_DAYS)
        async with self._store.unit_of_work() as uow:
            due = await uow.parameters.due_for_refit(before, MIN_REVIEWS_TO_FIT, limit)
        fitted = 0
        for learner_id, row in due:
            if await self._fit(learner_id, row, enabled=True) is not None:
                fitted += 1
        return fitted

    async def refit_job(self) -> None:
        """`refit_due` as a scheduled job: what it did, in the log."""
        fitted = await self.refit_due()
        if fitted:
            log.info("refitted the personal schedules of %d learners", fitted)

    async def fit_now(self, learner: Learner) -> FitOutcome | None:
        """Fit on demand (and turn the weekly refit back on); None if another worker is at it."""
        return await self._fit(learner.id, await self.status(learner.id), enabled=True)

    async def reset(self, learner: Learner) -> PersonalParameters | None:
        """Back to the default parameters, and no weekly refit until the learner asks for one."""
        outcome = await self._fit(learner.id, await self.status(learner.id), enabled=False)
        return outcome.row if outcome is not None else None

    async def _fit(
        self, learner_id: int, row: PersonalParameters | None, *, enabled: bool
    ) -> FitOutcome | None:
        claimed = await self._claim(learner_id, row, enabled)
        if claimed is None:
            return None
        for _ in range(_SAVE_ATTEMPTS):
            try:
                return await self._save_fit(claimed)
            except ConcurrencyConflict:
                continue
        log.warning("learner %s kept rating during their refit; next time, then", learner_id)
        return None

    async def _claim(
        self, learner_id: int, row: PersonalParameters | None, enabled: bool
    ) -> PersonalParameters | None:
        now = _to_millisecond(self._clock.now())  # what every store keeps of an instant
        if row is not None and row.claimed_at >= now:
            now = row.claimed_at + timedelta(milliseconds=1)
        claimed = (
            replace(row, claimed_at=now, enabled=enabled)
            if row is not None
            else PersonalParameters(learner_id, claimed_at=now, enabled=enabled)
        )
        async with self._store.unit_of_work() as uow:
            uow.parameters.save(claimed, row.claimed_at if row is not None else None)
            try:
                await uow.commit()
            except ConcurrencyConflict:
                return None  # another worker claimed this learner first
        return claimed

    async def _save_fit(self, claimed: PersonalParameters) -> FitOutcome:
        async with self._store.unit_of_work() as uow:
            learner = await uow.learners.get(claimed.learner_id)
            history = await uow.parameters.history(claimed.learner_id)
            # Tens of ms of CPU for a long history: off the event loop, which serves the chats.
            fitted = (
                await asyncio.to_thread(fit_parameters, history, claimed.parameters)
                if claimed.enabled
                else None
            )
            if fitted is not None and not fitted.improved:
                return FitOutcome(claimed, kept_previous=True)  # the claim stored it already
            if fitted is None:
                result = replace(claimed, parameters=None, fitted_on=None, reviews_used=0)
            else:
                today = (
                    learner_day(
                        claimed.claimed_at, learner.settings.zone, learner.settings.day_start
                    )
                    if learner is not None
                    else claimed.claimed_at.date()
                )
                result = replace(
                    claimed,
                    parameters=fitted.parameters,
                    fitted_on=today,
                    reviews_used=fitted.reviews_used,
                )
            await _recompute_memories(uow, claimed.learner_id, history, result.parameters)
            uow.parameters.save(result, claimed.claimed_at)
            await uow.commit()
        return FitOutcome(result)


async def _recompute_memories(
    uow: UnitOfWork,
    learner_id: int,
    history: list[LoggedReview],
    parameters: tuple[float, ...] | None,
) -> None:
    """Stage each FSRS card's memory replayed under `parameters`; its due day stays."""
    memories = await asyncio.to_thread(memory_states, history, parameters or DEFAULT_PARAMETERS)
    for state in await uow.parameters.fsrs_states(learner_id):
        if state.card_id not in memories:
            continue
        stability, difficulty = memories[state.card_id]
        memory = replace(state.memory, stability=stability, difficulty=difficulty)
        uow.card_states.save(replace(state, memory=memory, version=state.version + 1))


def _to_millisecond(instant: datetime) -> datetime:
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
