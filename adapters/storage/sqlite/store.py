"""The embedded SQLite store: group-commit writes, and reads inline or batched.

Migrations run through aiosqlite when the store opens. After that:
- writes: `commit()` hands a unit's staged writes to the `GroupWriter`, which applies them
  atomically together with whatever other units are waiting — on the event loop's thread when the
  group is small and the lock free, else on the store's one SQLite thread (see sqlite_writer);
- the review path's point reads (session, card state, day counts, due cards: a few microseconds
  each on their indexes) run inline on the loop's thread, on a read-only connection: in WAL mode
  a reader does not wait for the writer, and a hop's future, wake-up and loop turn cost more
  than the query;
- every other read goes to a read-only connection on the SQLite thread, in batches: one hop for
  the queries of all concurrent units (stats and imports may read a lot).

Measured on the rating path (bench/bench_core.py): a hop per statement on aiosqlite connections
spent its time waiting for the busy event loop, not in SQLite; with two cores, every hop or extra
thread also hands the GIL back and forth. Each connection sees committed data only.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Self

from adapters.storage.sql.card_flags import SqlCardFlagRepository
from adapters.storage.sql.decks import CardCache, SqlDeckRepository
from adapters.storage.sql.dialect import SQLITE
from adapters.storage.sql.exam_plans import SqlExamPlanRepository
from adapters.storage.sql.execution import Reader, Write
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
from adapters.storage.sqlite.connection import connect, sqlite_path
from adapters.storage.sqlite.migrate import apply_migrations
from adapters.storage.sqlite.reader import BatchedReader, InlineReader
from adapters.storage.sqlite.writer import GroupWriter
from core.decks.history_offers import HistoryOfferRepository
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

__all__ = ["SqliteStore", "SqliteUnitOfWork"]


class SqliteUnitOfWork:
    """Repositories that stage writes into one list; `commit()` applies the list atomically."""

    def __init__(
        self, reader: Reader, inline: Reader, writer: GroupWriter, cards: CardCache
    ) -> None:
        self._writer = writer
        self._staged: list[Write] = []
        staged = self._staged
        self.learners: LearnerRepository = SqlLearnerRepository(reader, writer, staged)
        self.chats: ChatRepository = SqlChatRepository(reader, writer, staged)
        self._decks = SqlDeckRepository(reader, inline, staged, cards)
        self.decks: DeckRepository = self._decks
        # The review path's reads: small, indexed, answered inline (see the module docstring).
        self.card_states: CardStateRepository = SqlCardStateRepository(inline, staged)
        self.reviews: ReviewLogRepository = SqlReviewLogRepository(inline, staged)
        self.sessions: ReviewSessionRepository = SqlReviewSessionRepository(inline, staged)
        self.quizzes: QuizRepository = SqlQuizRepository(reader, staged, SQLITE)
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
            if self._decks.saved:  # revisions may have moved (even a failed commit may have landed)
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


class SqliteStore:
    """`core.ports.Store` on one SQLite file. Open with `await SqliteStore.open(url_or_path)`."""

    def __init__(
        self,
        path: Path,
        thread: ThreadPoolExecutor,
        writer: GroupWriter,
        reader: BatchedReader,
        inline: InlineReader,
    ) -> None:
        self.path = path
        self._thread = thread
        self._writer = writer
        self._reader = reader
        self._inline = inline
        self._cards = CardCache()
        self._closed = False

    @classmethod
    async def open(cls, database_url: str | Path) -> SqliteStore:
        """Open (creating the file and its folders if needed) and migrate the database."""
        path = database_url if isinstance(database_url, Path) else sqlite_path(database_url)
        migrator = await connect(path)
        try:
            await apply_migrations(migrator)
        finally:
            await migrator.close()
        # One thread serves the connections that may wait. Measured on the rating path: with two
        # cores, every extra thread adds GIL hand-offs and shrinks the batches (README, Benchmarks).
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        writer, reader = GroupWriter(path, thread), BatchedReader(path, thread)
        try:
            await writer.start()
            await reader.start()
            inline = InlineReader(path, reader)
        except BaseException:
            await writer.close()
            await reader.close()
            thread.shutdown(wait=True)
            raise
        return cls(path, thread, writer, reader, inline)

    @property
    def transactions_committed(self) -> int:
        """Write transactions committed so far; fewer than units committed when grouping works."""
        return self._writer.transactions_committed

    def unit_of_work(self) -> SqliteUnitOfWork:
        if self._closed:
            raise RuntimeError("the SQLite store is closed")
        return SqliteUnitOfWork(self._reader, self._inline, self._writer, self._cards)

    async def ping(self) -> None:
        """One `SELECT 1` round trip on the reader: a health check, and a latency baseline."""
        await self._reader.execute_fetchall("SELECT 1")

    async def close(self) -> None:
        """Apply the writes already queued, then close both connections and their thread."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._writer.close()
        finally:
            self._inline.close()
            await self._reader.close()
            self._thread.shutdown(wait=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
