"""The embedded SQLite store: one writer connection fed by a group-commit queue, one reader.

Reads go straight to the reader connection and see committed data (WAL). Writes are staged by the
repositories of a unit of work and handed to the writer on `commit()`, which applies them
atomically together with whatever other units are waiting.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

from adapters.storage.migrate import apply_migrations
from adapters.storage.sqlite_connection import connect, sqlite_path
from adapters.storage.sqlite_decks import SqliteDeckRepository
from adapters.storage.sqlite_people import SqliteChatRepository, SqliteLearnerRepository
from adapters.storage.sqlite_quizzes import SqliteQuizRepository
from adapters.storage.sqlite_reviews import (
    SqliteCardStateRepository,
    SqliteReviewLogRepository,
    SqliteReviewSessionRepository,
)
from adapters.storage.sqlite_stats import SqliteStatsRepository
from adapters.storage.sqlite_subscriptions import SqliteSubscriptionRepository
from adapters.storage.sqlite_writer import GroupWriter, Write
from core.ports import (
    CardStateRepository,
    ChatRepository,
    DeckRepository,
    LearnerRepository,
    QuizRepository,
    ReviewLogRepository,
    ReviewSessionRepository,
    StatsRepository,
    SubscriptionRepository,
)

__all__ = ["SqliteStore", "SqliteUnitOfWork"]


class SqliteUnitOfWork:
    """Repositories that stage writes into one list; `commit()` applies the list atomically."""

    def __init__(self, reader: aiosqlite.Connection, writer: GroupWriter) -> None:
        self._writer = writer
        self._staged: list[Write] = []
        staged = self._staged
        self.learners: LearnerRepository = SqliteLearnerRepository(reader, writer, staged)
        self.chats: ChatRepository = SqliteChatRepository(reader, writer, staged)
        self.decks: DeckRepository = SqliteDeckRepository(reader, staged)
        self.card_states: CardStateRepository = SqliteCardStateRepository(reader, staged)
        self.reviews: ReviewLogRepository = SqliteReviewLogRepository(reader, staged)
        self.sessions: ReviewSessionRepository = SqliteReviewSessionRepository(reader, staged)
        self.quizzes: QuizRepository = SqliteQuizRepository(reader, staged)
        self.subscriptions: SubscriptionRepository = SqliteSubscriptionRepository(reader, staged)
        self.stats: StatsRepository = SqliteStatsRepository(reader)

    async def commit(self) -> None:
        """Apply every staged write atomically, or raise ConcurrencyConflict and write nothing.

        The staged list is emptied either way, so the unit can stage and commit again.
        """
        if not self._staged:
            return
        writes = tuple(self._staged)
        self._staged.clear()
        await self._writer.submit(writes)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._staged.clear()


class SqliteStore:
    """`core.ports.Store` on one SQLite file. Open with `await SqliteStore.open(url_or_path)`."""

    def __init__(
        self, path: Path, writer_db: aiosqlite.Connection, reader_db: aiosqlite.Connection
    ) -> None:
        self.path = path
        self._writer_db = writer_db
        self._reader_db = reader_db
        self._writer = GroupWriter(writer_db)
        self._closed = False

    @classmethod
    async def open(cls, database_url: str | Path) -> SqliteStore:
        """Open (creating the file and its folders if needed) and migrate the database."""
        path = database_url if isinstance(database_url, Path) else sqlite_path(database_url)
        writer_db = await connect(path)
        try:
            await apply_migrations(writer_db)
            reader_db = await connect(path, read_only=True)
        except BaseException:
            await writer_db.close()
            raise
        store = cls(path, writer_db, reader_db)
        store._writer.start()
        return store

    @property
    def transactions_committed(self) -> int:
        """Write transactions committed so far; fewer than units committed when grouping works."""
        return self._writer.transactions_committed

    def unit_of_work(self) -> SqliteUnitOfWork:
        if self._closed:
            raise RuntimeError("the SQLite store is closed")
        return SqliteUnitOfWork(self._reader_db, self._writer)

    async def ping(self) -> None:
        """One `SELECT 1` round trip on the reader: a health check, and a latency baseline."""
        await self._reader_db.execute_fetchall("SELECT 1")

    async def close(self) -> None:
        """Apply the writes already queued, stop the writer task and close both connections."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._writer.close()
        finally:
            await self._writer_db.close()
            await self._reader_db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
