"""The storage port for exam plans: one per learner and deck."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.planning.model import ExamPlan

__all__ = ["ExamPlanRepository"]


class ExamPlanRepository(Protocol):
    async def of_learner(self, learner_id: int) -> list[ExamPlan]:
        """The learner's plans, expired ones too (callers ask `applies_on`), by exam day."""
        ...

    async def of_learners(self, learner_ids: Sequence[int]) -> dict[int, list[ExamPlan]]:
        """`of_learner` for many learners in one read (a claim batch's): those with plans."""
        ...

    def save(self, plan: ExamPlan) -> None:
        """Insert, or replace the learner's plan for the same deck."""
        ...

    def end(self, learner_id: int) -> None:
        """Remove every plan of the learner."""
        ...
