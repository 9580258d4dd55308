"""The real clock and randomness behind the core's Clock and Randomness ports."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime
from typing import TypeVar

__all__ = ["SystemClock", "SystemRandomness"]

T = TypeVar("T")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SystemRandomness:
    """Ids from the OS's secure source (they sit in button data); the rest from `random`."""

    def __init__(self) -> None:
        self._random = random.Random(secrets.randbits(64))

    def random(self) -> float:
        return self._random.random()

    def new_id(self) -> int:
        return secrets.randbelow(2**53 - 1) + 1

    def shuffle(self, items: list[T]) -> None:
        self._random.shuffle(items)
