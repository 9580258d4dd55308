"""A learner's personal FSRS parameters as stored, and the claim that lets one worker fit them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["REFIT_EVERY_DAYS", "FitOutcome", "PersonalParameters"]

REFIT_EVERY_DAYS = 7


@dataclass(frozen=True, slots=True)
class PersonalParameters:
    """One row per learner.

    `claimed_at` is when a worker last took the learner's fit (or reset) on; it is the
    compare-and-set value of every save, so of several workers refitting at once one wins.
    `parameters` None: the defaults (too few reviews at the last fit, or reset). `enabled` False:
    the learner chose the defaults, and the weekly refit leaves them alone.
    """

    learner_id: int
    claimed_at: datetime
    parameters: tuple[float, ...] | None = None
    fitted_on: date | None = None  # the learner day of the fit
    reviews_used: int = 0
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.claimed_at.tzinfo is None:
            raise ValueError(f"claimed_at must be timezone-aware: {self}")
        if (self.parameters is None) != (self.fitted_on is None):
            raise ValueError(f"parameters and fitted_on go together: {self}")
        if self.reviews_used < 0:
            raise ValueError(f"reviews_used cannot be negative: {self}")


@dataclass(frozen=True, slots=True)
class FitOutcome:
    """What a fit did: the row as stored after it, and whether the parameters in use were kept
    because the new fit did not predict the learner's history better (`core.scheduling.fit`)."""

    row: PersonalParameters
    kept_previous: bool = False
