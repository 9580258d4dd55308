"""Optimistic concurrency, unique keys and all-or-nothing commits."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.storage.sql.unit_of_work import SqlUnitOfWork
from adapters.storage.sqlite.store import SqliteStore
from core.errors import ConcurrencyConflict
from core.quiz.model import QuizPhase
from core.scheduling.model import Rating
from tests.adapters import samples
from tests.adapters.conftest import World, count


async def test_stale_version_conflicts_and_writes_nothing_from_the_unit(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, version=1))
        await uow.commit()
        uow.card_states.save(
            samples.card_state(world.ann, version=2, memory=samples.fsrs_memory(5))
        )
        await uow.commit()
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann))  # would succeed on its own
        uow.sessions.save(samples.session(11, world.ann, None))  # would succeed on its own
        uow.card_states.save(samples.card_state(world.ann, version=2))  # stale: row is at 2
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        state = await uow.card_states.get(world.ann, "geo:a")
    assert state is not None and state.version == 2 and state.memory.interval_days == 5
    assert count(db_path, "review_log") == 0
    assert count(db_path, "review_sessions") == 0


async def test_update_of_a_missing_row_conflicts(store: SqliteStore, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.sessions.save(samples.session(11, world.ann, None, version=2))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()


@pytest.mark.parametrize("kind", ["card_state", "session", "quiz", "subscription"])
async def test_inserting_an_existing_version_1_row_conflicts(
    store: SqliteStore, world: World, db_path: Path, kind: str
) -> None:
    def stage(uow: SqlUnitOfWork) -> None:
        if kind == "card_state":
            uow.card_states.save(samples.card_state(world.ann))
        elif kind == "session":
            uow.sessions.save(samples.session(11, world.ann, None))
        elif kind == "quiz":
            uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        else:
            uow.subscriptions.save(samples.subscription(31, world.group, None))

    async with store.unit_of_work() as uow:
        stage(uow)
        await uow.commit()
        stage(uow)
        uow.reviews.append(samples.review(world.bob))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    assert count(db_path, "review_log") == 0


async def test_review_log_key_is_unique(store: SqliteStore, world: World, db_path: Path) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=3))
        await uow.commit()
        uow.reviews.append(samples.review(world.ann, step=3))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        uow.reviews.append(samples.review(world.ann, step=4))  # the next step is a new key
        await uow.commit()
    assert count(db_path, "review_log", "step = 3") == 1
    assert count(db_path, "review_log") == 2


async def test_one_unfinished_quiz_per_chat(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        await uow.commit()
        uow.quizzes.save(samples.quiz(22, world.group, world.bob))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        uow.quizzes.save(samples.quiz(23, world.private, world.ann))  # another chat is fine
        await uow.commit()
        uow.quizzes.save(samples.quiz(21, world.group, world.ann, version=2,
                                      phase=QuizPhase.FINISHED))  # fmt: skip
        uow.quizzes.save(samples.quiz(22, world.group, world.bob))  # now the chat is free
        await uow.commit()
        current = await uow.quizzes.unfinished_in(world.group)
    assert current is not None and current.id == 22
    assert count(db_path, "quizzes") == 3


async def test_quiz_rating_replaces_the_earlier_one(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.POOR), 1)
        await uow.commit()
        later = replace(samples.quiz_rating(21, world.bob, Rating.PERFECTLY),
                        rated_at=samples.T0.replace(hour=10))  # fmt: skip
        uow.quizzes.save_rating(later, 1)
        await uow.commit()
        ratings = await uow.quizzes.ratings(21)
    assert ratings == [later]
    assert count(db_path, "quiz_ratings") == 1


async def test_deck_resave_keeps_card_ids_and_drops_removed_cards(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, "geo:a"))
        uow.card_states.save(samples.card_state(world.ann, "geo:b"))
        await uow.commit()
        edited = samples.deck("geo", "d", "a", name="Geography 2")  # b and c dropped, d added
        edited = replace(edited, cards=(edited.cards[0], replace(edited.cards[1], answer="new")))
        uow.decks.save(edited, None)
        await uow.commit()
        cards = await uow.decks.cards("geo")
        info = await uow.decks.get("geo")
        kept = await uow.card_states.get(world.ann, "geo:a")
        dropped = await uow.card_states.get(world.ann, "geo:b")
    assert [(c.id, c.answer) for c in cards] == [("geo:d", "A d"), ("geo:a", "new")]
    assert info is not None and (info.name, info.card_count) == ("Geography 2", 2)
    assert kept is not None and kept.version == 1  # progress on a kept card survives
    assert dropped is None  # a dropped card takes its states with it
    assert count(db_path, "cards") == 2
    assert count(db_path, "decks", "revision = 2") == 1


async def test_unit_exited_without_commit_writes_nothing(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann))
        uow.card_states.save(samples.card_state(world.ann))
    async with store.unit_of_work() as uow:
        await uow.commit()  # nothing staged: nothing to write
    with pytest.raises(RuntimeError, match="boom"):
        async with store.unit_of_work() as uow:
            uow.reviews.append(samples.review(world.ann))
            raise RuntimeError("boom")
    assert count(db_path, "review_log") == 0
    assert count(db_path, "card_states") == 0


async def test_a_broken_reference_is_an_error_not_a_conflict(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(999))  # no such learner
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            await uow.commit()
    assert count(db_path, "card_states") == 0


async def test_quiz_rating_for_an_older_quiz_version_is_a_conflict(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        await uow.commit()
        uow.quizzes.save(samples.quiz(21, world.group, world.ann, version=2))
        await uow.commit()
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.GOOD), 1)
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    assert count(db_path, "quiz_ratings") == 0
