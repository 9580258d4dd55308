"""Group commit: many concurrent units share transactions, and only offending units fail."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.storage.sqlite.store import SqliteStore
from adapters.storage.sqlite.writer import GroupWriter, Write
from core.errors import ConcurrencyConflict
from core.scheduling.model import Rating
from tests.adapters import samples
from tests.adapters.conftest import World, count

CARDS = 200


@pytest_asyncio.fixture
async def big_deck(store: SqliteStore, world: World) -> list[str]:
    deck = samples.deck("big", *(f"k{i:03}" for i in range(CARDS)), name="Big")
    async with store.unit_of_work() as uow:
        uow.decks.save(deck, None)
        await uow.commit()
    return [card.id for card in deck.cards]


async def _rate(
    store: SqliteStore, learner_id: int, card_id: str, index: int, version: int
) -> None:
    """One rating as the review service would do it: read, stage three writes, commit."""
    async with store.unit_of_work() as uow:
        await uow.card_states.get(learner_id, card_id)
        uow.card_states.save(
            samples.card_state(learner_id, card_id, deck_id="big", version=version)
        )
        uow.reviews.append(samples.review(learner_id, card_id, source_id=index))
        uow.quizzes.save_rating(samples.quiz_rating(21, learner_id, Rating.GOOD,
                                                    position=index), 1)  # fmt: skip
        await uow.commit()


async def _start_quiz(store: SqliteStore, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        await uow.commit()


async def test_200_concurrent_units_all_land_in_few_transactions(
    store: SqliteStore, world: World, big_deck: list[str], db_path: Path
) -> None:
    await _start_quiz(store, world)
    before = store.transactions_committed
    results = await asyncio.gather(
        *(_rate(store, world.ann, card_id, i, 1) for i, card_id in enumerate(big_deck))
    )
    assert results == [None] * CARDS
    assert count(db_path, "card_states", "learner_id = ? AND version = 1", (world.ann,)) == CARDS
    assert count(db_path, "review_log") == CARDS
    assert count(db_path, "quiz_ratings") == CARDS
    assert 1 <= store.transactions_committed - before < CARDS // 2  # reads make arrivals uneven


async def test_units_queued_together_share_one_transaction(
    store: SqliteStore, world: World, big_deck: list[str], db_path: Path
) -> None:
    async def stage_and_commit(card_id: str) -> None:
        async with store.unit_of_work() as uow:
            uow.card_states.save(samples.card_state(world.bob, card_id, deck_id="big"))
            await uow.commit()

    before = store.transactions_committed
    await asyncio.gather(*(stage_and_commit(card_id) for card_id in big_deck))
    assert store.transactions_committed - before == 1
    assert count(db_path, "card_states", "learner_id = ?", (world.bob,)) == CARDS


async def test_only_the_3_stale_units_fail_and_the_rest_land(
    store: SqliteStore, world: World, big_deck: list[str], db_path: Path
) -> None:
    await _start_quiz(store, world)
    await asyncio.gather(*(_rate(store, world.ann, c, i, 1) for i, c in enumerate(big_deck)))
    stale = {7, 100, 199}
    results = await asyncio.gather(
        *(
            _rate(store, world.ann, card_id, CARDS + i, 3 if i in stale else 2)
            for i, card_id in enumerate(big_deck)
        ),
        return_exceptions=True,
    )
    failed = {i for i, result in enumerate(results) if result is not None}
    assert failed == stale
    assert all(isinstance(results[i], ConcurrencyConflict) for i in stale)
    assert count(db_path, "card_states", "version = 2") == CARDS - 3
    assert count(db_path, "card_states", "version = 1") == 3
    assert count(db_path, "card_states", "version = 1 AND card_id = ?", ("big:k100",)) == 1
    assert count(db_path, "review_log") == CARDS + CARDS - 3
    assert count(db_path, "quiz_ratings") == CARDS + CARDS - 3


async def test_two_units_racing_for_one_row_in_a_group_one_wins(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async def claim(subscription_id: int, step: int) -> None:
        async with store.unit_of_work() as uow:
            uow.subscriptions.save(samples.subscription(subscription_id, world.group, None,
                                                        version=2))  # fmt: skip
            uow.reviews.append(samples.review(world.ann, step=step))
            await uow.commit()

    async with store.unit_of_work() as uow:
        uow.subscriptions.save(samples.subscription(31, world.group, None))
        await uow.commit()
    results = await asyncio.gather(claim(31, 1), claim(31, 2), return_exceptions=True)
    assert results[0] is None and isinstance(results[1], ConcurrencyConflict)
    assert count(db_path, "review_log") == 1
    assert count(db_path, "review_log", "step = 1") == 1


async def test_a_failing_unit_with_another_error_fails_alone(
    store: SqliteStore, world: World, big_deck: list[str], db_path: Path
) -> None:
    await _start_quiz(store, world)
    results = await asyncio.gather(
        *(_rate(store, world.ann, card_id, i, 1) for i, card_id in enumerate(big_deck[:20])),
        _rate(store, 999, big_deck[20], 20, 1),  # no such learner: a foreign key error
        *(_rate(store, world.bob, card_id, i, 1) for i, card_id in enumerate(big_deck[:20])),
        return_exceptions=True,
    )
    errors = [(i, type(result)) for i, result in enumerate(results) if result is not None]
    assert errors == [(20, sqlite3.IntegrityError)]
    assert count(db_path, "card_states") == 40
    assert count(db_path, "review_log") == 40
    await _rate(store, world.ann, big_deck[30], 30, 1)  # the writer is still alive
    assert count(db_path, "card_states") == 41


async def test_mixed_units_interleaved_all_land(
    store: SqliteStore, world: World, big_deck: list[str], db_path: Path
) -> None:
    async def save_deck(index: int) -> None:
        async with store.unit_of_work() as uow:
            uow.decks.save(samples.deck(f"d{index}", "x", "y"), world.group)
            await uow.commit()

    async def open_session(index: int) -> None:
        async with store.unit_of_work() as uow:
            uow.sessions.save(samples.session(1000 + index, world.bob, world.group))
            await uow.commit()

    await _start_quiz(store, world)
    jobs = []
    for i in range(30):
        jobs += [_rate(store, world.ann, big_deck[i], i, 1), save_deck(i), open_session(i)]
    assert await asyncio.gather(*jobs) == [None] * 90
    assert count(db_path, "card_states") == 30
    assert count(db_path, "decks", "owner_chat_id = ?", (world.group,)) == 30
    assert count(db_path, "cards", "deck_id LIKE 'd%'") == 60
    assert count(db_path, "review_sessions") == 30


async def test_close_applies_what_is_already_queued(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async def log(step: int) -> None:
        async with store.unit_of_work() as uow:
            uow.reviews.append(samples.review(world.ann, step=step))
            await uow.commit()

    tasks = [asyncio.create_task(log(step)) for step in range(50)]
    await asyncio.sleep(0)  # every task stages and queues its writes, none is applied yet
    await store.close()
    assert [task.result() for task in tasks] == [None] * 50
    assert count(db_path, "review_log") == 50
    late = store.unit_of_work
    with pytest.raises(RuntimeError, match="closed"):
        late()


async def test_a_write_lock_held_elsewhere_delays_the_commit_not_the_event_loop(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async def save_state() -> None:
        async with store.unit_of_work() as uow:
            uow.card_states.save(samples.card_state(world.bob))
            await uow.commit()

    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # e.g. `quizbot db upgrade` or a backup in another process
        pending = asyncio.create_task(save_state())
        started = time.perf_counter()
        for _ in range(10):
            await asyncio.sleep(0.01)
        assert time.perf_counter() - started < 1  # the loop kept turning meanwhile
        assert not pending.done()
        other.execute("COMMIT")
    await pending
    assert count(db_path, "card_states", "learner_id = ?", (world.bob,)) == 1


async def test_a_big_group_and_frequent_checkpoints_land_through_the_thread(tmp_path: Path) -> None:
    db_path = tmp_path / "w.db"
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    thread = ThreadPoolExecutor(max_workers=1)
    writer = GroupWriter(db_path, thread, max_inline_writes=10, checkpoint_every=1)
    await writer.start()
    try:
        await writer.submit([Write("INSERT INTO t VALUES (?)", (n,), 1) for n in range(50)])
        await writer.submit([Write("INSERT INTO t VALUES (?)", (50,), 1)])
    finally:
        await writer.close()
        thread.shutdown()
    assert count(db_path, "t") == 51
    assert writer.transactions_committed == 2


async def test_the_wal_is_checkpointed_and_reused_under_steady_writes(tmp_path: Path) -> None:
    db_path = tmp_path / "w.db"
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT)")
    thread = ThreadPoolExecutor(max_workers=1)
    writer = GroupWriter(db_path, thread, checkpoint_every=5)
    await writer.start()
    try:
        for n in range(300):  # one group each: 300 transactions, ~600 WAL frames unchecked
            await writer.submit([Write("INSERT INTO t VALUES (?, ?)", (n, "x" * 500), 1)])
        wal_bytes = (tmp_path / "w.db-wal").stat().st_size
    finally:
        await writer.close()
        thread.shutdown()
    assert count(db_path, "t") == 300
    assert wal_bytes < 200_000
