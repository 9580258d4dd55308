"""Opening and closing the SQLite store: URLs, PRAGMAs, clean shutdown, committed-only reads."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from adapters.storage import SqliteStore, open_store
from adapters.storage.sqlite.connection import sqlite_path
from tests.adapters import samples
from tests.adapters.conftest import World, count


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite+aiosqlite:///data/q.db", Path("data/q.db")),
        ("sqlite:///q.db", Path("q.db")),
        ("sqlite+aiosqlite:////srv/quizbot/q.db", Path("/srv/quizbot/q.db")),
        ("sqlite:////srv/q.db?timeout=5", Path("/srv/q.db")),
        ("var/q.db", Path("var/q.db")),
        ("/abs/q.db", Path("/abs/q.db")),
    ],
)
def test_sqlite_urls_name_files(url: str, path: Path) -> None:
    assert sqlite_path(url) == path


@pytest.mark.parametrize("url", [":memory:", "sqlite://", "sqlite:///:memory:", "sqlite:q.db"])
def test_urls_without_a_file_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"needs a database file|expected sqlite"):
        sqlite_path(url)


async def test_open_store_picks_the_backend_by_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = await open_store("sqlite+aiosqlite:///nested/dir/rel.db")
    await relative.close()
    absolute = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'abs.db'}")
    await absolute.close()
    plain = await open_store(str(tmp_path / "plain.db"))
    await plain.close()
    assert isinstance(relative, SqliteStore) and isinstance(plain, SqliteStore)
    assert sorted(p.name for p in tmp_path.rglob("*.db")) == ["abs.db", "plain.db", "rel.db"]
    assert (tmp_path / "nested" / "dir" / "rel.db").is_file()
    with pytest.raises(ValueError, match="'mysql'"):
        await open_store("mysql://localhost/quizbot")


async def test_the_file_is_in_wal_mode(store: SqliteStore, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_reads_see_committed_data_only(store: SqliteStore, world: World) -> None:
    async with store.unit_of_work() as uow, store.unit_of_work() as other:
        uow.card_states.save(samples.card_state(world.ann))
        assert await uow.card_states.get(world.ann, "geo:a") is None
        await uow.commit()
        assert await other.card_states.get(world.ann, "geo:a") == samples.card_state(world.ann)


async def test_a_unit_can_commit_again_after_a_conflict(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    async with store.unit_of_work() as uow:
        uow.sessions.save(samples.session(11, world.ann, None, version=5))
        with pytest.raises(Exception, match="Someone else changed this"):
            await uow.commit()
        uow.sessions.save(samples.session(11, world.ann, None))
        await uow.commit()
    assert count(db_path, "review_sessions") == 1


async def test_close_is_clean_and_idempotent(db_path: Path) -> None:
    threads_before = set(threading.enumerate())
    store = await SqliteStore.open(db_path)
    try:
        # Only the store's own: aiosqlite's migration thread may still be winding down.
        started = {
            t for t in set(threading.enumerate()) - threads_before if t.name.startswith("sqlite")
        }
        async with store.unit_of_work() as uow:
            await uow.learners.ensure("telegram", "1", "Ann")
    finally:
        await store.close()
    await store.close()
    assert len(started) == 1  # one thread serves the writer's and the reader's connections
    for thread in started:
        thread.join(timeout=5)
        assert not thread.is_alive()
    with pytest.raises(RuntimeError, match="closed"):
        store.unit_of_work()
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("SELECT display_name FROM learners").fetchall() == [("Ann",)]


async def test_the_store_is_an_async_context_manager(db_path: Path) -> None:
    async with await SqliteStore.open(db_path) as store, store.unit_of_work() as uow:
        chat = await uow.chats.ensure("discord", "g1", "Guild", True)
    assert chat.id == 1
    with pytest.raises(RuntimeError, match="closed"):
        store.unit_of_work()
