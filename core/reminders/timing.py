"""When a daily push at a local wall-clock time happens, DST included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = ["local_date", "next_push_after", "push_instant"]


def push_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant of `at` on local `day`.

    A time that does not exist that day (spring-forward gap) is taken with the offset before the
    switch, i.e. it happens as many minutes after the gap; a time that happens twice (autumn)
    is taken at its first occurrence, so the push goes out once.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_date(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def next_push_after(instant: datetime, at: time, zone: tzinfo) -> tuple[date, datetime]:
    """The first local day whose push instant is strictly after `instant`, and that instant."""
    day = local_date(instant, zone) - timedelta(days=1)
    while True:
        candidate = push_instant(day, at, zone)
        if candidate > instant:
            return day, candidate
        day += timedelta(days=1)
