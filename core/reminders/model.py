"""A chat's subscription to a daily push."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

__all__ = ["Subscription"]


@dataclass(frozen=True, slots=True)
class Subscription:
    """A daily push into `chat_id` at `local_time` in `time_zone` (IANA).

    `learner_id` is set for a private push ("N cards are due"); None means a group quiz push.
    `next_push_at` is the UTC instant of the next push: the minutely tick finds due ones through an
    index on it instead of evaluating every zone. A tick leases a due push (in the store, next to
    the row) so two workers never send it twice; moving it to its next day bumps `version`.
    """

    id: int
    chat_id: int
    learner_id: int | None
    local_time: time
    time_zone: str
    next_push_at: datetime
    last_sent_day: date | None
    version: int
    deck_id: str | None = None
