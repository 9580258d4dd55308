"""Plain data for spaced repetition: the learner's rating, a card's memory, scheduler settings.

A rating is the bot's five-point answer to "How well did you know this?". Each scheduler maps it to
its own grades (see `fsrs_scheduler` and `sm2`). `Memory` counts whole learner days (see `days`),
never instants, so a schedule cannot drift with time zones or DST.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from core.errors import InvalidRating

__all__ = [
    "MAX_DESIRED_RETENTION",
    "MIN_DESIRED_RETENTION",
    "Memory",
    "Rating",
    "SchedulerKind",
    "SchedulerSettings",
    "counts_after",
]

MIN_DESIRED_RETENTION = 0.70
MAX_DESIRED_RETENTION = 0.99


class Rating(IntEnum):
    """The learner's "How well did you know this?" answer."""

    NOT_AT_ALL = 1
    POOR = 2
    FAIR = 3
    GOOD = 4
    PERFECTLY = 5

    @property
    def is_lapse(self) -> bool:
        """Below FAIR the card counts as forgotten, in both schedulers."""
        return self < Rating.FAIR

    @classmethod
    def parse(cls, value: object) -> Rating:
        """A rating from an int or a "1".."5" string (button data, typed text)."""
        # bool is an int subclass: True must not quietly become "not at all".
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip() in {"1", "2", "3", "4", "5"}:
            number = int(value.strip())
        else:
            raise InvalidRating()
        try:
            return cls(number)
        except ValueError:
            raise InvalidRating() from None


class SchedulerKind(StrEnum):
    FSRS = "fsrs"
    SM2 = "sm2"


@dataclass(frozen=True, slots=True)
class Memory:
    """What a scheduler remembers about one learner's card, in whole learner days."""

    kind: SchedulerKind
    reps: int  # successful reviews in a row (SM-2's n); for FSRS: reviews rated >= 3 in a row
    lapses: int  # total ratings < 3 after the first review
    interval_days: int  # days between last_review_day and due_day (>= 1)
    last_review_day: date
    due_day: date
    stability: float | None = None  # FSRS
    difficulty: float | None = None  # FSRS
    ease: float | None = None  # SM-2 easiness factor

    def __post_init__(self) -> None:
        # A bad row from storage should fail here, not as a strange schedule weeks later.
        if self.reps < 0 or self.lapses < 0:
            raise ValueError(f"reps and lapses cannot be negative: {self}")
        if self.interval_days < 1:
            raise ValueError(f"interval_days must be at least 1: {self}")
        if (self.due_day - self.last_review_day).days != self.interval_days:
            raise ValueError(f"due_day must be last_review_day + interval_days: {self}")
        if self.kind is SchedulerKind.FSRS and (self.stability is None or self.difficulty is None):
            raise ValueError(f"an FSRS memory needs stability and difficulty: {self}")
        if self.kind is SchedulerKind.SM2 and self.ease is None:
            raise ValueError(f"an SM-2 memory needs an ease: {self}")


def counts_after(memory: Memory | None, rating: Rating) -> tuple[int, int]:
    """(reps, lapses) after rating `memory`; failing a brand-new card is not a lapse."""
    if memory is None:
        return (0 if rating.is_lapse else 1), 0
    if rating.is_lapse:
        return 0, memory.lapses + 1
    return memory.reps + 1, memory.lapses


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """A learner's choice of scheduler. Validate user input against the MIN/MAX constants first."""

    kind: SchedulerKind = SchedulerKind.FSRS
    desired_retention: float = 0.9  # FSRS only
    maximum_interval_days: int = 36500
    fuzz: bool = True
    # FSRS: the learner's own parameters (core.personal), read with the learner; None: defaults.
    parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not MIN_DESIRED_RETENTION <= self.desired_retention <= MAX_DESIRED_RETENTION:
            raise ValueError(
                f"desired_retention must be within {MIN_DESIRED_RETENTION}.."
                f"{MAX_DESIRED_RETENTION}, got {self.desired_retention}"
            )
        if self.maximum_interval_days < 1:
            raise ValueError(
                f"maximum_interval_days must be at least 1, got {self.maximum_interval_days}"
            )
