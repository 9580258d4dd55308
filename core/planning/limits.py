"""How an exam plan sets the learner's limits while they review its deck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.learners import Learner
from core.planning.model import ExamPlan
from core.ports import UnitOfWork
from core.scheduling.days import learner_day

__all__ = ["planned_learner", "with_plans"]


def planned_learner(
    learner: Learner, plans: Sequence[ExamPlan], deck_ids: Sequence[str], now: datetime
) -> Learner:
    """The learner with their plans' limits for a review of `deck_ids`, as it stands at `now`.

    The plans of the reviewed decks that still apply give the new cards per day (their sum: each
    deck gets its own rate), the desired retention (the highest) and a review limit at least as
    high as the new cards. A review with no applying plan keeps the learner's own settings.
    """
    settings = learner.settings
    today = learner_day(now, settings.zone, settings.day_start)
    applying = [p for p in plans if p.deck_id in deck_ids and p.applies_on(today)]
    if not applying:
        return learner
    new_per_day = sum(p.new_per_day for p in applying)
    scheduler = replace(
        settings.scheduler, desired_retention=max(p.desired_retention for p in applying)
    )
    planned = replace(
        settings,
        scheduler=scheduler,
        new_cards_per_day=new_per_day,
        max_reviews_per_day=max(settings.max_reviews_per_day, new_per_day),
    )
    return replace(learner, settings=planned)


async def with_plans(
    uow: UnitOfWork, learner: Learner, deck_ids: Sequence[str], now: datetime
) -> Learner:
    return planned_learner(learner, await uow.exam_plans.of_learner(learner.id), deck_ids, now)
