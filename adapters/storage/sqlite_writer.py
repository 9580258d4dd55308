"""Group commit: one writer task applies the staged writes of many units of work per transaction.

A unit of work stages plain `Write`s; `GroupWriter.submit` queues them and waits. The writer task
takes everything queued (up to `max_group` units), runs one `BEGIN IMMEDIATE … COMMIT` for all of
them, and batches consecutive units with the same statements into one `executemany` per statement.
If anything in a group fails, the group is rolled back and each unit is re-run on its own, so only
the offending units fail: a failed row count or a unique key becomes `ConcurrencyConflict`, any
other error reaches its caller as it is.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import aiosqlite

from core.errors import ConcurrencyConflict

__all__ = ["GroupWriter", "Write"]

_log = logging.getLogger(__name__)

_UNIQUE_ERRORS = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


class Write(NamedTuple):
    """One staged statement. `expected` is the exact number of rows it must change (a version
    check or an insert); None means it is not checked."""

    sql: str
    params: tuple[object, ...]
    expected: int | None = None


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


class GroupWriter:
    """The store's only writer: a queue of units and one task applying them in groups."""

    def __init__(self, db: aiosqlite.Connection, *, max_group: int = 500) -> None:
        self._db = db
        self._max_group = max_group
        self._queue: asyncio.Queue[_Unit | None] = asyncio.Queue()
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self.transactions_committed = 0  # for metrics, and for tests to see grouping happen

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="sqlite-writer")

    async def submit(self, writes: Sequence[Write]) -> None:
        """Apply `writes` atomically; raise ConcurrencyConflict (nothing written) on a conflict."""
        if self._closed or self._task is None:
            raise RuntimeError("the SQLite store is closed")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Unit(tuple(writes), future))
        await future

    async def close(self) -> None:
        """Apply everything already queued, then stop the writer task."""
        if self._task is None:
            return
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(None)
        await self._task

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
            try:
                await self._apply_group([unit for unit in group if not unit.future.done()])
            except Exception as error:  # a bug here must fail the callers, not hang them
                _log.exception("SQLite writer failed on a group of %d units", len(group))
                for unit in group:
                    _settle(unit, error)

    async def _apply_group(self, group: list[_Unit]) -> None:
        if len(group) == 1:
            await self._apply_alone(group[0])
            return
        if not group:
            return
        try:
            await self._transaction(group)
        except Exception:
            # Someone in the group failed; find out who by giving each unit its own transaction.
            for unit in group:
                await self._apply_alone(unit)
            return
        for unit in group:
            _settle(unit, None)

    async def _apply_alone(self, unit: _Unit) -> None:
        try:
            await self._transaction([unit])
        except _RowCountMismatch as error:
            _settle(unit, _conflict(error))
        except sqlite3.IntegrityError as error:
            is_unique = getattr(error, "sqlite_errorname", None) in _UNIQUE_ERRORS
            _settle(unit, _conflict(error) if is_unique else error)
        except Exception as error:
            _settle(unit, error)
        else:
            _settle(unit, None)

    async def _transaction(self, units: list[_Unit]) -> None:
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            for run in _runs(units):
                await self._apply_run(run)
            await self._db.execute("COMMIT")
            self.transactions_committed += 1
        except BaseException:
            if self._db.in_transaction:
                await self._db.execute("ROLLBACK")
            raise

    async def _apply_run(self, run: list[_Unit]) -> None:
        if len(run) == 1:
            for sql, params, expected in _merged(run[0].writes):
                await self._execute(sql, params, expected)
            return
        for position, write in enumerate(run[0].writes):
            params = [unit.writes[position].params for unit in run]
            expected = sum(unit.writes[position].expected or 0 for unit in run)
            await self._execute(write.sql, params, expected)

    async def _execute(
        self, sql: str, params: list[tuple[object, ...]], expected: int | None
    ) -> None:
        if len(params) == 1:
            cursor = await self._db.execute(sql, params[0])
        else:
            cursor = await self._db.executemany(sql, params)
        if expected is not None and cursor.rowcount != expected:
            raise _RowCountMismatch(f"{cursor.rowcount} rows changed, {expected} expected: {sql}")


def _runs(units: list[_Unit]) -> list[list[_Unit]]:
    """Consecutive units with identical, fully checked statements, batched together."""
    runs: list[list[_Unit]] = []
    for unit in units:
        previous = runs[-1][0] if runs else None
        if (
            previous is not None
            and unit.batchable
            and previous.batchable
            and unit.key == previous.key
        ):
            runs[-1].append(unit)
        else:
            runs.append([unit])
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
