"""A learner's exam plan for one deck: the limits it sets until the exam day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["ExamPlan"]


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """Until `exam_day` (exclusive) the deck's new cards per day and desired retention are these."""

    learner_id: int
    deck_id: str
    exam_day: date
    new_per_day: int
    desired_retention: float
    target: int  # percent

    def applies_on(self, day: date) -> bool:
        """An expired plan stops applying by itself: from the exam day on."""
        return day < self.exam_day
