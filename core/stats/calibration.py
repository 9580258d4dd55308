"""Honest-rating coaching: how often a card a learner rated 1..5 was recalled at its next review,
next to the recall the schedule predicted for that day, and one piece of advice when a rating is
clearly off.

- Recalled: the next review of the same card, on a later learner day, was rated 3 or more.
  A same-day repeat (a quiz after a solo review) tests short-term memory, not the schedule, and is
  left out.
- Predicted: the log keeps the interval each review scheduled, not the memory's stability, so the
  prediction is read off FSRS's forgetting curve through that interval: the scheduler chose the
  interval so that recall on the due day is the learner's desired retention (SM-2's intervals aim
  at about 90%), and R(t) = (1 + (t / interval) * (retention^(-1/decay) - 1))^(-decay) at the t
  days that actually passed. It is exact for an unfuzzed, uncapped FSRS interval with default
  parameters, and close (fuzz moves intervals by a few percent) otherwise.
- Advice: a rating gets one only with enough samples and a gap that is both large and unlikely by
  chance (see `needs_advice`); the rating furthest off, in standard errors, gets the sentence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from core.stats.repository import FollowedRating

__all__ = [
    "CALIBRATION_DAYS",
    "FSRS_DEFAULT_DECAY",
    "MIN_GAP",
    "MIN_SAMPLES",
    "MIN_Z",
    "NO_CALIBRATION",
    "RATINGS",
    "SM2_TARGET_RETENTION",
    "Advice",
    "AdviceKind",
    "Calibration",
    "RatingCalibration",
    "calibrate",
    "needs_advice",
    "predicted_recall",
]

CALIBRATION_DAYS = 90  # pairs whose next review is this recent: advice follows a change of habit
MIN_SAMPLES = 30
MIN_GAP = 0.10  # observed recall this far from predicted, in share of reviews
MIN_Z = 2.0  # and this many standard errors away
FSRS_DEFAULT_DECAY = 0.1542  # FSRS-6's default decay (w20), as in fsrs.scheduler
SM2_TARGET_RETENTION = 0.9
RATINGS = (1, 2, 3, 4, 5)
_RECALLED_FROM = 3


class AdviceKind(StrEnum):
    RATE_LOWER = "rate_lower"  # recalled less than predicted: the rating promises too much
    RATE_HIGHER = "rate_higher"  # recalled more than predicted: the rating sells it short


@dataclass(frozen=True, slots=True)
class RatingCalibration:
    """One rating's samples: how many, how many recalled next time, and the summed predictions."""

    rating: int
    samples: int = 0
    recalled: int = 0
    predicted_sum: float = 0.0
    predicted_variance: float = 0.0  # sum of p(1 - p): the variance of `recalled` if p is right

    @property
    def observed(self) -> float | None:
        return self.recalled / self.samples if self.samples else None

    @property
    def predicted(self) -> float | None:
        return self.predicted_sum / self.samples if self.samples else None

    @property
    def z(self) -> float:
        """(recalled - predicted) in standard errors; 0 without samples."""
        if not self.samples or self.predicted_variance <= 0:
            return 0.0
        return (self.recalled - self.predicted_sum) / math.sqrt(self.predicted_variance)


@dataclass(frozen=True, slots=True)
class Advice:
    kind: AdviceKind
    rating: int
    suggested: int
    observed: float
    predicted: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """A row per rating 1..5 (rows without samples included), and the advice, if any."""

    rows: tuple[RatingCalibration, ...] = tuple(RatingCalibration(r) for r in RATINGS)
    advice: Advice | None = None

    @property
    def samples(self) -> int:
        return sum(row.samples for row in self.rows)

    @property
    def enough_samples(self) -> bool:
        """Some rating has enough samples to be judged."""
        return any(row.samples >= MIN_SAMPLES for row in self.rows)


NO_CALIBRATION = Calibration()


def predicted_recall(
    interval_days: int,
    elapsed_days: int,
    target_retention: float,
    decay: float = FSRS_DEFAULT_DECAY,
) -> float:
    """Recall after `elapsed_days` on the FSRS curve that reaches `target_retention` at
    `interval_days` (see the module docstring)."""
    if interval_days < 1 or elapsed_days < 0:
        raise ValueError(f"interval {interval_days} and elapsed {elapsed_days} days")
    if not 0 < target_retention < 1:
        raise ValueError(f"target retention must be within (0, 1), got {target_retention}")
    stretch = target_retention ** (-1 / decay) - 1
    return float((1 + elapsed_days / interval_days * stretch) ** -decay)


def calibrate(pairs: Iterable[FollowedRating], desired_retention: float) -> Calibration:
    """The table and the advice from a learner's pairs; FSRS reviews are predicted at
    `desired_retention` (the learner's setting), SM-2 reviews at `SM2_TARGET_RETENTION`."""
    sums = {rating: [0, 0, 0.0, 0.0] for rating in RATINGS}
    for pair in pairs:
        elapsed = (pair.next_review_day - pair.review_day).days
        # A same-day repeat says nothing of the schedule; an interval under a day, or a rating
        # out of range, cannot come from this bot's log and is skipped rather than failing /stats.
        if elapsed < 1 or pair.interval_days < 1 or pair.rating not in sums:
            continue
        target = desired_retention if pair.scheduler == "fsrs" else SM2_TARGET_RETENTION
        p = predicted_recall(pair.interval_days, elapsed, target)
        row = sums[pair.rating]
        row[0] += 1
        row[1] += pair.next_rating >= _RECALLED_FROM
        row[2] += p
        row[3] += p * (1 - p)
    rows = tuple(
        RatingCalibration(rating, int(n), int(recalled), p_sum, variance)
        for rating, (n, recalled, p_sum, variance) in sums.items()
    )
    return Calibration(rows, _advice(rows))


def needs_advice(row: RatingCalibration) -> AdviceKind | None:
    """Enough samples, a gap of at least `MIN_GAP` and at least `MIN_Z` standard errors.

    The gap alone would nag a learner with 30 samples at 70% predicted (a standard error of 8
    points), the z alone one with 2,000 samples 3 points off; both keep the advice for gaps a
    learner can act on. Only ratings with a neighbour that schedules differently are advised: 1
    and 2 are both "forgotten" to FSRS, so 2 is never told to go lower and 1 never to go higher.
    """
    observed, predicted = row.observed, row.predicted
    if row.samples < MIN_SAMPLES or observed is None or predicted is None:
        return None
    if abs(row.z) < MIN_Z or abs(observed - predicted) < MIN_GAP:
        return None
    if observed < predicted:
        return AdviceKind.RATE_LOWER if row.rating >= 3 else None
    return AdviceKind.RATE_HIGHER if 2 <= row.rating <= 4 else None


def _advice(rows: tuple[RatingCalibration, ...]) -> Advice | None:
    flagged = [(row, kind) for row in rows if (kind := needs_advice(row)) is not None]
    if not flagged:
        return None
    row, kind = max(flagged, key=lambda item: abs(item[0].z))
    assert row.observed is not None and row.predicted is not None  # flagged rows have samples
    step = -1 if kind is AdviceKind.RATE_LOWER else 1
    return Advice(kind, row.rating, row.rating + step, row.observed, row.predicted)
