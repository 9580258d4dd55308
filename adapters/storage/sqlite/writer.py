"""Group commit: one writer task applies the staged writes of many units of work per transaction.

A unit of work stages plain `Write`s; `GroupWriter.submit` queues them and waits. The writer task
takes everything queued (up to `max_group` units), runs one `BEGIN IMMEDIATE … COMMIT` for all of
them, and batches units with the same statements into one `executemany` per statement.
If anything in a group fails, the group is rolled back and each unit is re-run on its own, so only
the offending units fail: a failed row count or a unique key becomes `ConcurrencyConflict`, any
other error reaches its caller as it is.

Where a group runs: a small group is applied inline on the event loop's thread, on a connection
that never waits (busy timeout 0) and never checkpoints; in WAL mode with synchronous=NORMAL its
COMMIT appends to the WAL without an fsync, so it costs about what a hop to the SQLite thread
costs, and it saves the hop's GIL hand-offs (more ratings/s in bench/; README, Benchmarks).
Everything else goes to the store's SQLite thread, which may wait: a big group (a deck import), a
group that meets a lock held by another process, the one-by-one re-run of a group that failed,
and the WAL checkpoint that follows every `checkpoint_every` groups while the writer pauses.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from adapters.storage.sql.execution import Write
from adapters.storage.sqlite.connection import connect_sync
from core.errors import ConcurrencyConflict

__all__ = ["GroupWriter", "Write"]

_log = logging.getLogger(__name__)

_UNIQUE_ERRORS = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


@dataclass(slots=True)
class _Unit:
    writes: tuple[Write, ...]
    future: asyncio.Future[None]
    key: tuple[str, ...] = field(init=False)
    batchable: bool = field(init=False)

    def __post_init__(self) -> None:
        self.key = tuple(write.sql for write in self.writes)
        # Statements run column by column across a batch; that is only safe when every row
        # change is checked, because then any overlap between units shows up as a failure.
        self.batchable = all(write.expected is not None for write in self.writes)


class _RowCountMismatch(Exception):
    """A versioned write found no row at the expected version (or too many)."""


class _Busy(Exception):
    """Another connection holds the write lock: the group must wait for it, off the loop."""


class GroupWriter:
    """The store's only writer: a queue of units and one task taking them in groups, applying
    each group in one transaction, inline or on the store's SQLite thread (see the module
    docstring).
    """

    def __init__(
        self,
        path: Path,
        thread: ThreadPoolExecutor,
        *,
        max_group: int = 500,
        max_inline_writes: int = 2_000,
        checkpoint_every: int = 50,
    ) -> None:
        self._path = path
        self._max_group = max_group
        self._max_inline_writes = max_inline_writes
        self._checkpoint_every = checkpoint_every
        self._queue: asyncio.Queue[_Unit | None] = asyncio.Queue()
        self._thread = thread
        self._db: sqlite3.Connection | None = None  # on the SQLite thread
        self._inline: sqlite3.Connection | None = None  # on the event loop's thread
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._groups_since_checkpoint = 0
        self.transactions_committed = 0  # for metrics, and for tests to see grouping happen

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._db = await loop.run_in_executor(self._thread, connect_sync, self._path)
        self._inline = connect_sync(self._path)
        # Never wait for a lock on the loop's thread (the group goes to the thread instead), and
        # leave the checkpoints' fsyncs to the thread too.
        self._inline.execute("PRAGMA busy_timeout=0")
        self._inline.execute("PRAGMA wal_autocheckpoint=0")
        self._task = loop.create_task(self._run(), name="sqlite-writer")

    async def submit(self, writes: Sequence[Write]) -> None:
        """Apply `writes` atomically; raise ConcurrencyConflict (nothing written) on a conflict."""
        if self._closed or self._task is None:
            raise RuntimeError("the SQLite store is closed")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Unit(tuple(writes), future))
        await future

    async def close(self) -> None:
        """Apply everything already queued, then stop the writer task and its connections."""
        if self._task is not None:
            if not self._closed:
                self._closed = True
                self._queue.put_nowait(None)
            await self._task
        self._closed = True
        if self._inline is not None:
            inline, self._inline = self._inline, None
            inline.close()
        if self._db is not None:
            db, self._db = self._db, None
            await asyncio.get_running_loop().run_in_executor(self._thread, db.close)

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            first = await self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < self._max_group and not self._queue.empty():
                unit = self._queue.get_nowait()
                if unit is None:
                    stopping = True
                    break
                group.append(unit)
            group = [unit for unit in group if not unit.future.done()]
            if not group:
                continue
            try:
                outcomes = await self._apply(group)
            except Exception as error:  # a bug here must fail the callers, not hang them
                _log.exception("SQLite writer failed on a group of %d units", len(group))
                outcomes = [error] * len(group)
            for unit, outcome in zip(group, outcomes, strict=True):
                _settle(unit, outcome)
            self._groups_since_checkpoint += 1
            if self._groups_since_checkpoint >= self._checkpoint_every:
                await self._wal_checkpoint()

    async def _apply(self, group: list[_Unit]) -> list[BaseException | None]:
        loop = asyncio.get_running_loop()
        if sum(len(unit.writes) for unit in group) > self._max_inline_writes:
            return await loop.run_in_executor(self._thread, self._apply_group, group)
        assert self._inline is not None
        try:
            self._transaction(self._inline, group)
        except _Busy:
            return await loop.run_in_executor(self._thread, self._apply_group, group)
        except Exception:
            # Someone in the group failed and it was rolled back: find out who, on the thread.
            return await loop.run_in_executor(self._thread, self._apply_each, group)
        return [None] * len(group)

    async def _wal_checkpoint(self) -> None:
        """Copy the WAL back into the database file, on the SQLite thread, while no group is
        being written: then the next transaction starts the WAL afresh. (A checkpoint racing the
        writes never catches up, and the WAL grows without bound.)"""
        self._groups_since_checkpoint = 0
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._thread, self._checkpoint_on_thread)
        except Exception:  # the next one may well succeed; the writer must live on
            _log.exception("SQLite WAL checkpoint failed")

    # Below, `_transaction` runs on either connection; the rest on the SQLite thread.

    def _checkpoint_on_thread(self) -> None:
        assert self._db is not None
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _apply_group(self, group: list[_Unit]) -> list[BaseException | None]:
        if len(group) > 1:
            try:
                self._transaction(self._db, group)
            except Exception:
                pass  # someone in the group failed; find out who, one transaction each
            else:
                return [None] * len(group)
        return self._apply_each(group)

    def _apply_each(self, group: list[_Unit]) -> list[BaseException | None]:
        return [self._apply_alone(unit) for unit in group]

    def _apply_alone(self, unit: _Unit) -> BaseException | None:
        try:
            self._transaction(self._db, [unit])
        except _RowCountMismatch as error:
            return _conflict(error)
        except sqlite3.IntegrityError as error:
            is_unique = getattr(error, "sqlite_errorname", None) in _UNIQUE_ERRORS
            return _conflict(error) if is_unique else error
        except Exception as error:
            return error
        return None

    def _transaction(self, db: sqlite3.Connection | None, units: list[_Unit]) -> None:
        assert db is not None
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            busy = getattr(error, "sqlite_errorname", None) == "SQLITE_BUSY"
            if busy and db is self._inline:
                raise _Busy from error
            raise
        try:
            for run in _runs(units):
                _apply_run(db, run)
            db.execute("COMMIT")
            self.transactions_committed += 1
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _apply_run(db: sqlite3.Connection, run: list[_Unit]) -> None:
    if len(run) == 1:
        for sql, params, expected in _merged(run[0].writes):
            _execute(db, sql, params, expected)
        return
    for position, write in enumerate(run[0].writes):
        params = [unit.writes[position].params for unit in run]
        expected = sum(unit.writes[position].expected or 0 for unit in run)
        _execute(db, write.sql, params, expected)


def _execute(
    db: sqlite3.Connection, sql: str, params: list[tuple[object, ...]], expected: int | None
) -> None:
    cursor = db.execute(sql, params[0]) if len(params) == 1 else db.executemany(sql, params)
    if expected is not None and cursor.rowcount != expected:
        raise _RowCountMismatch(f"{cursor.rowcount} rows changed, {expected} expected: {sql}")


def _runs(units: list[_Unit]) -> list[list[_Unit]]:
    """Units with identical, fully checked statements, batched together.

    The units of one group were submitted concurrently (none waited for another), so any order
    is a valid serialisation: gathering same-shaped units makes one `executemany` per statement
    for all of them, however their submissions interleaved.
    """
    runs: list[list[_Unit]] = []
    by_key: dict[object, list[_Unit]] = {}
    for unit in units:
        if not unit.batchable:
            runs.append([unit])
        elif unit.key in by_key:
            by_key[unit.key].append(unit)
        else:
            by_key[unit.key] = [unit]
            runs.append(by_key[unit.key])
    return runs


def _merged(writes: tuple[Write, ...]) -> list[tuple[str, list[tuple[object, ...]], int | None]]:
    """One unit's statements with consecutive repeats of the same SQL folded into one call."""
    merged: list[tuple[str, list[tuple[object, ...]], int | None]] = []
    for write in writes:
        if merged and merged[-1][0] == write.sql:
            sql, params, expected = merged[-1]
            params.append(write.params)
            total = (
                None if expected is None or write.expected is None else expected + write.expected
            )
            merged[-1] = (sql, params, total)
        else:
            merged.append((write.sql, [write.params], write.expected))
    return merged


def _conflict(cause: Exception) -> ConcurrencyConflict:
    conflict = ConcurrencyConflict()
    conflict.__cause__ = cause
    return conflict


def _settle(unit: _Unit, outcome: BaseException | None) -> None:
    if unit.future.done():  # the caller gave up waiting
        return
    if outcome is None:
        unit.future.set_result(None)
    else:
        unit.future.set_exception(outcome)
