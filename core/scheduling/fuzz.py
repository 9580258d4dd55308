"""Interval fuzz: spread cards learned together over neighbouring days, Anki-like.

The caller draws the fuzz number in [0, 1) from the core's injected Randomness, so a review is
reproducible in tests; fsrs's own fuzzing uses the global `random` module and stays off.
"""

from __future__ import annotations

__all__ = ["FUZZ_FACTOR", "MIN_FUZZED_INTERVAL", "fuzzed_interval"]

MIN_FUZZED_INTERVAL = 3  # shorter intervals would move by a third or more; leave them alone
FUZZ_FACTOR = 0.05


def fuzzed_interval(
    interval_days: int,
    fuzz: float | None,
    *,
    maximum_days: int,
    previous_days: int | None = None,
) -> int:
    """`interval_days`, capped at `maximum_days`, moved within about ±5% (at least ±1 day).

    `fuzz` None means no fuzz. `previous_days` is the interval before a passed review: the result
    stays on the same side of it as `interval_days`, so fuzz never turns a growing interval into a
    shrinking one.
    """
    if fuzz is not None and not 0.0 <= fuzz < 1.0:
        raise ValueError(f"fuzz must be in [0, 1), got {fuzz}")
    interval_days = min(interval_days, maximum_days)
    if fuzz is None or interval_days < MIN_FUZZED_INTERVAL:
        return interval_days
    spread = max(1, round(interval_days * FUZZ_FACTOR))
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
