"""Card states, the review log and review sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from adapters.storage.sql.card_counts import count_due, count_unseen
from adapters.storage.sql.card_flags import NOT_SUSPENDED
from adapters.storage.sql.codec import (
    bool_from_sql,
    bool_to_sql,
    date_from_sql,
    date_to_sql,
    instant_from_sql,
    instant_to_sql,
    placeholders,
    strings_from_sql,
    strings_to_sql,
)
from adapters.storage.sql.dialect import SQLITE, Dialect
from adapters.storage.sql.execution import Reader, Write, rows_for_ids
from core.card_state import CardCountQuery, CardState, ReviewRecord
from core.review.session import ReviewSession
from core.scheduling.model import Memory, SchedulerKind

__all__ = [
    "STATE_COLUMNS",
    "SqlCardStateRepository",
    "SqlReviewLogRepository",
    "SqlReviewSessionRepository",
    "state_from_row",
]

STATE_COLUMNS = (
    "learner_id, card_id, deck_id, scheduler, reps, lapses, interval_days, last_review_day,"
    " due_day, due_at, stability, difficulty, ease, version"
)
_INSERT_STATE = f"INSERT INTO card_states ({STATE_COLUMNS}) VALUES ({placeholders(14)})"
_UPDATE_STATE = (
    "UPDATE card_states SET deck_id = ?, scheduler = ?, reps = ?, lapses = ?, interval_days = ?,"
    " last_review_day = ?, due_day = ?, due_at = ?, stability = ?, difficulty = ?, ease = ?,"
    " version = ? WHERE learner_id = ? AND card_id = ? AND version = ?"
)
_INSERT_REVIEW = (
    "INSERT INTO review_log (learner_id, card_id, deck_id, rating, reviewed_at, review_day,"
    " scheduler, interval_days, source, source_id, step, chat_id, first_review, import_key)"
    f" VALUES ({placeholders(14)})"
)
_SESSION_COLUMNS = (
    "id, learner_id, chat_id, deck_ids, current_card_id, revealed, step, version, started_at,"
    " updated_at"
)
_INSERT_SESSION = f"INSERT INTO review_sessions ({_SESSION_COLUMNS}) VALUES ({placeholders(10)})"
_UPDATE_SESSION = (
    "UPDATE review_sessions SET learner_id = ?, chat_id = ?, deck_ids = ?, current_card_id = ?,"
    " revealed = ?, step = ?, version = ?, started_at = ?, updated_at = ?"
    " WHERE id = ? AND version = ?"
)

_NOT_SUSPENDED_STATE = NOT_SUSPENDED.format(card="card_states.card_id")


def _memory_values(state: CardState) -> tuple[object, ...]:
    memory = state.memory
    return (
        state.deck_id, memory.kind.value, memory.reps, memory.lapses, memory.interval_days,
        date_to_sql(memory.last_review_day), date_to_sql(memory.due_day),
        instant_to_sql(state.due_at), memory.stability, memory.difficulty, memory.ease,
        state.version,
    )  # fmt: skip


def state_from_row(row: Any) -> CardState:
    memory = Memory(
        kind=SchedulerKind(row[3]), reps=row[4], lapses=row[5], interval_days=row[6],
        last_review_day=date_from_sql(row[7]), due_day=date_from_sql(row[8]),
        stability=row[10], difficulty=row[11], ease=row[12],
    )  # fmt: skip
    return CardState(
        learner_id=row[0],
        card_id=row[1],
        deck_id=row[2],
        memory=memory,
        due_at=instant_from_sql(row[9]),
        version=row[13],
    )


def _decks_clause(deck_ids: Sequence[str]) -> str:
    return f"deck_id IN ({placeholders(len(deck_ids))})"


class SqlCardStateRepository:
    def __init__(
        self,
        reader: Reader,
        staged: list[Write],
        bulk: Reader | None = None,
        dialect: Dialect = SQLITE,
    ) -> None:
        self._reader = reader
        self._staged = staged
        self._dialect = dialect
        # A claim batch's counts: not the review path's small reads (SQLite runs those inline,
        # on the event loop's thread), so they go where the other big reads go.
        self._bulk = bulk or reader

    async def get(self, learner_id: int, card_id: str) -> CardState | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {STATE_COLUMNS} FROM card_states WHERE learner_id = ? AND card_id = ?",
            (learner_id, card_id),
        )
        return next((state_from_row(row) for row in rows), None)

    async def due(
        self, learner_id: int, deck_ids: Sequence[str], now: datetime, limit: int
    ) -> list[CardState]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {STATE_COLUMNS} FROM card_states WHERE learner_id = ? AND due_at <= ?"
            f" AND {_decks_clause(deck_ids)} AND {_NOT_SUSPENDED_STATE}"
            " ORDER BY due_at, card_id LIMIT ?",
            (learner_id, instant_to_sql(now), *deck_ids, learner_id, limit),
        )
        return [state_from_row(row) for row in rows]

    async def unseen_card_ids(
        self, learner_id: int, deck_ids: Sequence[str], limit: int
    ) -> list[str]:
        # Deck order first (as the caller listed the decks), then each deck's own card order.
        deck_rank = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(deck_ids)))
        order = f"CASE c.deck_id {deck_rank} END, c.position" if deck_ids else "c.position"
        rows = await self._reader.execute_fetchall(
            f"SELECT c.id FROM cards c WHERE c.{_decks_clause(deck_ids)} AND NOT EXISTS"
            " (SELECT 1 FROM card_states s WHERE s.learner_id = ? AND s.card_id = c.id)"
            f" AND {NOT_SUSPENDED.format(card='c.id')} ORDER BY {order} LIMIT ?",
            (*deck_ids, learner_id, learner_id, *deck_ids, limit),
        )
        return [row[0] for row in rows]

    async def count_due(self, queries: Sequence[CardCountQuery], now: datetime) -> list[int]:
        return await count_due(self._bulk, self._dialect, queries, now)

    async def count_unseen(self, queries: Sequence[CardCountQuery]) -> list[int]:
        return await count_unseen(self._bulk, queries)

    async def next_due_at(
        self, learner_id: int, deck_ids: Sequence[str], after: datetime
    ) -> datetime | None:
        rows = await self._reader.execute_fetchall(
            "SELECT MIN(due_at) FROM card_states WHERE learner_id = ? AND due_at > ?"
            f" AND {_decks_clause(deck_ids)} AND {_NOT_SUSPENDED_STATE}",
            (learner_id, instant_to_sql(after), *deck_ids, learner_id),
        )
        value = next((row[0] for row in rows), None)
        return None if value is None else instant_from_sql(value)

    def save(self, state: CardState) -> None:
        if state.version == 1:
            params = (state.learner_id, state.card_id, *_memory_values(state))
            self._staged.append(Write(_INSERT_STATE, params, 1))
        else:
            params = (*_memory_values(state), state.learner_id, state.card_id, state.version - 1)
            self._staged.append(Write(_UPDATE_STATE, params, 1))


class SqlReviewLogRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    def append(self, record: ReviewRecord) -> None:
        params = (
            record.learner_id, record.card_id, record.deck_id, int(record.rating),
            instant_to_sql(record.reviewed_at), date_to_sql(record.review_day),
            record.scheduler.value, record.interval_days, record.source.value, record.source_id,
            record.step, record.chat_id, bool_to_sql(record.first_review), record.import_key,
        )  # fmt: skip
        self._staged.append(Write(_INSERT_REVIEW, params, 1))

    async def imported_keys(self, learner_id: int, import_keys: Sequence[str]) -> set[str]:
        sql = "SELECT import_key FROM review_log WHERE learner_id = ? AND import_key IN ({ids})"
        rows = await rows_for_ids(self._reader, sql, import_keys, before=(learner_id,))
        return {row[0] for row in rows}

    async def counts_on_day(self, learner_id: int, review_day: date) -> tuple[int, int]:
        rows = await self._reader.execute_fetchall(
            "SELECT COUNT(*), COALESCE(SUM(first_review), 0) FROM review_log"
            " WHERE learner_id = ? AND review_day = ?",
            (learner_id, date_to_sql(review_day)),
        )
        reviews, new_cards = next(iter(rows))
        return int(reviews), int(new_cards)

    async def counts_on_days(
        self, learner_days: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], tuple[int, int]]:
        counts = dict.fromkeys(learner_days, (0, 0))
        learners = list(dict.fromkeys(learner for learner, _ in learner_days))
        # The learners' days are the few dates around now: every asked learner on every asked
        # day is read (on the (learner_id, review_day) index) and the pairs not asked dropped.
        days = [date_to_sql(day) for day in dict.fromkeys(day for _, day in learner_days)]
        sql = (
            "SELECT learner_id, review_day, COUNT(*), COALESCE(SUM(first_review), 0)"
            " FROM review_log WHERE learner_id IN ({ids})"
            f" AND review_day IN ({placeholders(len(days))}) GROUP BY learner_id, review_day"
        )
        for learner, day, reviews, new_cards in await rows_for_ids(
            self._reader, sql, learners, after=days
        ):
            key = (int(learner), date_from_sql(day))
            if key in counts:
                counts[key] = (int(reviews), int(new_cards))
        return counts

    async def new_cards_by_deck(self, learner_id: int, review_day: date) -> dict[str, int]:
        rows = await self._reader.execute_fetchall(
            "SELECT deck_id, COUNT(*) FROM review_log"
            " WHERE learner_id = ? AND review_day = ? AND first_review = ? GROUP BY deck_id",
            (learner_id, date_to_sql(review_day), bool_to_sql(True)),
        )
        return {row[0]: int(row[1]) for row in rows}


def _session_values(session: ReviewSession) -> tuple[object, ...]:
    return (
        session.learner_id, session.chat_id, strings_to_sql(session.deck_ids),
        session.current_card_id, bool_to_sql(session.revealed), session.step, session.version,
        instant_to_sql(session.started_at), instant_to_sql(session.updated_at),
    )  # fmt: skip


def _session(row: Any) -> ReviewSession:
    return ReviewSession(
        id=row[0], learner_id=row[1], chat_id=row[2], deck_ids=strings_from_sql(row[3]),
        current_card_id=row[4], revealed=bool_from_sql(row[5]), step=row[6], version=row[7],
        started_at=instant_from_sql(row[8]), updated_at=instant_from_sql(row[9]),
    )  # fmt: skip


class SqlReviewSessionRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def get(self, session_id: int) -> ReviewSession | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_SESSION_COLUMNS} FROM review_sessions WHERE id = ?", (session_id,)
        )
        return next((_session(row) for row in rows), None)

    async def active_for(self, learner_id: int, chat_id: int | None) -> list[ReviewSession]:
        params: tuple[object, ...]
        if chat_id is None:
            where, params = "learner_id = ? AND chat_id IS NULL", (learner_id,)
        else:
            where, params = "learner_id = ? AND chat_id = ?", (learner_id, chat_id)
        rows = await self._reader.execute_fetchall(
            f"SELECT {_SESSION_COLUMNS} FROM review_sessions WHERE {where}"
            " AND current_card_id IS NOT NULL ORDER BY updated_at, id",
            params,
        )
        return [_session(row) for row in rows]

    def save(self, session: ReviewSession) -> None:
        if session.version == 1:
            params = (session.id, *_session_values(session))
            self._staged.append(Write(_INSERT_SESSION, params, 1))
        else:
            params = (*_session_values(session), session.id, session.version - 1)
            self._staged.append(Write(_UPDATE_SESSION, params, 1))
