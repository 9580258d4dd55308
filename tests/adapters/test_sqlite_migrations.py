"""Versioned migrations, and the indexes that keep the minutely and per-learner queries fast."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import aiosqlite
import pytest

from adapters.storage import DatabaseTooNew, SqliteStore, upgrade_database
from adapters.storage.sql.dialect import SQLITE
from adapters.storage.sql.reviews import SqlCardStateRepository
from adapters.storage.sql.subscriptions import SqlSubscriptionRepository
from adapters.storage.sqlite.connection import connect
from adapters.storage.sqlite.migrate import (
    Migration,
    apply_migrations,
    known_migrations,
    split_statements,
)
from core.leeches.model import DEFAULT_LEECH_LAPSES
from tests.adapters.samples import T0

ALL_VERSIONS = [
    (1, "0001_initial"),
    (2, "0002_reviews_public"),
    (3, "0003_chat_community"),
    (4, "0004_deck_content_hash"),
    (5, "0005_fsrs_parameters"),
    (6, "0006_push_leases"),
    (7, "0007_leeches"),
    (8, "0008_anki_history"),
    (9, "0009_exam_plans"),
    (10, "0010_deck_media"),
    (11, "0011_subscription_claims"),
    (12, "0012_uploaded_files"),
    (13, "0013_leech_threshold"),
]


def _versions(db_path: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(db_path)) as db:
        return db.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()


async def test_a_fresh_file_is_migrated_once(db_path: Path) -> None:
    assert await upgrade_database(str(db_path)) == [name for _, name in ALL_VERSIONS]
    assert await upgrade_database(f"sqlite+aiosqlite:///{db_path}") == []
    store = await SqliteStore.open(db_path)
    await store.close()
    assert _versions(db_path) == ALL_VERSIONS


async def test_the_store_migrates_on_open(db_path: Path) -> None:
    store = await SqliteStore.open(db_path)
    await store.close()
    assert _versions(db_path) == ALL_VERSIONS
    assert await upgrade_database(str(db_path)) == []


async def test_a_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    await upgrade_database(str(db_path))
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("INSERT INTO schema_version VALUES (999, '0999_future', 0)")
        db.commit()
    with pytest.raises(DatabaseTooNew, match=r"schema version 999, .* only knows up to 13:"):
        await SqliteStore.open(db_path)
    with pytest.raises(DatabaseTooNew):
        await upgrade_database(str(db_path))


async def test_each_migration_is_its_own_transaction(db_path: Path) -> None:
    good = Migration(1, "0001_good", "CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);\n")
    bad = Migration(2, "0002_bad", "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    later = Migration(3, "0003_later", "CREATE TABLE c (x INTEGER);")
    db = await connect(db_path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
            await apply_migrations(db, [good, bad, later])
        tables = {row[0] for row in await db.execute_fetchall("SELECT name FROM sqlite_master")}
        assert await apply_migrations(db, [good]) == []
    finally:
        await db.close()
    assert _versions(db_path) == [(1, "0001_good")]
    assert {"a", "schema_version"} <= tables and not {"b", "c"} & tables


async def test_the_initial_schema_has_every_table(db_path: Path) -> None:
    await upgrade_database(str(db_path))
    with closing(sqlite3.connect(db_path)) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert sorted(name for (name,) in tables) == [
        "card_flags", "card_states", "cards", "chats", "deck_media", "decks", "exam_plans",
        "fsrs_parameters",
        "hint_prompts", "history_offers", "learners", "quiz_ratings", "quizzes",
        "review_log", "review_sessions", "schema_version", "subscriptions", "uploaded_files",
    ]  # fmt: skip


def test_known_migrations_are_numbered_and_split() -> None:
    migrations = known_migrations()
    assert [(m.version, m.name) for m in migrations] == ALL_VERSIONS
    statements = split_statements(migrations[0].sql)
    assert len(statements) == 22  # 10 tables, 12 indexes
    assert all(s.startswith(("CREATE", "--")) and s.endswith(";") for s in statements)
    assert split_statements("-- only a comment\n") == []
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE x (a INTEGER")


def _fill(db_path: Path, rows: int) -> None:
    """Many learners' states and many subscriptions (foreign keys off: speed, not meaning)."""
    with closing(sqlite3.connect(db_path)) as db:
        db.executemany(
            "INSERT INTO card_states VALUES (?, ?, 'geo', 'fsrs', 1, 0, 1, '2026-11-01',"
            " '2026-11-02', ?, 1.0, 5.0, NULL, 1)",
            ((i % 500, f"geo:{i}", 1_790_000_000_000 + (i * 7919) % 10**9) for i in range(rows)),
        )
        db.executemany(
            "INSERT INTO subscriptions VALUES"
            " (?, ?, NULL, '08:00:00', 'UTC', ?, NULL, 1, NULL, NULL, NULL)",
            ((i, i, 1_790_000_000_000 + (i * 7919) % 10**9) for i in range(rows)),
        )
        db.execute("ANALYZE")
        db.commit()


@pytest.mark.parametrize("rows", [0, 50_000])
async def test_due_queries_use_their_indexes(db_path: Path, rows: int) -> None:
    await upgrade_database(str(db_path))
    _fill(db_path, rows)
    traced: list[str] = []
    async with aiosqlite.connect(db_path) as db:
        await db.set_trace_callback(traced.append)
        await SqlCardStateRepository(db, []).due(7, ["geo", "bio"], T0, 50)
        await SqlSubscriptionRepository(db, db, [], SQLITE).due(T0, 100)
        queries = list(traced)  # before the EXPLAINs below get traced too
        plans = [
            " | ".join(row[3] for row in await db.execute_fetchall(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in queries
        ]
    assert len(plans) == 2
    states_plan, subscriptions_plan = plans
    assert "USING INDEX card_states_due (learner_id=? AND due_at<?)" in states_plan
    assert "USING INDEX subscriptions_due (next_push_at<?)" in subscriptions_plan
    for plan in plans:
        assert "SCAN" not in plan and "TEMP B-TREE" not in plan, plan


async def test_a_version_1_database_keeps_its_learners_and_gets_the_new_setting(
    db_path: Path,
) -> None:
    db = await connect(db_path)
    try:
        await apply_migrations(db, known_migrations()[:1])
    finally:
        await db.close()
    with closing(sqlite3.connect(db_path)) as db:
        db.execute(
            "INSERT INTO learners (platform, platform_user_id, display_name, scheduler,"
            " desired_retention, maximum_interval_days, fuzz, time_zone, new_cards_per_day,"
            " max_reviews_per_day, day_start_minute)"
            " VALUES ('discord', '7', 'Ann', 'sm2', 0.9, 36500, 1, 'Asia/Tokyo', 10, 200, 240)"
        )
        db.commit()
    assert await upgrade_database(str(db_path)) == [
        "0002_reviews_public",
        "0003_chat_community",
        "0004_deck_content_hash",
        "0005_fsrs_parameters",
        "0006_push_leases",
        "0007_leeches",
        "0008_anki_history",
        "0009_exam_plans",
        "0010_deck_media",
        "0011_subscription_claims",
        "0012_uploaded_files",
        "0013_leech_threshold",
    ]
    async with await SqliteStore.open(db_path) as store, store.unit_of_work() as uow:
        ann = await uow.learners.ensure("discord", "7", "Ann")
    assert ann.settings.time_zone == "Asia/Tokyo" and ann.settings.new_cards_per_day == 10
    assert ann.settings.reviews_public is False
    assert ann.settings.leech_threshold == DEFAULT_LEECH_LAPSES
