"""The PostgreSQL store: the shared repositories on an asyncpg pool.

- writes: `commit()` runs a unit's staged writes in one transaction on a pooled connection. A
  checked write's row count comes from its command status (`UPDATE 1`; asyncpg's `executemany`
  reports none, so only unchecked runs, such as a deck's cards, are sent as one `executemany`); a
  count that differs, a unique violation, a deadlock or a serialization failure rolls the
  transaction back and raises `ConcurrencyConflict`.
- reads: each one on any pooled connection, outside the unit's transaction, so a read sees
  committed data only, as the port says.

There is no group commit here: PostgreSQL takes concurrent transactions from many connections
(and many workers) itself; that machinery is the SQLite backend's alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Self

import asyncpg

from adapters.storage.postgres.connection import connect, create_pool
from adapters.storage.postgres.migrate import apply_migrations
from adapters.storage.sql.card_flags import SqlCardFlagRepository
from adapters.storage.sql.decks import CardCache, SqlDeckRepository
from adapters.storage.sql.dialect import POSTGRES, numbered_placeholders
from adapters.storage.sql.exam_plans import SqlExamPlanRepository
from adapters.storage.sql.execution import Write
from adapters.storage.sql.history_offers import SqlHistoryOfferRepository
from adapters.storage.sql.parameters import SqlParametersRepository
from adapters.storage.sql.people import SqlChatRepository, SqlLearnerRepository
from adapters.storage.sql.quizzes import SqlQuizRepository
from adapters.storage.sql.reviews import (
    SqlCardStateRepository,
    SqlReviewLogRepository,
    SqlReviewSessionRepository,
)
from adapters.storage.sql.stats import SqlStatsRepository
from adapters.storage.sql.subscriptions import SqlSubscriptionRepository
from core.decks.history_offers import HistoryOfferRepository
from core.errors import ConcurrencyConflict
from core.ports import (
    CardFlagRepository,
    CardStateRepository,
    ChatRepository,
    DeckRepository,
    ExamPlanRepository,
    LearnerRepository,
    ParametersRepository,
    QuizRepository,
    ReviewLogRepository,
    ReviewSessionRepository,
    StatsRepository,
    SubscriptionRepository,
)

__all__ = ["PostgresStore", "PostgresUnitOfWork", "upgrade_postgres"]

# Errors that mean "another transaction got there first": the caller may reload and retry.
_CONFLICTS = (
    asyncpg.UniqueViolationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
)


class _RowCountMismatch(Exception):
    """A versioned write found no row at the expected version (or too many)."""


class PoolReader:
    """Reads on any connection of the pool (`Reader`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> list[asyncpg.Record]:
        return await self._pool.fetch(numbered_placeholders(sql), *(parameters or ()))


class TransactionWriter:
    """Applies a unit's writes in one transaction (`Submitter`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self.transactions_committed = 0

    async def submit(self, writes: Sequence[Write]) -> None:
        """Apply `writes` atomically; raise ConcurrencyConflict (nothing written) on a conflict."""
        try:
            async with self._pool.acquire() as db, db.transaction():
                for sql, params, expected in _runs(writes):
                    await _execute(db, sql, params, expected)
        except (_RowCountMismatch, *_CONFLICTS) as error:
            raise ConcurrencyConflict() from error
        self.transactions_committed += 1


async def _execute(
    db: asyncpg.Connection, sql: str, params: list[tuple[object, ...]], expected: int | None
) -> None:
    statement = numbered_placeholders(sql)
    if expected is None and len(params) > 1:
        await db.executemany(statement, params)
        return
    status = await db.execute(statement, *params[0])
    if expected is not None and _row_count(status) != expected:
        raise _RowCountMismatch(f"{status!r}, {expected} rows expected: {sql}")


def _row_count(status: str) -> int:
    """The rows a command changed, from its status: `UPDATE 1`, `INSERT 0 1`, `DELETE 3`."""
    return int(status.rsplit(" ", 1)[-1])


def _runs(writes: Sequence[Write]) -> list[tuple[str, list[tuple[object, ...]], int | None]]:
    """Consecutive unchecked writes of the same statement folded into one `executemany`;
    every checked write on its own, for its row count."""
    runs: list[tuple[str, list[tuple[object, ...]], int | None]] = []
    for write in writes:
        if write.expected is None and runs and runs[-1][0] == write.sql and runs[-1][2] is None:
            runs[-1][1].append(write.params)
        else:
            runs.append((write.sql, [write.params], write.expected))
    return runs


class PostgresUnitOfWork:
    """Repositories that stage writes into one list; `commit()` applies it in one transaction."""

    def __init__(self, reader: PoolReader, writer: TransactionWriter, cards: CardCache) -> None:
        self._writer = writer
        self._staged: list[Write] = []
        staged = self._staged
        self.learners: LearnerRepository = SqlLearnerRepository(reader, writer, staged)
        self.chats: ChatRepository = SqlChatRepository(reader, writer, staged)
        self._decks = SqlDeckRepository(reader, reader, staged, cards)
        self.decks: DeckRepository = self._decks
        self.card_states: CardStateRepository = SqlCardStateRepository(reader, staged)
        self.reviews: ReviewLogRepository = SqlReviewLogRepository(reader, staged)
        self.sessions: ReviewSessionRepository = SqlReviewSessionRepository(reader, staged)
        self.quizzes: QuizRepository = SqlQuizRepository(reader, staged, POSTGRES)
        self.subscriptions: SubscriptionRepository = SqlSubscriptionRepository(reader, staged)
        self.stats: StatsRepository = SqlStatsRepository(reader)
        self.parameters: ParametersRepository = SqlParametersRepository(reader, staged)
        self.card_flags: CardFlagRepository = SqlCardFlagRepository(reader, staged)
        self.history_offers: HistoryOfferRepository = SqlHistoryOfferRepository(reader, staged)
        self.exam_plans: ExamPlanRepository = SqlExamPlanRepository(reader, staged)

    async def commit(self) -> None:
        """Apply every staged write atomically, or raise ConcurrencyConflict and write nothing.

        The staged list is emptied either way, so the unit can stage and commit again.
        """
        if not self._staged:
            return
        writes = tuple(self._staged)
        self._staged.clear()
        try:
            await self._writer.submit(writes)
        finally:
            if self._decks.saved:  # the deck revisions this unit read may have moved
                self._decks.saved = False
                self._decks.forget_revisions()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._staged.clear()


class PostgresStore:
    """`core.ports.Store` on PostgreSQL. Open with `await PostgresStore.open(database_url)`."""

    def __init__(self, pool: asyncpg.Pool, database_url: str) -> None:
        self.database_url = database_url
        self._pool = pool
        self._reader = PoolReader(pool)
        self._writer = TransactionWriter(pool)
        self._cards = CardCache()
        self._closed = False

    @classmethod
    async def open(cls, database_url: str, *, pool_size: int = 10) -> PostgresStore:
        """Connect, migrate (under the migration lock) and open the pool."""
        await upgrade_postgres(database_url)
        return cls(await create_pool(database_url, max_size=pool_size), database_url)

    @property
    def transactions_committed(self) -> int:
        return self._writer.transactions_committed

    def unit_of_work(self) -> PostgresUnitOfWork:
        if self._closed:
            raise RuntimeError("the PostgreSQL store is closed")
        return PostgresUnitOfWork(self._reader, self._writer, self._cards)

    async def ping(self) -> None:
        """One `SELECT 1` round trip: a health check."""
        await self._pool.fetchval("SELECT 1")

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def upgrade_postgres(database_url: str) -> list[str]:
    """Apply pending migrations on one connection of its own; the names applied."""
    db = await connect(database_url)
    try:
        return await apply_migrations(db)
    finally:
        await db.close()
