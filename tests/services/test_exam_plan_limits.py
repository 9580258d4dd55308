"""The review queue honours an exam plan for its deck, and only its deck, until the exam day
(SQLite and PostgreSQL stores)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import texts
from core.learners import Learner
from core.permissions import OPERATOR
from core.planning.model import ExamPlan
from core.scheduling.days import learner_day
from tests.conftest import Services
from tests.services.test_review_service import rate, show, with_settings

DECK = "neural-nets"
OTHER_CSV = b"question,answer\n" + b"".join(b"Q%d?,A%d\n" % (n, n) for n in range(8))


async def plan(services: Services, learner: Learner, days: int, new: int, retention: float) -> None:
    settings = learner.settings
    today = learner_day(services.clock.now(), settings.zone, settings.day_start)
    async with services.store.unit_of_work() as uow:
        uow.exam_plans.save(
            ExamPlan(learner.id, DECK, today + timedelta(days=days), new, retention, 90)
        )
        await uow.commit()


async def other_deck(services: Services) -> str:
    """A second deck of 8 cards, with no plan; its id."""
    chat = await services.chat("ada-alone", group=False)
    imported = await services.library.import_deck(OTHER_CSV, "Other", chat.id, role=OPERATOR)
    return imported.deck.id


async def new_cards_today(services: Services, learner: Learner, *decks: str) -> int:
    """Learn new cards of `decks` (default: the planned one) until the queue stops; how many
    it gave."""
    screen = await services.reviews.start(learner, None, list(decks or [DECK]))
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


async def test_the_plans_new_cards_are_its_decks_and_other_decks_keep_the_learners_own(
    services: Services,
) -> None:
    ada = await with_settings(services, await services.learner("ada"), new_cards_per_day=1)
    other = await other_deck(services)
    await plan(services, ada, days=5, new=3, retention=0.9)

    assert await new_cards_today(services, ada) == 3
    # The plan's 3 new cards spent none of Ada's own 1 for the deck without a plan, and that
    # one spends none of the plan's: a review of both decks the next day gives 3 + 1.
    assert await new_cards_today(services, ada, other) == 1
    assert await new_cards_today(services, ada, DECK, other) == 0
    services.clock.advance(days=1)
    screen = await services.reviews.start(ada, None, [DECK, other])
    assert texts.NEW_CARD in screen.text
    assert await new_cards_today(services, ada, other, DECK) == 3 + 1


async def test_a_plans_retention_is_its_decks_alone(services: Services) -> None:
    ada, bob = await services.learner("ada"), await services.learner("bob")
    other = await other_deck(services)
    await plan(services, ada, days=30, new=0, retention=0.97)  # the plan gives no new card
    # Ada's review of both decks shows the other deck's first card, like Bob's of it alone.
    shown = []
    for learner, decks in ((ada, [DECK, other]), (bob, [other])):
        screen = await services.reviews.start(learner, None, decks)
        shown.append(screen.card_id)
        answer = (await services.reviews.press(learner, show(screen))).updated
        await services.reviews.press(learner, rate(answer, 5))

    async with services.store.unit_of_work() as uow:
        (ada_state,) = [s for s in await uow.card_states.due(ada.id, [other], far(services), 9)]
        (bob_state,) = [s for s in await uow.card_states.due(bob.id, [other], far(services), 9)]
    assert shown[0] == shown[1] and ada_state.card_id == shown[0]
    assert ada_state.memory.interval_days == bob_state.memory.interval_days


def far(services: Services) -> datetime:
    return services.clock.now() + timedelta(days=3650)
