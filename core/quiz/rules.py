"""A group quiz's numbers, in one place: what a member may ask for and what they get unasked.

Platforms build their command options from these (Discord's ranges and defaults, Telegram's
argument parsing); the service refuses anything outside them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DAILY_CARDS", "DAILY_SECONDS", "QUIZ_CARDS", "QUIZ_SECONDS", "Bounds"]


@dataclass(frozen=True, slots=True)
class Bounds:
    """A whole number a member may choose: `default` when they do not, `low`..`high` inclusive."""

    default: int
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


QUIZ_CARDS = Bounds(default=10, low=1, high=50)
QUIZ_SECONDS = Bounds(default=30, low=10, high=600)  # per card: to answer, then to rate
# The daily group quiz (a chat's daily push) is shorter and slower, and nobody chooses.
DAILY_CARDS, DAILY_SECONDS = 5, 60
