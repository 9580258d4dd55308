"""The interfaces the shared repositories read and write through; each backend implements them.

Statements are written once, with `?` placeholders (see `dialect`): SQLite runs them as they are,
PostgreSQL numbers them (`$1`, `$2`, …) before sending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

__all__ = ["Reader", "Submitter", "Write"]


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
