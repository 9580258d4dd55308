"""Every repository method round-trips, on each store: SQLite on a file, PostgreSQL and the
in-memory fake (`each_store`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.decks.model import Card, Deck
from core.learners import LearnerSettings
from core.ports import Store
from core.quiz.model import QuizEnd, QuizPhase
from core.scheduling.model import Rating, SchedulerKind, SchedulerSettings
from tests.adapters import samples
from tests.adapters.conftest import World
from tests.adapters.samples import DAY0, T0


@pytest.fixture
def store(each_store: Store) -> Store:
    return each_store


async def test_learner_ensure_is_idempotent_and_refreshes_the_name(store: Store) -> None:
    async with store.unit_of_work() as uow:
        first = await uow.learners.ensure("telegram", "42", "Ann")
        again = await uow.learners.ensure("telegram", "42", "Ann B.")
        other = await uow.learners.ensure("discord", "42", "Ann")
    assert first.id == again.id != other.id
    assert again.display_name == "Ann B."
    assert first.settings == LearnerSettings()


async def test_learner_settings_round_trip(store: Store, world: World) -> None:
    settings = LearnerSettings(
        scheduler=SchedulerSettings(SchedulerKind.SM2, 0.85, 365, fuzz=False),
        time_zone="America/New_York", new_cards_per_day=7, max_reviews_per_day=55,
        day_start=time(5, 30),
    )  # fmt: skip
    async with store.unit_of_work() as uow:
        uow.learners.save_settings(world.ann, settings)
        await uow.commit()
        ann = await uow.learners.get(world.ann)
        many = await uow.learners.get_many([world.bob, world.ann, 999, world.ann])
        missing = await uow.learners.get(999)
    assert ann is not None and ann.settings == settings
    assert ann.settings.zone == ZoneInfo("America/New_York")
    assert sorted(many) == [world.ann, world.bob]
    assert many[world.ann] == ann and many[world.bob].display_name == "Bob"
    assert missing is None


async def test_chats_round_trip(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        again = await uow.chats.ensure("telegram", "-5", "Study group", True)
        uow.chats.set_active_deck(world.group, "geo")
        await uow.commit()
        group = await uow.chats.get(world.group)
        private = await uow.chats.get(world.private)
        uow.chats.set_active_deck(world.group, None)
        await uow.commit()
        cleared = await uow.chats.get(world.group)
        assert await uow.chats.get(999) is None
    assert again.id == world.group
    assert group is not None and (group.title, group.is_group, group.active_deck_id) == (
        "Study group", True, "geo",
    )  # fmt: skip
    assert private is not None and (private.is_group, private.platform_chat_id) == (False, "100")
    assert cleared is not None and cleared.active_deck_id is None


async def test_unseen_card_ids_in_deck_order(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck("bio", "p", "q"), None)
        uow.card_states.save(samples.card_state(world.ann, "geo:b"))
        await uow.commit()
        both = await uow.card_states.unseen_card_ids(world.ann, ["bio", "geo"], 10)
        first_two = await uow.card_states.unseen_card_ids(world.ann, ["geo", "bio"], 2)
        bobs = await uow.card_states.unseen_card_ids(world.bob, ["geo"], 10)
        none = await uow.card_states.unseen_card_ids(world.ann, [], 10)
    assert both == ["bio:p", "bio:q", "geo:a", "geo:c"]
    assert first_two == ["geo:a", "geo:c"]
    assert bobs == ["geo:a", "geo:b", "geo:c"]
    assert none == []


async def test_review_log_counts_per_day(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, first_review=True))
        uow.reviews.append(samples.review(world.ann, step=1, chat_id=world.group))
        uow.reviews.append(samples.review(world.ann, step=2, day=DAY0 + timedelta(days=1)))
        uow.reviews.append(samples.review(world.bob, step=0, first_review=True))
        await uow.commit()
        today = await uow.reviews.counts_on_day(world.ann, DAY0)
        tomorrow = await uow.reviews.counts_on_day(world.ann, date(2026, 11, 3))
        never = await uow.reviews.counts_on_day(world.ann, date(2026, 12, 1))
    assert (today, tomorrow, never) == ((2, 1), (1, 0), (0, 0))


async def test_review_sessions_round_trip(store: Store, world: World) -> None:
    private = samples.session(11, world.ann, None)
    older = samples.session(12, world.ann, world.group)
    newer = samples.session(13, world.ann, world.group, updated_at=T0 + timedelta(minutes=5))
    async with store.unit_of_work() as uow:
        for item in (private, older, newer):
            uow.sessions.save(item)
        await uow.commit()
        moved = samples.session(12, world.ann, world.group, version=2, step=1,
                                updated_at=T0 + timedelta(minutes=9))  # fmt: skip
        uow.sessions.save(moved)
        await uow.commit()
        assert await uow.sessions.get(11) == private
        assert await uow.sessions.get(12) == moved
        assert await uow.sessions.active_for(world.ann, world.group) == [newer, moved]
        assert await uow.sessions.active_for(world.ann, None) == [private]
        assert await uow.sessions.active_for(world.bob, None) == []
        finished = replace(moved, current_card_id=None, version=3)
        uow.sessions.save(finished)
        await uow.commit()
        assert await uow.sessions.active_for(world.ann, world.group) == [newer]
        assert await uow.sessions.get(99) is None


async def test_quizzes_round_trip(store: Store, world: World) -> None:
    started = samples.quiz(21, world.group, world.ann)
    async with store.unit_of_work() as uow:
        uow.quizzes.save(started)
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.POOR, position=1), 1)
        uow.quizzes.save_rating(samples.quiz_rating(21, world.ann, Rating.FAIR, position=0), 1)
        await uow.commit()
        assert await uow.quizzes.get(21) == started
        uow.quizzes.set_message_ref(21, "tg:-5:42")
        await uow.commit()
        started = replace(started, message_ref="tg:-5:42")
        assert await uow.quizzes.get(21) == started
        assert await uow.quizzes.unfinished_in(world.group) == started
        assert await uow.quizzes.unfinished() == [started]
        ratings = await uow.quizzes.ratings(21)
        assert [(r.position, r.learner_id, r.rating) for r in ratings] == [
            (0, world.ann, Rating.FAIR), (1, world.bob, Rating.POOR),
        ]  # fmt: skip
        assert ratings[1].rated_at == T0 + timedelta(seconds=1)
        finished = samples.quiz(21, world.group, world.ann, version=2, phase=QuizPhase.FINISHED)
        finished = replace(finished, ended_at=T0 + timedelta(minutes=3), deadline_at=None,
                           end_reason=QuizEnd.STOPPED, message_ref="tg:-5:777")  # fmt: skip
        uow.quizzes.save(finished)
        await uow.commit()
        assert await uow.quizzes.get(21) == finished
        assert await uow.quizzes.unfinished_in(world.group) is None
        assert await uow.quizzes.unfinished() == []


@pytest.mark.parametrize("each_store", ["sqlite", "postgres"], indirect=True)  # not the fake
async def test_instants_come_back_aware_utc_to_the_millisecond(store: Store, world: World) -> None:
    berlin = T0.astimezone(ZoneInfo("Europe/Berlin")).replace(microsecond=987654)
    state = samples.card_state(world.ann, due_at=berlin)
    async with store.unit_of_work() as uow:
        uow.card_states.save(state)
        await uow.commit()
        got = await uow.card_states.get(world.ann, "geo:a")
    assert got is not None
    assert got.due_at == berlin.replace(microsecond=987000)
    assert got.due_at.tzinfo is UTC
    assert got.due_at.isoformat() == "2026-11-02T09:00:00.987000+00:00"


async def test_card_cache_sees_a_re_saved_deck(store: Store) -> None:
    first = Deck("cache", "Cache", (Card("cache:a", "Q?", "old answer"),))
    second = Deck("cache", "Cache", (Card("cache:a", "Q?", "new answer"),))
    async with store.unit_of_work() as uow:
        uow.decks.save(first, owner_chat_id=None)
        await uow.commit()
        assert (await uow.decks.cards_by_id(["cache:a"]))["cache:a"].answer == "old answer"
        uow.decks.save(second, owner_chat_id=None)
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert (await uow.decks.cards_by_id(["cache:a"]))["cache:a"].answer == "new answer"
        uow.decks.save(Deck("cache", "Cache", (Card("cache:b", "Other?", "b"),)), None)
        await uow.commit()
        assert await uow.decks.cards_by_id(["cache:a"]) == {}
