"""Exam plans (`core.planning`), both backends: one row per learner and deck."""

from __future__ import annotations

from adapters.storage.sql.codec import date_from_sql, date_to_sql
from adapters.storage.sql.execution import Reader, Write
from core.planning.model import ExamPlan

__all__ = ["SqlExamPlanRepository"]

_COLUMNS = "learner_id, deck_id, exam_day, new_per_day, desired_retention, target"
_SAVE = (
    f"INSERT INTO exam_plans ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (learner_id, deck_id) DO UPDATE SET exam_day = excluded.exam_day,"
    " new_per_day = excluded.new_per_day, desired_retention = excluded.desired_retention,"
    " target = excluded.target"
)


class SqlExamPlanRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def of_learner(self, learner_id: int) -> list[ExamPlan]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM exam_plans WHERE learner_id = ? ORDER BY exam_day, deck_id",
            (learner_id,),
        )
        return [
            ExamPlan(row[0], row[1], date_from_sql(row[2]), int(row[3]), float(row[4]), int(row[5]))
            for row in rows
        ]

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
