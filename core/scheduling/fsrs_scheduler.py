"""FSRS scheduling on whole learner days, on top of py-fsrs.

- Ratings: 1 and 2 → Again, 3 → Hard, 4 → Good, 5 → Easy. Hard is a pass in FSRS, so "poor"
  must not map to it (in a simulation it lowered true retention while FSRS still reported its
  target; README, Benchmarks).
- No learning steps: a chat bot cannot reliably re-ask a card after 1 or 10 minutes, and with
  fsrs's default steps a learner who keeps rating 3 never leaves Learning. Every answer schedules
  at least one day ahead.
- Days: py-fsrs counts elapsed time in whole 24-hour periods, so 08:00 after 20:00 the evening
  before would be "0 days". It is fed the UTC midnight of each learner day instead, which makes
  elapsed days equal calendar days, immune to DST. Same-day repeats take fsrs's short-term path.
- Fuzz: fsrs's own uses the global `random`; ours takes the caller's number (see `fuzz`).
- From SM-2: a memory without stability starts at stability = its interval (the interval SM-2
  thought gives ~90% recall, which is what FSRS's stability means) and a middling difficulty 5.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import fsrs

from core.scheduling.fuzz import fuzzed_interval
from core.scheduling.model import Memory, Rating, SchedulerKind, counts_after

__all__ = ["FROM_SM2_DIFFICULTY", "FSRS_GRADE", "FsrsScheduler", "fsrs_engine"]

FROM_SM2_DIFFICULTY = 5.0

_FSRS_RATING = {
    Rating.NOT_AT_ALL: fsrs.Rating.Again,
    Rating.POOR: fsrs.Rating.Again,
    Rating.FAIR: fsrs.Rating.Hard,
    Rating.GOOD: fsrs.Rating.Good,
    Rating.PERFECTLY: fsrs.Rating.Easy,
}
FSRS_GRADE = {rating: int(grade) for rating, grade in _FSRS_RATING.items()}  # 1..4, for fsrs-rs
# fsrs.Card() without an id reads the clock and calls time.sleep(0.001); the id is unused here.
_CARD_ID = 0


@lru_cache(maxsize=256)
def fsrs_engine(
    desired_retention: float,
    maximum_interval_days: int,
    parameters: tuple[float, ...] | None = None,
) -> fsrs.Scheduler:
    """A py-fsrs Scheduler for day-level reviews; cached, as it is never mutated.

    `parameters` None are fsrs's defaults; else a learner's own (`core.scheduling.fit`).
    """
    return fsrs.Scheduler(
        parameters=fsrs.scheduler.DEFAULT_PARAMETERS if parameters is None else parameters,
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=maximum_interval_days,
        enable_fuzzing=False,
    )


@dataclass(frozen=True, slots=True)
class FsrsScheduler:
    """Schedules reviews with FSRS at the given desired retention, with the learner's own
    parameters when they have some (None: fsrs's defaults)."""

    desired_retention: float = 0.9
    maximum_interval_days: int = 36500
    fuzz_enabled: bool = True
    parameters: tuple[float, ...] | None = None

    @property
    def kind(self) -> SchedulerKind:
        return SchedulerKind.FSRS

    def review(
        self, memory: Memory | None, rating: Rating, review_day: date, fuzz: float | None = None
    ) -> Memory:
        if memory is not None:
            # A learner who moved west can be a day "behind" their last review: same day, then.
            review_day = max(review_day, memory.last_review_day)
        engine = fsrs_engine(self.desired_retention, self.maximum_interval_days, self.parameters)
        card, _ = engine.review_card(
            _card_from(memory, review_day),
            _FSRS_RATING[rating],
            review_datetime=_day_instant(review_day),
        )
        assert card.stability is not None and card.difficulty is not None  # set by every review
        interval = fuzzed_interval(
            (card.due - _day_instant(review_day)).days,
            fuzz if self.fuzz_enabled else None,
            maximum_days=self.maximum_interval_days,
            previous_days=memory.interval_days if memory and not rating.is_lapse else None,
        )
        reps, lapses = counts_after(memory, rating)
        return Memory(
            kind=SchedulerKind.FSRS,
            reps=reps,
            lapses=lapses,
            interval_days=interval,
            last_review_day=review_day,
            due_day=review_day + timedelta(days=interval),
            stability=card.stability,
            difficulty=card.difficulty,
        )


def _card_from(memory: Memory | None, review_day: date) -> fsrs.Card:
    if memory is None:
        # A new card: Learning with no steps, so fsrs graduates it to Review on this first answer.
        return fsrs.Card(card_id=_CARD_ID, due=_day_instant(review_day))
    return fsrs.Card(
        card_id=_CARD_ID,
        state=fsrs.State.Review,
        step=None,
        stability=memory.stability if memory.stability is not None else float(memory.interval_days),
        difficulty=memory.difficulty if memory.difficulty is not None else FROM_SM2_DIFFICULTY,
        due=_day_instant(memory.due_day),
        last_review=_day_instant(memory.last_review_day),
    )


def _day_instant(day: date) -> datetime:
    """The synthetic instant fsrs sees for a learner day (see the module docstring)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
