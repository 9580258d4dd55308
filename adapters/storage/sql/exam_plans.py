"""Exam plans (`core.planning`), both backends: one row per learner and deck."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.storage.sql.codec import date_from_sql, date_to_sql
from adapters.storage.sql.execution import Reader, Write, rows_for_ids
from core.planning.model import ExamPlan

__all__ = ["SqlExamPlanRepository"]

_COLUMNS = "learner_id, deck_id, exam_day, new_per_day, desired_retention, target"
_SAVE = (
    f"INSERT INTO exam_plans ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (learner_id, deck_id) DO UPDATE SET exam_day = excluded.exam_day,"
    " new_per_day = excluded.new_per_day, desired_retention = excluded.desired_retention,"
    " target = excluded.target"
)


def _plan(row: Any) -> ExamPlan:
    return ExamPlan(row[0], row[1], date_from_sql(row[2]), int(row[3]), float(row[4]), int(row[5]))


class SqlExamPlanRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def of_learner(self, learner_id: int) -> list[ExamPlan]:
        return (await self.of_learners([learner_id])).get(learner_id, [])

    async def of_learners(self, learner_ids: Sequence[int]) -> dict[int, list[ExamPlan]]:
        sql = (
            f"SELECT {_COLUMNS} FROM exam_plans WHERE learner_id IN ({{ids}})"
            " ORDER BY learner_id, exam_day, deck_id"
        )  # each chunk in order, and a learner's plans in one chunk
        plans: dict[int, list[ExamPlan]] = {}
        for row in await rows_for_ids(self._reader, sql, learner_ids):
            plans.setdefault(row[0], []).append(_plan(row))
        return plans

    def save(self, plan: ExamPlan) -> None:
        values = (
            plan.learner_id,
            plan.deck_id,
            date_to_sql(plan.exam_day),
            plan.new_per_day,
            plan.desired_retention,
            plan.target,
        )
        self._staged.append(Write(_SAVE, values, 1))

    def end(self, learner_id: int) -> None:
        self._staged.append(Write("DELETE FROM exam_plans WHERE learner_id = ?", (learner_id,)))
