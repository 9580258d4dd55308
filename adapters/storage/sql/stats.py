"""Read-only aggregates for /stats and leaderboards (`core.stats.repository`), both backends.

The SQL is plain enough for PostgreSQL too: no date functions (the core passes every boundary as
an instant), only COUNT/SUM/CASE, a VALUES list in a CTE, correlated subqueries and
LEAD over a named WINDOW (both engines have window functions). Each query is a
range scan of one index:

- review_log_by_time (learner_id, reviewed_at): totals, windows per day, ratings since a day;
- review_log_by_chat (chat_id, reviewed_at): leaderboards;
- review_log_by_time again for calibration pairs: the learner's log, sorted by card for LEAD;
- card_states_due (learner_id, due_at, card_id): due counts; the primary key for stage counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import pairwise

from adapters.storage.sql.codec import date_from_sql, instant_from_sql, instant_to_sql
from adapters.storage.sql.execution import Reader
from core.stats.repository import ChatReviewCount, FollowedRating, StateCount

__all__ = ["SqlStatsRepository"]

_CHUNK = 300  # windows or cutoffs per statement: under SQLite's old limit of 999 parameters

_REVIEW_TOTAL = "SELECT COUNT(*) FROM review_log WHERE learner_id = ?"
# One index range count per window.
_REVIEW_COUNTS = (
    "WITH windows (position, lo, hi) AS (VALUES {rows})"
    " SELECT (SELECT COUNT(*) FROM review_log r"
    " WHERE r.learner_id = ? AND r.reviewed_at >= w.lo AND r.reviewed_at < w.hi)"
    " FROM windows w ORDER BY w.position"
)
_WINDOW_ROW = "(CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT))"
_RATING_COUNTS = (
    "SELECT rating, COUNT(*) FROM review_log WHERE learner_id = ? AND reviewed_at >= ?"
    " GROUP BY rating"
)
_FAILED_LAST = "CASE WHEN reps = 0 THEN 1 ELSE 0 END"
_STATE_COUNTS = (
    f"SELECT deck_id, interval_days, {_FAILED_LAST}, COUNT(*) FROM card_states"
    f" WHERE learner_id = ? GROUP BY deck_id, interval_days, {_FAILED_LAST}"
)
_DUE_BY = (
    "WITH cutoffs (position, at_most) AS (VALUES {rows})"
    " SELECT (SELECT COUNT(*) FROM card_states s"
    " WHERE s.learner_id = ? AND s.due_at <= c.at_most AND NOT EXISTS (SELECT 1 FROM card_flags f"
    " WHERE f.learner_id = s.learner_id AND f.card_id = s.card_id AND f.suspended_at IS NOT NULL))"
    " FROM cutoffs c ORDER BY c.position"
)
_CUTOFF_ROW = "(CAST(? AS INTEGER), CAST(? AS BIGINT))"
_REVIEW_COUNTS_IN = (
    "SELECT learner_id, COUNT(*), SUM(rating) FROM review_log"
    " WHERE chat_id IN ({chats}) AND reviewed_at >= ? AND reviewed_at < ? GROUP BY learner_id"
)

# Each review with the same card's next one; ties on reviewed_at follow the logging order (id).
_FOLLOWED_RATINGS = (
    "SELECT rating, review_day, scheduler, interval_days, next_rating, next_day FROM ("
    " SELECT rating, review_day, scheduler, interval_days,"
    " LEAD(rating) OVER later AS next_rating, LEAD(review_day) OVER later AS next_day,"
    " LEAD(reviewed_at) OVER later AS next_at"
    " FROM review_log WHERE learner_id = ?"
    " WINDOW later AS (PARTITION BY card_id ORDER BY reviewed_at, id)"
    ") AS pairs WHERE next_at >= ?"
)


class SqlStatsRepository:
    """Reads through the store's reader connection; it never writes."""

    def __init__(self, db: Reader) -> None:
        self._db = db

    async def review_total(self, learner_id: int) -> int:
        return await self._single_count(_REVIEW_TOTAL, (learner_id,))

    async def review_counts(self, learner_id: int, boundaries: Sequence[datetime]) -> list[int]:
        if any(lo >= hi for lo, hi in pairwise(boundaries)):
            raise ValueError("boundaries must increase strictly")
        edges = [_first_millisecond_at_or_after(instant) for instant in boundaries]
        counts: list[int] = []
        for start in range(0, max(len(edges) - 1, 0), _CHUNK):
            chunk = edges[start : start + _CHUNK + 1]
            windows = list(pairwise(chunk))
            sql = _REVIEW_COUNTS.format(rows=", ".join([_WINDOW_ROW] * len(windows)))
            params = [value for i, (lo, hi) in enumerate(windows) for value in (i, lo, hi)]
            rows = await self._db.execute_fetchall(sql, (*params, learner_id))
            counts.extend(row[0] for row in rows)
        return counts

    async def rating_counts(self, learner_id: int, since: datetime) -> Mapping[int, int]:
        rows = await self._db.execute_fetchall(
            _RATING_COUNTS, (learner_id, _first_millisecond_at_or_after(since))
        )
        return {row[0]: row[1] for row in rows}

    async def state_counts(self, learner_id: int) -> list[StateCount]:
        rows = await self._db.execute_fetchall(_STATE_COUNTS, (learner_id,))
        return [
            StateCount(deck_id=row[0], interval_days=row[1], failed_last=row[2] == 1, cards=row[3])
            for row in rows
        ]

    async def due_by(self, learner_id: int, cutoffs: Sequence[datetime]) -> list[int]:
        # due_at is whole milliseconds, so "due_at <= cutoff" is "due_at <= floor(cutoff)".
        edges = [instant_to_sql(cutoff) for cutoff in cutoffs]
        counts: list[int] = []
        for start in range(0, len(edges), _CHUNK):
            chunk = edges[start : start + _CHUNK]
            sql = _DUE_BY.format(rows=", ".join([_CUTOFF_ROW] * len(chunk)))
            params = [value for pair in enumerate(chunk) for value in pair]
            rows = await self._db.execute_fetchall(sql, (*params, learner_id))
            counts.extend(row[0] for row in rows)
        return counts

    async def review_counts_in(
        self, chat_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[ChatReviewCount]:
        if not chat_ids:
            return []
        window = (_first_millisecond_at_or_after(since), _first_millisecond_at_or_after(until))
        rows = await self._db.execute_fetchall(
            _REVIEW_COUNTS_IN.format(chats=", ".join("?" * len(chat_ids))), (*chat_ids, *window)
        )
        return [
            ChatReviewCount(learner_id=row[0], reviews=row[1], rating_sum=row[2]) for row in rows
        ]

    async def followed_ratings(self, learner_id: int, since: datetime) -> list[FollowedRating]:
        rows = await self._db.execute_fetchall(
            _FOLLOWED_RATINGS, (learner_id, _first_millisecond_at_or_after(since))
        )
        return [
            FollowedRating(
                rating=row[0],
                review_day=date_from_sql(row[1]),
                scheduler=row[2],
                interval_days=row[3],
                next_rating=row[4],
                next_review_day=date_from_sql(row[5]),
            )
            for row in rows
        ]

    async def _single_count(self, sql: str, params: Sequence[object]) -> int:
        rows = list(await self._db.execute_fetchall(sql, params))
        return int(rows[0][0])


def _first_millisecond_at_or_after(instant: datetime) -> int:
    """The first stored millisecond at or after `instant`, so `x >= instant` holds exactly."""
    floor = instant_to_sql(instant)
    return floor if instant_from_sql(floor) == instant else floor + 1
