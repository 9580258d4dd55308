"""FSRS-6's forgetting curve and memory updates, in expected values, for the planner.

The same formulas as py-fsrs's Scheduler (fsrs 6), written out because the planner runs them
thousands of times per plan and needs the expected outcome of a review, not one sampled answer:
a review recalled with probability R leaves R × (the state after Good) + (1 − R) × (the state
after Again). A new card's first answer is taken as Good (the learner has just read it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ExpectedMemory", "ForgettingModel"]

_MIN_STABILITY = 0.001
_GOOD = 3
_AGAIN = 1


@dataclass(frozen=True, slots=True)
class ExpectedMemory:
    stability: float
    difficulty: float


@dataclass(frozen=True, slots=True)
class ForgettingModel:
    """FSRS-6 with the given 21 parameters (a learner's own, or fsrs's defaults)."""

    w: Sequence[float]

    @property
    def _decay(self) -> float:
        return -self.w[20]

    @property
    def _factor(self) -> float:
        return float(0.9 ** (1 / self._decay) - 1)

    def retrievability(self, elapsed_days: float, stability: float) -> float:
        return float((1 + self._factor * max(elapsed_days, 0.0) / stability) ** self._decay)

    def interval(self, stability: float, desired_retention: float) -> int:
        """Whole days until recall falls to `desired_retention`, at least one."""
        days = stability / self._factor * (desired_retention ** (1 / self._decay) - 1)
        return max(1, round(float(days)))

    def first_answer(self) -> ExpectedMemory:
        return ExpectedMemory(
            max(self.w[_GOOD - 1], _MIN_STABILITY), self._initial_difficulty(_GOOD)
        )

    def after_review(self, memory: ExpectedMemory, retrievability: float) -> ExpectedMemory:
        """The expected memory after a review at `retrievability`."""
        s, d, r = memory.stability, memory.difficulty, retrievability
        recalled = s * (
            1
            + math.exp(self.w[8])
            * (11 - d)
            * s ** -self.w[9]
            * (math.exp((1 - r) * self.w[10]) - 1)
        )
        forgotten = min(
            self.w[11]
            * d ** -self.w[12]
            * ((s + 1) ** self.w[13] - 1)
            * math.exp((1 - r) * self.w[14]),
            s / math.exp(self.w[17] * self.w[18]),
        )
        stability = r * max(recalled, _MIN_STABILITY) + (1 - r) * max(forgotten, _MIN_STABILITY)
        difficulty = r * self._next_difficulty(d, _GOOD) + (1 - r) * self._next_difficulty(
            d, _AGAIN
        )
        return ExpectedMemory(stability, difficulty)

    def _initial_difficulty(self, grade: int) -> float:
        return _clamp_difficulty(self._unclamped_initial_difficulty(grade))

    def _unclamped_initial_difficulty(self, grade: int) -> float:
        return self.w[4] - math.exp(self.w[5] * (grade - 1)) + 1

    def _next_difficulty(self, difficulty: float, grade: int) -> float:
        damped = difficulty + (10.0 - difficulty) * -(self.w[6] * (grade - 3)) / 9.0
        easy = self._unclamped_initial_difficulty(4)
        return _clamp_difficulty(self.w[7] * easy + (1 - self.w[7]) * damped)


def _clamp_difficulty(difficulty: float) -> float:
    return min(max(difficulty, 1.0), 10.0)
