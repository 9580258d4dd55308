"""/plan as a service: read the deck and the learner's states, plan, store the plan, answer."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from core import texts
from core.commands import CommandNames
from core.errors import InvalidInput
from core.learners import Learner
from core.library import DeckLibrary
from core.planning.model import ExamPlan
from core.planning.planner import DEFAULT_TARGET, PlannedCard, PlanRequest, plan_exam
from core.planning.screens import plan_screen, plans_screen
from core.ports import Clock, Store
from core.scheduling.days import learner_day
from core.scheduling.model import SchedulerKind
from core.screens import Screen

__all__ = ["OFF", "PlanService", "parse_exam_day", "parse_target"]

OFF = "off"
_EVERY_STATE = timedelta(days=365 * 200)  # "due" by then: every state of the deck


def parse_exam_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(texts.PLAN_BAD_DATE) from None


def parse_target(text: str | None) -> int:
    if text is None or not text.strip():
        return DEFAULT_TARGET
    try:
        return int(text.strip().removesuffix("%"))
    except ValueError:
        raise InvalidInput(texts.PLAN_NOT_A_TARGET) from None


class PlanService:
    def __init__(self, store: Store, clock: Clock, library: DeckLibrary) -> None:
        self._store = store
        self._clock = clock
        self._library = library

    async def make(
        self,
        learner: Learner,
        deck_name: str,
        chat_id: int | None,
        exam_day: date,
        target: int,
        commands: CommandNames,
    ) -> Screen:
        """Plan the deck for the exam and set the plan; InvalidInput/NotFound say what is wrong."""
        deck = await self._library.find(deck_name, chat_id)
        now = self._clock.now()
        today = _today(learner, now)
        async with self._store.unit_of_work() as uow:
            cards = await uow.decks.cards(deck.id)
            if not cards:
                raise InvalidInput(texts.PLAN_EMPTY_DECK.format(name=deck.name))
            states = await uow.card_states.due(
                learner.id, [deck.id], now + _EVERY_STATE, len(cards)
            )
            memories = {state.card_id: state.memory for state in states}
            planned: list[PlannedCard] = [memories.get(card.id) for card in cards]
            scheduler = learner.settings.scheduler
            parameters = scheduler.parameters if scheduler.kind is SchedulerKind.FSRS else None
            # Up to seconds of CPU for a big deck: off the event loop (fsrs-rs's runs in it
            # still hold the GIL while they last).
            request = PlanRequest(planned, today, exam_day, target, parameters)
            plan = await asyncio.to_thread(plan_exam, request)
            uow.exam_plans.save(
                ExamPlan(
                    learner.id, deck.id, exam_day, plan.new_per_day, plan.desired_retention, target
                )
            )
            await uow.commit()
        return plan_screen(plan, deck.name, exam_day, commands)

    async def current(
        self, learner: Learner, chat_id: int | None, commands: CommandNames
    ) -> Screen:
        today = _today(learner, self._clock.now())
        async with self._store.unit_of_work() as uow:
            plans = [p for p in await uow.exam_plans.of_learner(learner.id) if p.applies_on(today)]
        names = {deck.id: deck.name for deck in await self._library.visible(chat_id)}
        return plans_screen(plans, names, commands)

    async def end(self, learner: Learner) -> str:
        async with self._store.unit_of_work() as uow:
            uow.exam_plans.end(learner.id)
            await uow.commit()
        return texts.PLAN_ENDED


def _today(learner: Learner, now: datetime) -> date:
    return learner_day(now, learner.settings.zone, learner.settings.day_start)
