"""The batch reads behind a push claim, on every store: each answers what the one-at-a-time
read it stands for answers, for every item asked (SQLite, PostgreSQL, the in-memory fake)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.card_state import CardCountQuery
from core.planning.model import ExamPlan
from core.ports import Store
from tests.adapters import samples
from tests.adapters.conftest import World
from tests.adapters.samples import DAY0, T0


@pytest.fixture
def store(each_store: Store) -> Store:
    return each_store


async def test_chats_and_the_decks_they_see_by_batch(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck("mine", "x", name="Alpha"), world.group)
        uow.decks.save(samples.deck("zoo", "z", name="Zoology"), world.group)
        uow.decks.save(samples.deck("bio", "p", name="Biology"), None)
        uow.decks.save(samples.deck("own", "o", name="Own"), world.private)
        await uow.commit()
        chats = await uow.chats.get_many([world.private, 999, world.group, world.private])
        chats_one_by_one = {i: await uow.chats.get(i) for i in (world.private, world.group)}
        asked = [world.group, world.private, 999, world.group]
        visible = await uow.decks.visible_ids_in(asked)
        one_by_one = {i: tuple(d.id for d in await uow.decks.visible_in(i)) for i in asked}
        assert await uow.decks.visible_ids_in([]) == {} and await uow.chats.get_many([]) == {}
        names = await uow.decks.names_of(["geo", "gone", "mine", "geo"])
        infos = [await uow.decks.get(deck_id) for deck_id in ("geo", "gone", "mine")]
        names_one_by_one = {info.id: info.name for info in infos if info is not None}
        assert await uow.decks.names_of([]) == {}
    assert names == names_one_by_one and set(names) == {"geo", "mine"}  # an unknown id: absent
    assert chats == chats_one_by_one and chats[world.group].is_group
    assert visible == one_by_one
    assert visible[world.group] == ("mine", "bio", "geo", "zoo")  # by name, bundled among them
    assert visible[999] == ("bio", "geo")  # a chat unknown to the store sees the bundled decks


async def test_review_counts_of_many_learner_days(store: Store, world: World) -> None:
    tomorrow, yesterday = DAY0 + timedelta(days=1), DAY0 - timedelta(days=1)
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, first_review=True))
        uow.reviews.append(samples.review(world.ann, step=1))
        uow.reviews.append(samples.review(world.ann, step=2, day=tomorrow))
        uow.reviews.append(samples.review(world.bob, step=0, first_review=True, day=tomorrow))
        await uow.commit()
        # Each learner on their own day: Bob's DAY0 reviews are not asked, nor Ann's tomorrow.
        asked = [(world.ann, DAY0), (world.bob, tomorrow), (world.bob, yesterday), (777, DAY0)]
        counts = await uow.reviews.counts_on_days(asked)
        one_by_one = {key: await uow.reviews.counts_on_day(*key) for key in asked}
        assert await uow.reviews.counts_on_days([]) == {}
    assert counts == one_by_one
    assert counts == {
        (world.ann, DAY0): (2, 1),
        (world.bob, tomorrow): (1, 1),
        (world.bob, yesterday): (0, 0),
        (777, DAY0): (0, 0),
    }


async def test_due_and_unseen_counts_are_the_lookups_lengths(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck("bio", "p", "q", "r"), None)
        await uow.commit()
        states = [
            samples.card_state(world.ann, "geo:a", due_at=T0 - timedelta(days=2)),
            samples.card_state(world.ann, "geo:b", due_at=T0),
            samples.card_state(world.ann, "geo:c", due_at=T0 + timedelta(minutes=1)),  # later
            samples.card_state(world.ann, "bio:p", deck_id="bio", due_at=T0 - timedelta(days=1)),
            samples.card_state(world.bob, "geo:a", due_at=T0 - timedelta(days=9)),
        ]
        for state in states:
            uow.card_states.save(state)
        uow.card_flags.suspend(world.ann, "geo:b", T0)  # a suspended card counts nowhere
        uow.card_flags.suspend(world.bob, "bio:q", T0)
        await uow.commit()
        queries = [
            CardCountQuery(learner, decks, limit)
            for learner in (world.ann, world.bob, 999)
            for decks in (("geo",), ("bio", "geo"), ("geo", "geo"), ("nope",), ())
            for limit in (0, 1, 2, 50)
        ]
        due = await uow.card_states.count_due(queries, T0)
        unseen = await uow.card_states.count_unseen(queries)
        due_one_by_one = [
            len(await uow.card_states.due(q.learner_id, q.deck_ids, T0, q.limit)) for q in queries
        ]
        unseen_one_by_one = [
            len(await uow.card_states.unseen_card_ids(q.learner_id, q.deck_ids, q.limit))
            for q in queries
        ]
        assert await uow.card_states.count_due([], T0) == []
        assert await uow.card_states.count_unseen([]) == []
    assert due == due_one_by_one and unseen == unseen_one_by_one
    ann_all = CardCountQuery(world.ann, ("bio", "geo"), 50)
    assert due[queries.index(ann_all)] == 2  # geo:a, bio:p; geo:b suspended, geo:c later
    assert unseen[queries.index(ann_all)] == 2  # bio:q, bio:r
    bob_all = CardCountQuery(world.bob, ("bio", "geo"), 50)
    assert (due[queries.index(bob_all)], unseen[queries.index(bob_all)]) == (1, 4)


async def test_counts_of_a_claim_batch_span_several_statements(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, "geo:a", due_at=T0))
        await uow.commit()
        # More queries than one statement holds, mixed so that each answer's place matters.
        queries = [
            CardCountQuery(world.ann if n % 3 else world.bob, ("geo",), n % 4) for n in range(250)
        ]
        due = await uow.card_states.count_due(queries, T0)
        unseen = await uow.card_states.count_unseen(queries)
    ann = [n % 3 != 0 for n in range(250)]
    assert due == [min(1, n % 4) if ann[n] else 0 for n in range(250)]
    assert unseen == [min(2 if ann[n] else 3, n % 4) for n in range(250)]


async def test_exam_plans_of_many_learners_are_each_ones_plans(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck("bio", "p"), None)
        for learner, deck, days in (
            (world.ann, "geo", 30),
            (world.ann, "bio", 9),
            (world.bob, "geo", 4),
        ):
            uow.exam_plans.save(ExamPlan(learner, deck, DAY0 + timedelta(days=days), 20, 0.9, 90))
        await uow.commit()
        many = await uow.exam_plans.of_learners([world.bob, world.ann, 999, world.ann])
        one_by_one = {
            learner: await uow.exam_plans.of_learner(learner) for learner in (world.ann, world.bob)
        }
        assert await uow.exam_plans.of_learners([]) == {}
    assert many == one_by_one
    assert [plan.deck_id for plan in many[world.ann]] == ["bio", "geo"]  # by exam day
