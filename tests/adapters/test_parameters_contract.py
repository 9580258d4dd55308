"""The personal-parameters part of the storage port, on SQLite, PostgreSQL and the in-memory fake:
the row round trip, the claim's compare-and-set, the refit query and a refit's reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.errors import ConcurrencyConflict
from core.personal.model import PersonalParameters
from core.ports import Store
from core.scheduling.fit import DEFAULT_PARAMETERS
from core.scheduling.model import Rating
from tests.adapters import samples
from tests.adapters.conftest import World
from tests.adapters.samples import DAY0, T0

PERSONAL = tuple(round(value * 0.9, 4) for value in DEFAULT_PARAMETERS)


@pytest.fixture
def store(each_store: Store) -> Store:
    return each_store


async def test_parameters_round_trip_and_ride_with_the_learner(store: Store, world: World) -> None:
    row = PersonalParameters(world.ann, T0, PERSONAL, DAY0, reviews_used=812)
    async with store.unit_of_work() as uow:
        assert await uow.parameters.get(world.ann) is None
        uow.parameters.save(row, None)
        assert await uow.parameters.get(world.ann) is None  # staged only
        await uow.commit()
        got = await uow.parameters.get(world.ann)
        ann, bob = await uow.learners.get(world.ann), await uow.learners.get(world.bob)
        many = await uow.learners.get_many([world.ann])
    assert got == row and got.claimed_at == T0
    assert ann is not None and ann.settings.scheduler.parameters == PERSONAL
    assert many[world.ann].settings.scheduler.parameters == PERSONAL
    assert bob is not None and bob.settings.scheduler.parameters is None


async def test_a_save_claims_the_row_it_read_and_only_that(store: Store, world: World) -> None:
    first = PersonalParameters(world.ann, T0)
    async with store.unit_of_work() as uow:
        uow.parameters.save(first, None)
        await uow.commit()
    later = T0 + timedelta(days=7)
    claims = [replace(first, claimed_at=later), replace(first, claimed_at=later + timedelta(1))]
    async with store.unit_of_work() as one, store.unit_of_work() as two:
        one.parameters.save(claims[0], first.claimed_at)
        two.parameters.save(claims[1], first.claimed_at)
        await one.commit()
        with pytest.raises(ConcurrencyConflict):
            await two.commit()
    async with store.unit_of_work() as uow:
        uow.parameters.save(first, None)  # a second insert for the learner
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        assert await uow.parameters.get(world.ann) == claims[0]


async def test_due_for_refit_and_a_refits_reads(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, "geo:a", step=0, first_review=True))
        uow.reviews.append(samples.review(world.ann, "geo:b", step=1, day=DAY0))
        uow.reviews.append(
            replace(
                samples.review(world.ann, "geo:a", step=2, day=DAY0 + timedelta(days=2)),
                reviewed_at=T0 + timedelta(days=2),
                rating=Rating.POOR,
            )
        )
        uow.reviews.append(samples.review(world.bob, step=0, first_review=True))
        uow.card_states.save(samples.card_state(world.ann, "geo:a"))
        uow.card_states.save(samples.card_state(world.ann, "geo:b", memory=samples.sm2_memory()))
        await uow.commit()
        due = await uow.parameters.due_for_refit(T0, min_reviews=2, limit=10)
        uow.parameters.save(PersonalParameters(world.ann, T0 - timedelta(days=8)), None)
        await uow.commit()
        stale = await uow.parameters.due_for_refit(T0, min_reviews=2, limit=10)
        fresh = await uow.parameters.due_for_refit(T0 - timedelta(days=9), 2, 10)
        history = await uow.parameters.history(world.ann)
        states = await uow.parameters.fsrs_states(world.ann)
    assert due == [(world.ann, None)]  # Bob has one review
    assert stale == [(world.ann, PersonalParameters(world.ann, T0 - timedelta(days=8)))]
    assert fresh == []
    assert history == [
        ("geo:a", DAY0, Rating.GOOD),
        ("geo:b", DAY0, Rating.GOOD),
        ("geo:a", DAY0 + timedelta(days=2), Rating.POOR),
    ]
    assert [state.card_id for state in states] == ["geo:a"]


async def test_a_learner_on_defaults_is_not_refitted(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, first_review=True))
        uow.parameters.save(PersonalParameters(world.ann, T0 - timedelta(30), enabled=False), None)
        await uow.commit()
        assert await uow.parameters.due_for_refit(T0, min_reviews=1, limit=10) == []
