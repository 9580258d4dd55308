"""The PostgreSQL backend beyond the shared contract: URLs, migrations under the advisory lock,
a database newer than the code, and the CLI on it. Skipped where no server answers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from adapters.storage import (
    DatabaseTooNew,
    DatabaseUnreachable,
    PostgresStore,
    open_store,
    upgrade_database,
)
from adapters.storage.postgres.migrate import known_migrations as postgres_migrations
from adapters.storage.sqlite.migrate import known_migrations as sqlite_migrations
from core.errors import ConcurrencyConflict
from tests.adapters import samples
from tests.adapters.samples import DAY0
from tests.committed_rows import committed_rows


def test_each_sqlite_migration_has_a_postgres_twin() -> None:
    """Same numbers and names in both folders, so a new migration cannot miss its twin."""
    sqlite = [(m.version, m.name) for m in sqlite_migrations()]
    postgres = [(m.version, m.name) for m in postgres_migrations()]
    assert sqlite == postgres and sqlite[:1] == [(1, "0001_initial")]


@pytest.mark.parametrize("scheme", ["postgresql+asyncpg", "postgresql", "postgres"])
async def test_every_postgres_url_scheme_opens_a_postgres_store(
    postgres_url: str, scheme: str
) -> None:
    store = await open_store(scheme + "://" + postgres_url.split("://", 1)[1])
    try:
        assert isinstance(store, PostgresStore)
        async with store.unit_of_work() as uow:
            learner = await uow.learners.ensure("telegram", "1", "Ann")
        assert learner.id == 1  # an identity column, restarted with the table
    finally:
        await store.close()


async def test_two_workers_saving_the_same_version_at_once_land_one(postgres_url: str) -> None:
    """Each store is a worker with a pool of its own; their transactions really overlap."""
    first, second = [await PostgresStore.open(postgres_url) for _ in range(2)]
    try:
        async with first.unit_of_work() as uow:
            ann = (await uow.learners.ensure("telegram", "100", "Ann")).id
            uow.decks.save(samples.deck(), None)
            uow.card_states.save(samples.card_state(ann))
            await uow.commit()

        async def rate(store: PostgresStore, step: int) -> BaseException | None:
            async with store.unit_of_work() as uow:
                uow.card_states.save(samples.card_state(ann, version=2))  # both read version 1
                uow.reviews.append(samples.review(ann, source_id=step))
                try:
                    await uow.commit()
                except ConcurrencyConflict as conflict:
                    return conflict
            return None

        for _ in range(5):
            outcomes = await asyncio.gather(rate(first, 1), rate(second, 2))
            assert sorted(outcome is None for outcome in outcomes) == [False, True]
            async with first.unit_of_work() as uow:
                state = await uow.card_states.get(ann, "geo:a")
                assert state is not None and state.version == 2
                assert await uow.reviews.counts_on_day(ann, DAY0) == (1, 0)  # the loser's: none
            await _execute(postgres_url, "UPDATE card_states SET version = 1")
            await _execute(postgres_url, "DELETE FROM review_log")
    finally:
        await first.close()
        await second.close()


async def test_two_stores_opening_at_once_migrate_once(fresh_postgres_url: str) -> None:
    stores = await asyncio.gather(*(PostgresStore.open(fresh_postgres_url) for _ in range(3)))
    for store in stores:
        await store.close()
    versions = committed_rows(stores[0], "SELECT version FROM schema_version ORDER BY version")
    assert versions == [(m.version,) for m in postgres_migrations()]


async def test_db_upgrade_applies_each_migration_once(fresh_postgres_url: str) -> None:
    assert await upgrade_database(fresh_postgres_url) == [m.name for m in postgres_migrations()]
    assert await upgrade_database(fresh_postgres_url) == []


async def test_a_database_newer_than_the_code_is_refused(fresh_postgres_url: str) -> None:
    store = await PostgresStore.open(fresh_postgres_url)
    await store.close()
    latest = postgres_migrations()[-1].version
    await _execute(
        fresh_postgres_url,
        "INSERT INTO schema_version (version, name, applied_at) VALUES (999, '0999_future', 0)",
    )
    with pytest.raises(DatabaseTooNew, match=rf"schema version 999, .* only knows up to {latest}:"):
        await open_store(fresh_postgres_url)
    with pytest.raises(DatabaseTooNew):
        await upgrade_database(fresh_postgres_url)


async def test_an_unknown_database_is_a_clear_error(postgres_url: str) -> None:
    missing = postgres_url.rsplit("/", 1)[0] + "/quizbot_no_such_database"
    with pytest.raises(DatabaseUnreachable, match="quizbot_no_such_database"):
        await open_store(missing)


def test_the_cli_upgrades_and_lists_decks_on_postgres(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_postgres_url.replace("postgresql://", "postgres://")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("DISCORD_BOT_TOKEN", None)

    def quizbot(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from bot.cli import main; main()", *args],
            input=input,
            cwd=tmp_path,  # no .env of the checkout
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    upgraded = quizbot("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Applied: 0001_initial" in upgraded.stdout
    listed = quizbot("deck", "list")
    assert listed.returncode == 0, listed.stderr
    assert "neural-nets" in listed.stdout, listed.stdout
    (tmp_path / "mine.csv").write_text("front,back\nWhat is 2+2?,4\n", encoding="utf-8")
    imported = quizbot("deck", "import", str(tmp_path / "mine.csv"), "--name", "Mine")
    assert imported.returncode == 0, imported.stderr
    played = quizbot("play", "--deck", "Mine", "--user", "ann", input="\n4\nq\n")
    assert played.returncode == 0, played.stderr
    stats = quizbot("stats", "--user", "ann")
    assert stats.returncode == 0, stats.stderr
    assert committed_rows(fresh_postgres_url, "SELECT rating FROM review_log") == [(4,)]


async def _execute(database_url: str, sql: str) -> None:
    db = await asyncpg.connect(database_url)
    try:
        await db.execute(sql)
    finally:
        await db.close()


def test_the_cli_says_when_postgres_cannot_be_reached(tmp_path: Path) -> None:
    # Port 9 (discard) on 127.0.0.1: nothing listens there; no server is needed for this test.
    env = {**os.environ, "DATABASE_URL": "postgresql://quizbot:secret@127.0.0.1:9/quizbot"}
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "deck", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "cannot open the PostgreSQL database of DATABASE_URL" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr + done.stdout
