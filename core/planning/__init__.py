"""Exam plans: new cards per day and desired retention that reach a recall target by a date."""

from core.planning.planner import (
    DEFAULT_TARGET,
    MAX_TARGET,
    MIN_TARGET,
    DayLoad,
    Plan,
    PlannedCard,
    PlanRequest,
    plan_exam,
)

__all__ = [
    "DEFAULT_TARGET",
    "MAX_TARGET",
    "MIN_TARGET",
    "DayLoad",
    "Plan",
    "PlanRequest",
    "PlannedCard",
    "plan_exam",
]
