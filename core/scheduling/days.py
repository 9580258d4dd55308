"""Learner calendar days, counted as Anki does: a day begins at `day_start` local time.

Schedules are kept in these days, not in instants: a card reviewed late in the evening and due
"tomorrow" is due from 04:00 the next morning, however many hours later that is. Days are
DST-correct: a learner day can be 23 or 25 hours long, and one whose start falls in a
spring-forward gap begins at the first instant after the gap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from core.scheduling.model import Memory

__all__ = ["DEFAULT_DAY_START", "day_start_instant", "due_instant", "learner_day"]

DEFAULT_DAY_START = time(4, 0)

_ONE_DAY = timedelta(days=1)


def learner_day(instant: datetime, zone: tzinfo, day_start: time = DEFAULT_DAY_START) -> date:
    """The learner day holding `instant` (03:59 local belongs to the previous day)."""
    if instant.tzinfo is None:
        raise ValueError(f"instant must be timezone-aware: {instant!r}")
    local = instant.astimezone(zone)
    day = local.date() - _ONE_DAY if local.time() < day_start else local.date()
    # Wall-clock comparison is wrong inside a DST fold or gap around day_start; settle it against
    # the day boundaries themselves so `day_start_instant(d) <= instant < day_start_instant(d+1)`.
    if instant < day_start_instant(day, zone, day_start):
        return day - _ONE_DAY
    if instant >= day_start_instant(day + _ONE_DAY, zone, day_start):
        return day + _ONE_DAY
    return day


@lru_cache(maxsize=4096)  # pure, and asked several times per rating for the same few days
def day_start_instant(day: date, zone: tzinfo, day_start: time = DEFAULT_DAY_START) -> datetime:
    """The UTC instant at which learner day `day` begins.

    In an autumn fold the first occurrence counts (fold=0); inside a spring-forward gap the day
    begins at the first valid instant after the gap, i.e. the transition itself.
    """
    if day_start.tzinfo is not None:
        raise ValueError(f"day_start must be a local wall-clock time, got {day_start!r}")
    wall = datetime.combine(day, day_start.replace(fold=0), tzinfo=zone)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    return _gap_end(wall, zone)


def due_instant(memory: Memory, zone: tzinfo, day_start: time = DEFAULT_DAY_START) -> datetime:
    """The UTC instant from which the card is due: the start of its due learner day."""
    return day_start_instant(memory.due_day, zone, day_start)


def _gap_end(wall: datetime, zone: tzinfo) -> datetime:
    """The transition instant of the spring-forward gap that swallows the wall time `wall`."""
    # PEP 495: fold=1 reads a gap time with the offset after the jump (an instant before the
    # transition), fold=0 with the offset before it (an instant after). Bisect between them to
    # the second; tzdata transitions fall on whole seconds.
    before = int(wall.replace(fold=1).timestamp())
    after = int(wall.replace(fold=0).timestamp())
    offset_before = _offset_at(before, zone)
    while after - before > 1:
        middle = (before + after) // 2
        if _offset_at(middle, zone) == offset_before:
            before = middle
        else:
            after = middle
    return datetime.fromtimestamp(after, UTC)


def _offset_at(timestamp: int, zone: tzinfo) -> timedelta | None:
    return datetime.fromtimestamp(timestamp, zone).utcoffset()
