"""The unit of work both SQL backends hand out: every repository over one staged-writes list.

The backends differ only in how reads and the commit run, so each passes its own: SQLite a
batched reader, an inline reader for the review path's small indexed reads and its group-commit
writer; PostgreSQL one pooled reader for both and a writer that runs a unit in one transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from adapters.storage.sql.card_flags import SqlCardFlagRepository
from adapters.storage.sql.decks import CardCache, SqlDeckRepository
from adapters.storage.sql.dialect import Dialect
from adapters.storage.sql.exam_plans import SqlExamPlanRepository
from adapters.storage.sql.execution import Reader, Submitter, Write
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
from adapters.storage.sql.uploaded_files import SqlUploadedFileRepository
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
    UploadedFileRepository,
)

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork:
    """Repositories that stage writes into one list; `commit()` applies the list atomically.

    `inline` answers the review path's reads (cards by id, card states, review counts,
    sessions, hints, exam plans); `reader` everything else.
    """

    def __init__(
        self,
        reader: Reader,
        inline: Reader,
        writer: Submitter,
        cards: CardCache,
        dialect: Dialect,
    ) -> None:
        self._writer = writer
        self._staged: list[Write] = []
        staged = self._staged
        self.learners: LearnerRepository = SqlLearnerRepository(reader, writer, staged)
        self.chats: ChatRepository = SqlChatRepository(reader, writer, staged)
        self._decks = SqlDeckRepository(reader, inline, staged, cards)
        self.decks: DeckRepository = self._decks
        self.card_states: CardStateRepository = SqlCardStateRepository(
            inline, staged, bulk=reader, dialect=dialect
        )
        self.reviews: ReviewLogRepository = SqlReviewLogRepository(inline, staged)
        self.sessions: ReviewSessionRepository = SqlReviewSessionRepository(inline, staged)
        self.quizzes: QuizRepository = SqlQuizRepository(reader, staged, dialect)
        self.subscriptions: SubscriptionRepository = SqlSubscriptionRepository(
            reader, writer, staged, dialect
        )
        self.stats: StatsRepository = SqlStatsRepository(reader)
        self.parameters: ParametersRepository = SqlParametersRepository(reader, staged)
        self.card_flags: CardFlagRepository = SqlCardFlagRepository(reader, staged, inline)
        self.history_offers: HistoryOfferRepository = SqlHistoryOfferRepository(reader, staged)
        self.exam_plans: ExamPlanRepository = SqlExamPlanRepository(inline, staged)
        self.uploaded_files: UploadedFileRepository = SqlUploadedFileRepository(reader, staged)

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
