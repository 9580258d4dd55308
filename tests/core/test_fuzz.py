"""Interval fuzz: how far each interval may move, pinned at every boundary the README names."""

from __future__ import annotations

import pytest

from core.scheduling.fuzz import fuzz_spread, fuzzed_interval

MAX = 36500


@pytest.mark.parametrize(
    ("interval", "spread"),
    [
        (1, 0),
        (2, 0),
        (3, 1),
        (29, 1),
        (30, 2),
        (49, 2),
        (50, 3),
        (69, 3),
        (70, 4),
        (89, 4),
        (90, 5),
        (100, 5),
        (365, 18),
    ],
)
def test_spread_is_five_percent_rounded_halves_up_at_least_one_day(
    interval: int, spread: int
) -> None:
    assert fuzz_spread(interval) == spread


@pytest.mark.parametrize("interval", [3, 29, 30, 50, 100])
def test_fuzz_reaches_both_ends_of_the_spread_and_nothing_beyond(interval: int) -> None:
    spread = fuzz_spread(interval)
    reached = {fuzzed_interval(interval, i / 1000, maximum_days=MAX) for i in range(1000)}
    assert reached == set(range(interval - spread, interval + spread + 1))
