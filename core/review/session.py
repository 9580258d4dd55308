"""The review session record: which card is on screen and how far the learner got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ReviewSession"]


@dataclass(frozen=True, slots=True)
class ReviewSession:
    """A learner's running review in one chat.

    `step` counts the ratings given in this session; together with the session id and card it is
    the review log's idempotency key. `version` changes on every transition, so a button made for
    an older version is stale.
    """

    id: int
    learner_id: int
    chat_id: int | None
    deck_ids: tuple[str, ...]
    current_card_id: str | None
    revealed: bool
    step: int
    version: int
    started_at: datetime
    updated_at: datetime
