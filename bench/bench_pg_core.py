"""Rating throughput of the core on PostgreSQL with 1 and 3 workers, with same-run baselines.

Run: .venv/bin/python bench/bench_pg_core.py [--learners 1000 --cards 100 --ratings 20000
     --concurrency 50 --rounds 3] [--quick]

Ratings per second through the core (ReviewService: reveal + rate, each one unit of work, as in
bench_core.py) on a PostgresStore, with one worker and with three worker processes (each its own
PostgresStore and pool, a third of the learners each, CONCURRENCY learners at once in each),
next to the core on SQLite with one worker and to raw asyncpg doing the same writes (a pool of
10, the same transactions, no reads). Every path runs on a fresh database (PostgreSQL: created for
the round and dropped after it) in `--rounds` interleaved rounds; each path's best round counts.
PostgreSQL is the server on 127.0.0.1:5432 (bench/pg_seed.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.storage.postgres.store import PostgresStore
from adapters.storage.sql.dialect import numbered_placeholders
from bench.bench_core import (
    NOW_MS,
    SESSION,
    CountingRandomness,
    FixedClock,
    core_path,
    prepare,
    rating_writes,
)
from bench.pg_seed import copy_card_states, copy_learners, fresh_database
from core.decks.model import Card, Deck
from core.ports import Store
from core.review.service import ReviewService

WORKERS = 3


class WorkerRandomness(CountingRandomness):
    """Ids of one worker's own range, so three workers never make the same session id."""

    def __init__(self, worker: int) -> None:
        super().__init__()
        self._next = (worker + 1) * 10**12


async def prepare_postgres(
    url: str, learners: int, cards: int, *, platform: str = "bench", first_id: int = 1
) -> None:
    store = await PostgresStore.open(url)  # applies the migrations
    deck = Deck(
        "bench", "Bench", tuple(Card(f"bench:c{c}", f"q{c}", f"a{c}") for c in range(cards))
    )
    async with store.unit_of_work() as uow:
        uow.decks.save(deck, owner_chat_id=None)
        await uow.commit()
    await store.close()
    await copy_learners(url, learners, platform=platform, first_id=first_id)
    await copy_card_states(url, learners, cards, first_id=first_id)


async def study_on(
    store: Store, worker: int, learner_ids: list[int], per_learner: int, concurrency: int
) -> None:
    service = ReviewService(store, FixedClock(), WorkerRandomness(worker))
    async with store.unit_of_work() as uow:
        people = [await uow.learners.get(i) for i in learner_ids]
    gate = asyncio.Semaphore(concurrency)

    async def study(learner) -> None:  # type: ignore[no-untyped-def]
        async with gate:
            screen = await service.start(learner, None, ["bench"])
            for n in range(per_learner):
                answer = (await service.press(learner, screen.buttons[0][0].action)).updated
                result = await service.press(learner, answer.buttons[0][n % 5].action)
                assert result.follow_up is not None
                screen = result.follow_up

    await asyncio.gather(*(study(p) for p in people))


async def _worker(url: str, worker: int, learner_ids: list[int], per: int, conc: int) -> tuple:  # type: ignore[type-arg]
    store = await PostgresStore.open(url)
    try:
        started = time.time()
        await study_on(store, worker, learner_ids, per, conc)
        return started, time.time()
    finally:
        await store.close()


def worker_process(args: tuple) -> tuple:  # type: ignore[type-arg]
    return asyncio.run(_worker(*args))


def postgres_core(url: str, workers: int, learners: int, ratings: int, concurrency: int) -> float:
    """Ratings/s over `workers` processes, from the first worker's start to the last's end."""
    per_learner = ratings // learners
    shares = [list(range(1 + w, learners + 1, workers)) for w in range(workers)]
    jobs = [(url, w, shares[w], per_learner, concurrency) for w in range(workers)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        spans = pool.map(worker_process, jobs)
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return per_learner * learners / elapsed


async def raw_asyncpg(url: str, learners: int, ratings: int, concurrency: int) -> float:
    pool = await asyncpg.create_pool(url, min_size=10, max_size=10)
    assert pool is not None
    await pool.executemany(
        numbered_placeholders(SESSION),
        [(10**9 + i, i, NOW_MS, NOW_MS) for i in range(1, learners + 1)],
    )
    gate, per_learner = asyncio.Semaphore(concurrency), ratings // learners

    async def transaction(statements: list[tuple[str, tuple[object, ...]]]) -> None:
        async with pool.acquire() as db, db.transaction():
            for sql, params in statements:
                await db.execute(numbered_placeholders(sql), *params)

    async def study(learner: int) -> None:
        async with gate:
            for n in range(per_learner):
                writes = rating_writes(learner, n)
                await transaction(writes[:1])
                await transaction(writes[1:])

    started = time.perf_counter()
    await asyncio.gather(*(study(i) for i in range(1, learners + 1)))
    elapsed = time.perf_counter() - started
    await pool.close()
    return per_learner * learners / elapsed


async def one_round(args: argparse.Namespace, n: int, tmp: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for name, workers in (("postgres_core_1", 1), ("postgres_core_3", WORKERS)):
        async with fresh_database(f"{name}_{n}") as url:
            await prepare_postgres(url, args.learners, args.cards)
            run = postgres_core, url, workers, args.learners, args.ratings, args.concurrency
            figures[name] = await asyncio.to_thread(*run)
    path = tmp / f"core-{n}.db"
    await prepare(path, args.learners, args.cards)
    figures["sqlite_core_1"] = await core_path(path, args.learners, args.ratings, args.concurrency)
    async with fresh_database(f"raw_{n}") as url:
        await prepare_postgres(url, args.learners, args.cards)
        figures["raw_asyncpg"] = await raw_asyncpg(
            url, args.learners, args.ratings, args.concurrency
        )
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each path's best counts")
    parser.add_argument("--quick", action="store_true", help="one round of 5,000 ratings")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.ratings = 1, 5_000

    rounds: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            for name, value in (await one_round(args, n, Path(tmp))).items():
                rounds.setdefault(name, []).append(value)
    best = {name: max(values) for name, values in rounds.items()}
    raw = best["raw_asyncpg"]
    print(
        f"ratings/s (reveal + rate, {args.ratings} ratings, {args.concurrency} learners at once"
        f" per worker; best of {args.rounds} rounds):"
    )
    for name, value in best.items():
        print(f"  {name:16s} {value:8.0f}  ({value / raw:.0%} of raw asyncpg)"
              f"  rounds {', '.join(f'{v:.0f}' for v in rounds[name])}")  # fmt: skip
    one, three, sqlite = best["postgres_core_1"], best["postgres_core_3"], best["sqlite_core_1"]
    print(
        f"  3 workers / 1 worker on PostgreSQL: {three / one:.2f}x;"
        f" PostgreSQL 1 worker / SQLite 1 worker: {one / sqlite:.2f}x"
    )
    figures = {
        "ratings_per_s": {name: round(value) for name, value in best.items()},
        "ratings_per_s_rounds": {k: [round(v) for v in vs] for k, vs in rounds.items()},
        "vs_raw_asyncpg": {name: round(value / raw, 2) for name, value in best.items()},
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
