"""Conversions between core values and SQL column values, shared by both backends' repositories.

Instants are stored as INTEGER milliseconds since the Unix epoch (UTC) and always come back as
timezone-aware UTC datetimes; learner days as ISO 'YYYY-MM-DD' text; tuples as JSON arrays.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

__all__ = [
    "bool_from_sql",
    "bool_to_sql",
    "date_from_sql",
    "date_to_sql",
    "instant_from_sql",
    "instant_to_sql",
    "placeholders",
    "strings_from_sql",
    "strings_to_sql",
    "time_from_sql",
    "time_to_sql",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def instant_to_sql(instant: datetime) -> int:
    """Milliseconds since the epoch (sub-millisecond digits dropped); naive values are refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"refusing to store a naive datetime: {instant!r}")
    since = instant - _EPOCH  # exact integer arithmetic; timedelta // timedelta is slower
    return since.days * 86_400_000 + since.seconds * 1000 + since.microseconds // 1000


def instant_from_sql(value: int) -> datetime:
    return _EPOCH + value * _MILLISECOND


def date_to_sql(day: date) -> str:
    return day.isoformat()


def date_from_sql(value: str) -> date:
    return date.fromisoformat(value)


def time_to_sql(moment: time) -> str:
    if moment.tzinfo is not None:
        raise ValueError(f"expected a local wall-clock time, got {moment!r}")
    return moment.isoformat()


def time_from_sql(value: str) -> time:
    return time.fromisoformat(value)


def bool_to_sql(value: bool) -> int:
    return 1 if value else 0


def bool_from_sql(value: int) -> bool:
    return value != 0


def strings_to_sql(values: Sequence[str]) -> str:
    if isinstance(values, tuple):
        return _tuple_to_sql(values)
    return json.dumps(list(values), ensure_ascii=False)


# A session's deck list is encoded and decoded on every press, and there are few distinct ones.
@lru_cache(maxsize=1024)
def _tuple_to_sql(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


@lru_cache(maxsize=1024)
def strings_from_sql(value: str) -> tuple[str, ...]:
    decoded = json.loads(value)
    if not isinstance(decoded, list) or not all(isinstance(item, str) for item in decoded):
        raise ValueError(f"expected a JSON array of strings, got {value!r}")
    return tuple(decoded)


def placeholders(count: int) -> str:
    """`?, ?, ?` for an IN list; `NULL` for none, so an empty list parses and matches nothing."""
    if count == 0:
        return "NULL"
    return ", ".join("?" * count)
