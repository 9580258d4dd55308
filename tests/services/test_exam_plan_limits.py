"""The review queue honours an exam plan for its deck until the exam day (SQLite store)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.learners import Learner
from core.planning.model import ExamPlan
from core.scheduling.days import learner_day
from tests.conftest import Services
from tests.services.test_review_service import rate, show, with_settings

DECK = "neural-nets"


async def plan(services: Services, learner: Learner, days: int, new: int, retention: float) -> None:
    settings = learner.settings
    today = learner_day(services.clock.now(), settings.zone, settings.day_start)
    async with services.store.unit_of_work() as uow:
        uow.exam_plans.save(
            ExamPlan(learner.id, DECK, today + timedelta(days=days), new, retention, 90)
        )
        await uow.commit()


async def new_cards_today(services: Services, learner: Learner) -> int:
    """Learn new cards until the queue stops; how many it gave."""
    screen = await services.reviews.start(learner, None, [DECK])
    learned = 0
    while screen.buttons:
        answer = (await services.reviews.press(learner, show(screen))).updated
        follow = (await services.reviews.press(learner, rate(answer, 4))).follow_up
        assert follow is not None
        learned += 1
        screen = follow
    return learned


async def test_a_plan_sets_the_decks_new_cards_per_day_until_the_exam(services: Services) -> None:
    ada = await with_settings(services, await services.learner("ada"), new_cards_per_day=1)
    await plan(services, ada, days=1, new=3, retention=0.9)

    assert await new_cards_today(services, ada) == 3
    services.clock.advance(days=1)  # the exam day: the plan no longer applies
    assert await new_cards_today(services, ada) == 1


async def test_a_plans_retention_schedules_the_decks_cards(services: Services) -> None:
    ada, bob = await services.learner("ada"), await services.learner("bob")
    await plan(services, ada, days=30, new=20, retention=0.97)
    for learner in (ada, bob):
        screen = await services.reviews.start(learner, None, [DECK])
        answer = (await services.reviews.press(learner, show(screen))).updated
        await services.reviews.press(learner, rate(answer, 5))

    async with services.store.unit_of_work() as uow:
        (ada_state,) = [s for s in await uow.card_states.due(ada.id, [DECK], far(services), 9)]
        (bob_state,) = [s for s in await uow.card_states.due(bob.id, [DECK], far(services), 9)]
    assert ada_state.memory.interval_days < bob_state.memory.interval_days


def far(services: Services) -> datetime:
    return services.clock.now() + timedelta(days=3650)
