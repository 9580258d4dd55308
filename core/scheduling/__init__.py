"""Spaced-repetition scheduling: ratings, card memory, learner days, FSRS and SM-2, and the fit
of a learner's own FSRS parameters."""

from core.scheduling.days import DEFAULT_DAY_START, day_start_instant, due_instant, learner_day
from core.scheduling.fit import FittedParameters, fit_parameters
from core.scheduling.fsrs_scheduler import FsrsScheduler
from core.scheduling.model import (
    MAX_DESIRED_RETENTION,
    MIN_DESIRED_RETENTION,
    Memory,
    Rating,
    SchedulerKind,
    SchedulerSettings,
)
from core.scheduling.port import SpacedScheduler, scheduler_for

__all__ = [
    "DEFAULT_DAY_START",
    "MAX_DESIRED_RETENTION",
    "MIN_DESIRED_RETENTION",
    "FittedParameters",
    "FsrsScheduler",
    "Memory",
    "Rating",
    "SchedulerKind",
    "SchedulerSettings",
    "SpacedScheduler",
    "day_start_instant",
    "due_instant",
    "fit_parameters",
    "learner_day",
    "scheduler_for",
]
