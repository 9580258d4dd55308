"""Test doubles for the core's small ports: a clock you move by hand and seeded randomness."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TypeVar

T = TypeVar("T")


class FakeClock:
    def __init__(self, start: datetime) -> None:
        assert start.tzinfo is UTC
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def set(self, instant: datetime) -> None:
        assert instant.tzinfo is UTC
        self.current = instant


class SeededRandomness:
    def __init__(self, seed: int = 7) -> None:
        self._random = random.Random(seed)

    def random(self) -> float:
        return self._random.random()

    def new_id(self) -> int:
        return self._random.randrange(1, 2**53)

    def shuffle(self, items: list[T]) -> None:
        self._random.shuffle(items)
