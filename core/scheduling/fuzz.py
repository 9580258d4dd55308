"""Interval fuzz: spread cards learned together over neighbouring days, Anki-like.

The caller draws the fuzz number in [0, 1) from the core's injected Randomness, so a review is
reproducible in tests; fsrs's own fuzzing uses the global `random` module and stays off.
"""

from __future__ import annotations

__all__ = ["MIN_FUZZED_INTERVAL", "fuzz_spread", "fuzzed_interval"]

MIN_FUZZED_INTERVAL = 3  # shorter intervals would move by a third or more; leave them alone
_DAYS_PER_SPREAD_DAY = 20  # 5%


def fuzz_spread(interval_days: int) -> int:
    """How many days an interval may move either way: 5% of it rounded to the nearest day (halves
    up, in integers so no float lands a boundary on the other side), at least 1; 0 under 3 days."""
    if interval_days < MIN_FUZZED_INTERVAL:
        return 0
    half = _DAYS_PER_SPREAD_DAY // 2
    return max(1, (interval_days + half) // _DAYS_PER_SPREAD_DAY)


def fuzzed_interval(
    interval_days: int,
    fuzz: float | None,
    *,
    maximum_days: int,
    previous_days: int | None = None,
) -> int:
    """`interval_days`, capped at `maximum_days`, moved by up to `fuzz_spread` days either way
    (never below 1 day or above `maximum_days`), uniformly by `fuzz`.

    `fuzz` None means no fuzz. `previous_days` is the interval before a passed review: the result
    stays on the same side of it as `interval_days`, so fuzz never turns a growing interval into a
    shrinking one.
    """
    if fuzz is not None and not 0.0 <= fuzz < 1.0:
        raise ValueError(f"fuzz must be in [0, 1), got {fuzz}")
    interval_days = min(interval_days, maximum_days)
    if fuzz is None or interval_days < MIN_FUZZED_INTERVAL:
        return interval_days
    spread = fuzz_spread(interval_days)
    low = max(1, interval_days - spread)
    high = min(maximum_days, interval_days + spread)
    if previous_days is not None:
        if interval_days > previous_days:
            low = max(low, previous_days + 1)
        elif interval_days < previous_days:
            high = min(high, previous_days - 1)
        else:
            low = high = interval_days
    return low + int(fuzz * (high - low + 1))
