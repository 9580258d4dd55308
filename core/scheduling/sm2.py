"""SuperMemo 2 (Wozniak, 1990) on whole learner days.

The rating is SM-2's quality q directly. q < 3 is a lapse: repetitions restart (n = 0, one day)
and the E-Factor stays as it was. Otherwise I(1) = 1, I(2) = 6, I(n) = round(I(n-1) * EF), with
the EF held before this answer, and then EF' = EF + (0.1 - (5-q) * (0.08 + (5-q) * 0.02)),
floored at 1.3, starting at 2.5. This is the published algorithm read literally: step 5 updates
the E-Factor after a repetition, step 6 says a response below 3 restarts the repetitions "without
changing the E-Factor" (P. A. Wozniak, "Application of a computer to improve the results obtained
in working with the SuperMemo method", 1990, https://www.supermemo.com/english/ol/sm2.htm). So a
new card failed at first sight keeps EF 2.5. From an FSRS memory: EF 2.5, interval and reps kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.scheduling.fuzz import fuzzed_interval
from core.scheduling.model import Memory, Rating, SchedulerKind, counts_after

__all__ = ["INITIAL_EASE", "MIN_EASE", "Sm2Scheduler", "next_ease"]

INITIAL_EASE = 2.5
MIN_EASE = 1.3


def next_ease(ease: float, rating: Rating) -> float:
    """SM-2's E-Factor after an answer of quality `rating`: unchanged by a lapse (q < 3),
    else moved by the formula and floored at MIN_EASE."""
    if rating.is_lapse:
        return ease
    miss = 5 - int(rating)
    return max(MIN_EASE, ease + (0.1 - miss * (0.08 + miss * 0.02)))


@dataclass(frozen=True, slots=True)
class Sm2Scheduler:
    """Schedules reviews with SM-2."""

    maximum_interval_days: int = 36500
    fuzz_enabled: bool = True

    @property
    def kind(self) -> SchedulerKind:
        return SchedulerKind.SM2

    def review(
        self, memory: Memory | None, rating: Rating, review_day: date, fuzz: float | None = None
    ) -> Memory:
        if memory is not None:
            # A learner who moved west can be a day "behind" their last review: same day, then.
            review_day = max(review_day, memory.last_review_day)
        ease = memory.ease if memory is not None and memory.ease is not None else INITIAL_EASE
        reps, lapses = counts_after(memory, rating)
        if reps <= 1:
            interval = 1  # a lapse, or a first success
        elif reps == 2:
            interval = 6
        else:
            assert memory is not None  # reps >= 3 needs earlier successes
            interval = round(memory.interval_days * ease)
        interval = fuzzed_interval(
            interval,
            fuzz if self.fuzz_enabled else None,
            maximum_days=self.maximum_interval_days,
            previous_days=memory.interval_days if memory and not rating.is_lapse else None,
        )
        return Memory(
            kind=SchedulerKind.SM2,
            reps=reps,
            lapses=lapses,
            interval_days=interval,
            last_review_day=review_day,
            due_day=review_day + timedelta(days=interval),
            ease=next_ease(ease, rating),
        )
