"""Batched reads: the queries of many concurrent units go to a reader thread in one hop.

Every hop to a connection thread costs the event loop a wake-up and a future, and under load a
wait for the loop to come round again; a unit of work reads several times per button press. So
reads issued in the same loop iteration are sent together and answered together, the read-side
twin of the writer's group commit. The interface is aiosqlite's `execute_fetchall`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from adapters.storage.sql.execution import Reader
from adapters.storage.sqlite.connection import connect_sync

__all__ = ["BatchedReader", "InlineReader", "Reader"]

_Query = tuple[str, Sequence[Any]]
_Answer = list[Any] | BaseException


class BatchedReader:
    """One read-only connection on the store's SQLite thread, fed in batches."""

    def __init__(self, path: Path, thread: ThreadPoolExecutor) -> None:
        self._path = path
        self._thread = thread
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[_Query, asyncio.Future[list[Any]]]] = []
        self._in_flight = False
        self.batches_sent = 0  # for metrics, and for tests to see batching happen

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._db = await loop.run_in_executor(self._thread, connect_sync, self._path, True)

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> list[Any]:
        if self._db is None:
            raise RuntimeError("the SQLite store is closed")
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._pending.append(((sql, tuple(parameters or ())), future))
        if not self._in_flight:
            self._send()
        return await future

    async def close(self) -> None:
        while self._in_flight or self._pending:
            await asyncio.sleep(0)
        db, self._db = self._db, None
        if db is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, db.close)

    def _send(self) -> None:
        """Ship what is pending; while a batch runs, new reads gather for the next one."""
        batch, self._pending = self._pending, []
        self._in_flight = True
        self.batches_sent += 1
        db = self._db
        assert db is not None
        done = asyncio.get_running_loop().run_in_executor(
            self._thread, _answer_all, db, [query for query, _ in batch]
        )
        done.add_done_callback(lambda result: self._settle(batch, result))

    def _settle(
        self,
        batch: list[tuple[_Query, asyncio.Future[list[Any]]]],
        result: asyncio.Future[list[_Answer]],
    ) -> None:
        self._in_flight = False
        error = result.exception()
        answers = [error] * len(batch) if error else result.result()
        for (_, future), answer in zip(batch, answers, strict=True):
            if future.done():
                continue
            if isinstance(answer, BaseException):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        if self._pending and self._db is not None:
            self._send()


class InlineReader:
    """A read-only connection used on the event loop's own thread, for short indexed reads.

    In WAL mode a reader does not wait for the writer, and a point lookup costs a few
    microseconds: less than the future, wake-up and loop turn of a hop to the SQLite thread.
    It never waits for a lock either (busy timeout 0): in the rare case that it would (another
    process holding the database exclusively), the query goes to `fallback`, off the loop.
    """

    def __init__(self, path: Path, fallback: Reader) -> None:
        self._db: sqlite3.Connection | None = connect_sync(path, True)
        self._db.execute("PRAGMA busy_timeout=0")
        self._fallback = fallback

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[Any]:
        if self._db is None:
            raise RuntimeError("the SQLite store is closed")
        params = tuple(parameters or ())
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", None) != "SQLITE_BUSY":
                raise
        return await self._fallback.execute_fetchall(sql, params)

    def close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            db.close()


def _answer_all(db: sqlite3.Connection, queries: list[_Query]) -> list[_Answer]:
    answers: list[_Answer] = []
    for sql, params in queries:
        try:
            answers.append(db.execute(sql, params).fetchall())
        except Exception as error:  # one bad query fails its caller, not the batch
            answers.append(error)
    return answers
