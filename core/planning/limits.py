"""How exam plans set the learner's limits for their decks (`core.review.limits.DeckLimits`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.learners import Learner
from core.planning.model import ExamPlan
from core.ports import UnitOfWork
from core.review.limits import NO_DECK_LIMITS, DeckLimits
from core.scheduling.days import learner_day

__all__ = ["deck_limits", "plan_limits"]


def deck_limits(learner: Learner, plans: Sequence[ExamPlan], now: datetime) -> DeckLimits:
    """The limits the learner's plans set for their decks, as they stand at `now`: each plan
    that still applies gives its deck new cards a day and desired retention; every other deck
    keeps the learner's own."""
    settings = learner.settings
    today = learner_day(now, settings.zone, settings.day_start)
    applying = [plan for plan in plans if plan.applies_on(today)]
    if not applying:
        return NO_DECK_LIMITS
    return DeckLimits(
        new_per_day={plan.deck_id: plan.new_per_day for plan in applying},
        desired_retention={plan.deck_id: plan.desired_retention for plan in applying},
    )


async def plan_limits(uow: UnitOfWork, learner: Learner, now: datetime) -> DeckLimits:
    return deck_limits(learner, await uow.exam_plans.of_learner(learner.id), now)
