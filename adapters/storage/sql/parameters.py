"""Personal FSRS parameters (`core.personal`), both backends: the row per learner, its claim, and a
refit's reads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from adapters.storage.sql.codec import (
    bool_from_sql,
    bool_to_sql,
    date_from_sql,
    date_to_sql,
    instant_from_sql,
    instant_to_sql,
)
from adapters.storage.sql.execution import Reader, Write
from adapters.storage.sql.reviews import STATE_COLUMNS, state_from_row
from core.card_state import CardState
from core.personal.model import PersonalParameters
from core.scheduling.fit import LoggedReview
from core.scheduling.model import Rating

__all__ = ["SqlParametersRepository", "parameters_from_sql"]

_COLUMNS = "learner_id, claimed_at, parameters, fitted_on, reviews_used, enabled"
_INSERT = f"INSERT INTO fsrs_parameters ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
_UPDATE = (
    "UPDATE fsrs_parameters SET claimed_at = ?, parameters = ?, fitted_on = ?, reviews_used = ?,"
    " enabled = ? WHERE learner_id = ? AND claimed_at = ?"
)
_DUE = (
    "SELECT r.learner_id, p.claimed_at, p.parameters, p.fitted_on, p.reviews_used, p.enabled"
    " FROM (SELECT learner_id FROM review_log GROUP BY learner_id HAVING COUNT(*) >= ?) r"
    " JOIN learners l ON l.id = r.learner_id"
    " LEFT JOIN fsrs_parameters p ON p.learner_id = r.learner_id"
    " WHERE p.learner_id IS NULL OR (p.enabled = 1 AND p.claimed_at < ?)"
    " ORDER BY p.claimed_at IS NOT NULL, p.claimed_at, r.learner_id LIMIT ?"
)


def parameters_from_sql(value: str | None) -> tuple[float, ...] | None:
    return None if value is None else tuple(float(number) for number in json.loads(value))


def _row(row: Any) -> PersonalParameters:
    return PersonalParameters(
        learner_id=row[0],
        claimed_at=instant_from_sql(row[1]),
        parameters=parameters_from_sql(row[2]),
        fitted_on=None if row[3] is None else date_from_sql(row[3]),
        reviews_used=row[4],
        enabled=bool_from_sql(row[5]),
    )


def _values(row: PersonalParameters) -> tuple[object, ...]:
    return (
        instant_to_sql(row.claimed_at),
        None if row.parameters is None else json.dumps(list(row.parameters)),
        None if row.fitted_on is None else date_to_sql(row.fitted_on),
        row.reviews_used,
        bool_to_sql(row.enabled),
    )


class SqlParametersRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def get(self, learner_id: int) -> PersonalParameters | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM fsrs_parameters WHERE learner_id = ?", (learner_id,)
        )
        return next((_row(row) for row in rows), None)

    async def due_for_refit(
        self, claimed_before: datetime, min_reviews: int, limit: int
    ) -> list[tuple[int, PersonalParameters | None]]:
        rows = await self._reader.execute_fetchall(
            _DUE, (min_reviews, instant_to_sql(claimed_before), limit)
        )
        return [(row[0], None if row[1] is None else _row(row)) for row in rows]

    async def history(self, learner_id: int) -> list[LoggedReview]:
        rows = await self._reader.execute_fetchall(
            "SELECT card_id, review_day, rating FROM review_log WHERE learner_id = ?"
            " ORDER BY reviewed_at, id",
            (learner_id,),
        )
        return [(row[0], date_from_sql(row[1]), Rating(row[2])) for row in rows]

    async def fsrs_states(self, learner_id: int) -> list[CardState]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {STATE_COLUMNS} FROM card_states WHERE learner_id = ? AND scheduler = 'fsrs'"
            " ORDER BY card_id",
            (learner_id,),
        )
        return [state_from_row(row) for row in rows]

    def save(self, row: PersonalParameters, previous_claimed_at: datetime | None) -> None:
        if previous_claimed_at is None:
            self._staged.append(Write(_INSERT, (row.learner_id, *_values(row)), 1))
        else:
            params = (*_values(row), row.learner_id, instant_to_sql(previous_claimed_at))
            self._staged.append(Write(_UPDATE, params, 1))
