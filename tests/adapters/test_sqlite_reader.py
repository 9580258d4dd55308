"""Batched reads: concurrent queries share round trips, and each gets its own answer or error."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adapters.storage.sqlite.reader import BatchedReader, InlineReader


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (n INTEGER)")
        db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(100)])
    return path


async def test_concurrent_reads_get_their_own_answers_and_errors(db_file: Path) -> None:
    thread = ThreadPoolExecutor(max_workers=1)
    reader = BatchedReader(db_file, thread)
    await reader.start()
    try:
        queries = [reader.execute_fetchall("SELECT n FROM t WHERE n = ?", (n,)) for n in range(50)]
        queries.append(reader.execute_fetchall("SELECT nope FROM t"))
        answers = await asyncio.gather(*queries, return_exceptions=True)
        assert answers[:50] == [[(n,)] for n in range(50)]
        assert reader.batches_sent == 2  # the first query alone, then the 50 queued behind it
        assert isinstance(answers[50], sqlite3.OperationalError)
        assert await reader.execute_fetchall("SELECT COUNT(*) FROM t") == [(100,)]
    finally:
        await reader.close()
        thread.shutdown()
    with pytest.raises(RuntimeError, match="closed"):
        await reader.execute_fetchall("SELECT 1")


async def test_reader_is_read_only(db_file: Path) -> None:
    thread = ThreadPoolExecutor(max_workers=1)
    reader = BatchedReader(db_file, thread)
    await reader.start()
    try:
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|query_only|read-only"):
            await reader.execute_fetchall("DELETE FROM t")
    finally:
        await reader.close()
        thread.shutdown()


class _LockedConnection:
    """Answers like a connection whose file another process holds exclusively (rare in WAL)."""

    def execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorname = "SQLITE_BUSY"
        raise error

    def close(self) -> None:
        pass


async def test_an_inline_read_that_would_wait_goes_to_the_thread_instead(db_file: Path) -> None:
    thread = ThreadPoolExecutor(max_workers=1)
    batched = BatchedReader(db_file, thread)
    await batched.start()
    inline = InlineReader(db_file, batched)
    try:
        assert await inline.execute_fetchall("SELECT COUNT(*) FROM t") == [(100,)]
        sent = batched.batches_sent
        inline._db.close()  # type: ignore[union-attr]
        inline._db = _LockedConnection()  # type: ignore[assignment]
        assert await inline.execute_fetchall("SELECT n FROM t WHERE n = ?", (7,)) == [(7,)]
        assert batched.batches_sent == sent + 1
    finally:
        inline.close()
        await batched.close()
        thread.shutdown()
