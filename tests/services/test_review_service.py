"""Review sessions' rules end to end on the in-memory store: reveal, rate, limits, stale presses.

The same flows run on SQLite through both platforms (tests/telegram, tests/discord)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from core.errors import StaleAction
from core.learners import Learner
from core.screens import Screen
from tests.conftest import Services, services_on
from tests.fakes import FakeClock
from tests.memory_store import MemoryStore

DECK = "neural-nets"


@pytest_asyncio.fixture
async def services(clock: FakeClock) -> AsyncIterator[Services]:
    yield await services_on(MemoryStore(), clock)


def review_rows(services: Services) -> list[tuple[str, int, int]]:
    assert isinstance(services.store, MemoryStore)
    return [(r.card_id, int(r.rating), r.step) for r in services.store.review_log]


def show(screen: Screen) -> str:
    assert not screen.answer_shown and len(screen.buttons[0]) == 1
    return screen.buttons[0][0].action


def rate(screen: Screen, rating: int) -> str:
    assert screen.answer_shown and len(screen.buttons[0]) == 5
    return screen.buttons[0][rating - 1].action


async def with_settings(services: Services, learner: Learner, **changes: object) -> Learner:
    settings = replace(learner.settings, **changes)  # type: ignore[arg-type]
    async with services.store.unit_of_work() as uow:
        uow.learners.save_settings(learner.id, settings)
        await uow.commit()
    return replace(learner, settings=settings)


async def test_question_reveal_rate_next(services: Services) -> None:
    ada = await services.learner("ada")
    question = await services.reviews.start(ada, None, [DECK])
    assert question.card_id == "neural-nets:mnist"
    assert "What is MNIST an abbreviation of?" in question.text

    answer = (await services.reviews.press(ada, show(question))).updated
    assert "Modified National Institute of Standards and Technology database" in answer.text
    assert "How well did you know this?" in answer.text
    assert [b.label for b in answer.buttons[0]] == ["1", "2", "3", "4", "5"]

    result = await services.reviews.press(ada, rate(answer, 4))
    assert result.updated.buttons == ()
    assert "Rated 4/5" in result.updated.text
    assert result.follow_up is not None and result.follow_up.card_id != "neural-nets:mnist"
    assert review_rows(services) == [("neural-nets:mnist", 4, 0)]


async def test_double_press_records_one_review(services: Services) -> None:
    ada = await services.learner("ada")
    answer = (
        await services.reviews.press(ada, show(await services.reviews.start(ada, None, [DECK])))
    ).updated
    token = rate(answer, 5)
    await services.reviews.press(ada, token)
    with pytest.raises(StaleAction, match="already rated"):
        await services.reviews.press(ada, token)
    assert len(review_rows(services)) == 1


async def test_concurrent_double_press_records_one_review(services: Services) -> None:
    ada = await services.learner("ada")
    answer = (
        await services.reviews.press(ada, show(await services.reviews.start(ada, None, [DECK])))
    ).updated
    token = rate(answer, 3)
    results = await asyncio.gather(
        services.reviews.press(ada, token),
        services.reviews.press(ada, token),
        return_exceptions=True,
    )
    assert sum(isinstance(r, StaleAction) for r in results) == 1
    assert len(review_rows(services)) == 1


async def test_stale_foreign_and_forged_presses_change_nothing(services: Services) -> None:
    ada, bob = await services.learner("ada"), await services.learner("bob")
    old = await services.reviews.start(ada, None, [DECK])
    new = await services.reviews.start(ada, None, [DECK])
    with pytest.raises(StaleAction, match="older card"):
        await services.reviews.press(ada, show(old))
    with pytest.raises(StaleAction, match="someone else"):
        await services.reviews.press(bob, show(new))
    for forged in [
        "",
        "r.zz",
        "x.1.1.show",
        "r.1.1.rate9",
        "r." + "9" * 40 + ".1.show",
        "r.1.1.show",
        "r.zzzzzzzzzzzzz.1.show",  # beyond 64-bit ids: refused, not an OverflowError in SQL
        "r.1.zzzzzzzzzzzzz.show",
    ]:
        with pytest.raises(StaleAction):
            await services.reviews.press(ada, forged)
    # Rating before the answer is shown is refused too (a hand-made token).
    with pytest.raises(StaleAction, match="Show the answer"):
        await services.reviews.press(ada, show(new).replace(".show", ".rate5"))
    assert review_rows(services) == []


async def test_daily_new_card_limit_resets_next_learner_day(services: Services) -> None:
    ada = await with_settings(services, await services.learner("ada"), new_cards_per_day=2)
    screen = await services.reviews.start(ada, None, [DECK])
    for _ in range(2):
        answer = (await services.reviews.press(ada, show(screen))).updated
        follow = (await services.reviews.press(ada, rate(answer, 4))).follow_up
        assert follow is not None
        screen = follow
    assert screen.buttons == ()
    assert "That is your 2 new cards for today." in screen.text
    assert "next card is due" in screen.text
    services.clock.advance(days=1)
    assert (await services.reviews.start(ada, None, [DECK])).card_id is not None


async def test_max_reviews_per_day(services: Services) -> None:
    ada = await with_settings(services, await services.learner("ada"), max_reviews_per_day=1)
    screen = await services.reviews.start(ada, None, [DECK])
    answer = (await services.reviews.press(ada, show(screen))).updated
    follow = (await services.reviews.press(ada, rate(answer, 1))).follow_up
    assert follow is not None and "That is your 1 review for today." in follow.text


async def test_due_card_comes_at_the_start_of_its_learner_day(services: Services) -> None:
    """Rated at 08:10 Berlin with 4 (2 days), due at 04:00 Berlin two days later — so an 08:00
    push that day finds it, although 48 hours have not passed."""
    ada = await with_settings(
        services, await services.learner("ada"), time_zone="Europe/Berlin", new_cards_per_day=1
    )
    services.clock.set(datetime(2026, 11, 2, 7, 10, tzinfo=UTC))  # 08:10 CET
    answer = (
        await services.reviews.press(ada, show(await services.reviews.start(ada, None, [DECK])))
    ).updated
    rated = await services.reviews.press(ada, rate(answer, 4))
    assert "Rated 4/5 · next review on Wed at 04:00" in rated.updated.text
    async with services.store.unit_of_work() as uow:
        state = await uow.card_states.get(ada.id, "neural-nets:mnist")
    assert state is not None and state.due_at == datetime(2026, 11, 4, 3, 0, tzinfo=UTC)
    services.clock.set(datetime(2026, 11, 4, 7, 0, tzinfo=UTC))  # 08:00 CET two days later
    assert (await services.reviews.start(ada, None, [DECK])).card_id == "neural-nets:mnist"


async def test_most_overdue_first_then_new(services: Services) -> None:
    ada = await with_settings(services, await services.learner("ada"), new_cards_per_day=3)
    screen = await services.reviews.start(ada, None, [DECK])
    seen = []
    for rating in (5, 4, 1):  # due in 8, 2 and 1 days
        seen.append(screen.card_id)
        answer = (await services.reviews.press(ada, show(screen))).updated
        follow = (await services.reviews.press(ada, rate(answer, rating))).follow_up
        assert follow is not None
        screen = follow
    services.clock.advance(days=10)
    order = []
    screen = await services.reviews.start(ada, None, [DECK])
    for _ in range(3):
        order.append(screen.card_id)
        answer = (await services.reviews.press(ada, show(screen))).updated
        follow = (await services.reviews.press(ada, rate(answer, 4))).follow_up
        assert follow is not None
        screen = follow
    assert order == [seen[2], seen[1], seen[0]]


async def test_nothing_due_says_when(services: Services) -> None:
    ada = await with_settings(services, await services.learner("ada"), new_cards_per_day=1)
    screen = await services.reviews.start(ada, None, [DECK])
    answer = (await services.reviews.press(ada, show(screen))).updated
    await services.reviews.press(ada, rate(answer, 4))
    services.clock.advance(hours=1)
    again = await services.reviews.start(ada, None, [DECK])
    assert again.buttons == ()
    assert "Nothing is due right now. The next card is due on Wed at 04:00." in again.text


async def test_a_restart_between_review_and_rating_keeps_the_buttons_working(
    services: Services,
) -> None:
    """Sessions live in the store: a new service over the same database (a restarted process)
    accepts the buttons of a message sent before the restart."""
    from core.review.service import ReviewService

    ada = await services.learner("ada")
    question = await services.reviews.start(ada, None, [DECK])
    answer = (await services.reviews.press(ada, show(question))).updated
    restarted = ReviewService(services.store, services.clock, services.random)
    result = await restarted.press(ada, rate(answer, 5))
    assert "Rated 5/5" in result.updated.text
    assert review_rows(services) == [("neural-nets:mnist", 5, 0)]
