"""Personal FSRS parameters fitted from a learner's own review log, with fsrs-rs.

Pure: the same reviews give the same parameters, so a fit can be tested and replayed.
- Items: fsrs-rs learns from "items", a card's history up to one review it predicts. Every
  review of a card after its first is one item; the days between reviews are learner days, as
  the scheduler counts them (`fsrs_scheduler`). Ratings map to FSRS grades as the scheduler maps
  them (1 and 2 → Again).
- Threshold: fsrs-rs falls back to its defaults below 8 items and fits only the four initial
  stabilities below 64; a full fit on a few hundred reviews is noisy. Below `MIN_REVIEWS_TO_FIT`
  reviews (or `MIN_ITEMS_TO_FIT` items) there is no fit: on the synthetic learners of
  bench/bench_learning.py fits from 400 reviews already beat the defaults on later reviews, on
  average.
- Bounds: fsrs-rs works in float32, so a parameter may sit a hair outside the bounds py-fsrs
  checks; each is clamped into them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import fsrs_rs_python as fsrs_rs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS as FSRS_DEFAULTS,
)
from fsrs.scheduler import (
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

from core.scheduling.fsrs_scheduler import FSRS_GRADE
from core.scheduling.model import Rating

__all__ = [
    "DEFAULT_PARAMETERS",
    "MIN_ITEMS_TO_FIT",
    "MIN_REVIEWS_TO_FIT",
    "FittedParameters",
    "LoggedReview",
    "fit_parameters",
    "memory_states",
]

MIN_REVIEWS_TO_FIT = 400
MIN_ITEMS_TO_FIT = 64
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(FSRS_DEFAULTS)  # what FsrsScheduler uses

LoggedReview = tuple[str, date, Rating]  # (card key, learner day, rating 1–5), in time order


@dataclass(frozen=True, slots=True)
class FittedParameters:
    """FSRS's 21 parameters fitted on `reviews_used` reviews."""

    parameters: tuple[float, ...]
    reviews_used: int

    def __post_init__(self) -> None:
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(
                f"FSRS needs {len(DEFAULT_PARAMETERS)} parameters, got {len(self.parameters)}"
            )


def fit_parameters(reviews: Sequence[LoggedReview]) -> FittedParameters | None:
    """The learner's parameters, or None when there are too few reviews to fit them."""
    if len(reviews) < MIN_REVIEWS_TO_FIT:
        return None
    items = [item for item in _items(reviews) if item.long_term_review_cnt() > 0]
    if len(items) < MIN_ITEMS_TO_FIT:
        return None
    fitted = fsrs_rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(items)
    return FittedParameters(_bounded(fitted), len(reviews))


def memory_states(
    reviews: Iterable[LoggedReview], parameters: Sequence[float]
) -> dict[str, tuple[float, float]]:
    """Each card's (stability, difficulty) after its whole history under `parameters`."""
    histories: dict[str, list[fsrs_rs.FSRSReview]] = {}
    for card, review in _graded(reviews):
        histories.setdefault(card, []).append(review)
    cards = list(histories)
    states = fsrs_rs.FSRS(_bounded(parameters)).memory_state_batch(
        [fsrs_rs.FSRSItem(histories[card]) for card in cards]
    )
    return {
        card: (state.stability, state.difficulty) for card, state in zip(cards, states, strict=True)
    }


def _items(reviews: Iterable[LoggedReview]) -> Iterable[fsrs_rs.FSRSItem]:
    """One item per review that follows an earlier review of the same card."""
    histories: dict[str, list[fsrs_rs.FSRSReview]] = {}
    for card, review in _graded(reviews):
        history = histories.setdefault(card, [])
        history.append(review)
        if len(history) > 1:
            yield fsrs_rs.FSRSItem(history)


def _graded(reviews: Iterable[LoggedReview]) -> Iterable[tuple[str, fsrs_rs.FSRSReview]]:
    """Each review as fsrs-rs reads it: its grade and the learner days since the card's last."""
    last_day: dict[str, date] = {}
    for card, day, rating in reviews:
        previous = last_day.get(card, day)
        # A learner who moved west can rate "yesterday" after today: the same day, then.
        elapsed = max((day - previous).days, 0)
        last_day[card] = max(day, previous)
        yield card, fsrs_rs.FSRSReview(FSRS_GRADE[rating], elapsed)


def _bounded(parameters: Sequence[float]) -> tuple[float, ...]:
    return tuple(
        round(min(max(value, low), high), 6)
        for value, low, high in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )
