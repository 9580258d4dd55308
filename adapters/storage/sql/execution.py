"""The interfaces the shared repositories read and write through; each backend implements them.

Statements are written once, with `?` placeholders (see `dialect`): SQLite runs them as they are,
PostgreSQL numbers them (`$1`, `$2`, …) before sending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from adapters.storage.sql.codec import placeholders

__all__ = ["IDS_PER_STATEMENT", "Reader", "Submitter", "Write", "rows_for_ids"]

IDS_PER_STATEMENT = 500  # ids per IN list, well below SQLite's 32,766 bound parameters


class Write(NamedTuple):
    """One staged statement. `expected` is the exact number of rows it must change (a version
    check or an insert); None means it is not checked."""

    sql: str
    params: tuple[object, ...]
    expected: int | None = None


class Reader(Protocol):
    """What repositories read through (aiosqlite's method name, so an aiosqlite connection can
    serve); each answer row is indexable by column position."""

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[Any]: ...


class Submitter(Protocol):
    """Applies writes at once, atomically (the learner and chat `ensure`s write immediately)."""

    async def submit(self, writes: Sequence[Write]) -> None: ...


async def rows_for_ids(
    reader: Reader,
    sql: str,
    ids: Sequence[Any],
    *,
    before: Sequence[object] = (),
    after: Sequence[object] = (),
) -> list[Any]:
    """The rows `sql` gives for every one of `ids` (repeats asked once), read a chunk of ids at a
    time: `sql` names the ids' placeholders `{ids}`, as in `WHERE id IN ({ids})`; the
    statement's other parameters are `before` and `after` them."""
    wanted = list(dict.fromkeys(ids))
    rows: list[Any] = []
    for start in range(0, len(wanted), IDS_PER_STATEMENT):
        chunk = wanted[start : start + IDS_PER_STATEMENT]
        statement = sql.format(ids=placeholders(len(chunk)))
        rows.extend(await reader.execute_fetchall(statement, [*before, *chunk, *after]))
    return rows
