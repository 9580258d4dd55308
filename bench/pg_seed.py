"""Fresh PostgreSQL databases for the benches, seeded with COPY.

Each bench database is created for one run and dropped at its end (`quizbot_bench_<pid>_<hex>`);
no other database is touched. The server is the one the tests use: 127.0.0.1:5432, trust auth,
user postgres (or BENCH_POSTGRES_URL, an admin URL).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from itertools import islice

import asyncpg

__all__ = [
    "ADMIN_URL",
    "DAY_MS",
    "NOW",
    "NOW_MS",
    "copy_card_states",
    "copy_chats",
    "copy_learners",
    "copy_subscriptions",
    "fresh_database",
]

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
DAY_MS = 86_400_000
_CHUNK = 200_000  # records per COPY: bounded memory for 10,000,000 rows


def _url_for(database: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + database


@asynccontextmanager
async def fresh_database(label: str) -> AsyncIterator[str]:
    """Create an empty database of this run's own; yield its URL; drop it afterwards."""
    name = f"quizbot_bench_{os.getpid()}_{secrets.token_hex(3)}_{label}"
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _url_for(name)
    finally:
        admin = await asyncpg.connect(ADMIN_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def _chunks(records: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


async def _copy(url: str, table: str, columns: list[str], records: Iterable[tuple[object, ...]]):  # type: ignore[no-untyped-def]
    db = await asyncpg.connect(url)
    try:
        # A bulk load of rows known to be consistent: skip the per-row foreign-key triggers.
        await db.execute("SET session_replication_role = replica")
        for chunk in _chunks(records):
            await db.copy_records_to_table(table, records=chunk, columns=columns)
        await db.execute(f"ANALYZE {table}")
    finally:
        await db.close()


async def copy_learners(
    url: str, learners: int, *, platform: str = "bench", first_id: int = 1
) -> None:
    columns = [
        "id", "platform", "platform_user_id", "display_name", "scheduler", "desired_retention",
        "maximum_interval_days", "fuzz", "time_zone", "new_cards_per_day", "max_reviews_per_day",
        "day_start_minute",
    ]  # fmt: skip
    rows = (
        (i, platform, str(i), f"learner {i}", "fsrs", 0.9, 36500, 1, "UTC", 20, 1000, 240)
        for i in range(first_id, first_id + learners)
    )
    await _copy(url, "learners", columns, rows)
    await _move_identity(url, "learners", first_id + learners)


async def copy_card_states(
    url: str, learners: int, cards: int, *, deck: str = "bench", first_id: int = 1
) -> None:
    """Every card of `deck` due a day ago (spread over that day) for every learner."""
    columns = [
        "learner_id", "card_id", "deck_id", "scheduler", "reps", "lapses", "interval_days",
        "last_review_day", "due_day", "due_at", "stability", "difficulty", "ease", "version",
    ]  # fmt: skip
    due = NOW_MS - DAY_MS
    card_ids = [f"{deck}:c{c}" for c in range(cards)]
    rows = (
        (lid, cid, deck, "fsrs", 1, 0, 2, "2026-10-30", "2026-11-01",
         due + (lid * 7 + n) % DAY_MS, 2.3, 5.0, None, 1)
        for lid in range(first_id, first_id + learners)
        for n, cid in enumerate(card_ids)
    )  # fmt: skip
    await _copy(url, "card_states", columns, rows)


async def copy_chats(url: str, chats: int, *, platform: str = "bench", first_id: int = 1) -> None:
    columns = ["id", "platform", "platform_chat_id", "title", "is_group"]
    rows = ((i, platform, str(i), "chat", 0) for i in range(first_id, first_id + chats))
    await _copy(url, "chats", columns, rows)
    await _move_identity(url, "chats", first_id + chats)


async def copy_subscriptions(
    url: str, next_push_ms: Iterable[tuple[int, int, int | None]], *, deck: str | None = None
) -> None:
    """Subscriptions from (id = chat id, next push in ms, learner id or None for a group), each
    on `deck` when given (else the chat's decks)."""
    columns = [
        "id", "chat_id", "learner_id", "local_time", "time_zone", "next_push_at",
        "last_sent_day", "version", "deck_id",
    ]  # fmt: skip
    rows = ((i, i, learner, "08:00", "UTC", at, None, 1, deck) for i, at, learner in next_push_ms)
    await _copy(url, "subscriptions", columns, rows)


async def _move_identity(url: str, table: str, past: int) -> None:
    """Rows copied with explicit ids leave the identity behind: the next id the store's own
    inserts take comes after them."""
    db = await asyncpg.connect(url)
    try:
        await db.execute(f"ALTER TABLE {table} ALTER COLUMN id RESTART WITH {past}")
    finally:
        await db.close()
