"""A learner's scheduling state for one card, and the append-only review log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from core.scheduling.model import Memory, Rating, SchedulerKind

__all__ = ["CardCountQuery", "CardState", "ReviewRecord", "ReviewSource"]


@dataclass(frozen=True, slots=True)
class CardState:
    """Where one card stands for one learner. `version` 1 is a new row; each save adds one."""

    learner_id: int
    card_id: str
    deck_id: str
    memory: Memory
    due_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class CardCountQuery:
    """One count asked among many at once: how many of the learner's cards in `deck_ids` (due,
    or not yet seen), counted up to `limit` only (a push says a number within the daily limits,
    so counting further would be work thrown away)."""

    learner_id: int
    deck_ids: tuple[str, ...]
    limit: int


class ReviewSource(StrEnum):
    REVIEW = "review"
    QUIZ = "quiz"
    ANKI = "anki"  # imported from an Anki package's revlog (source_id: the revlog id)


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One rating as given, kept forever so schedules can be recomputed or parameters fitted.

    (source, source_id, learner_id, card_id, step) is unique: a repeated press records nothing.
    (learner_id, import_key) is unique too: an imported review is added once (None: not one).
    """

    learner_id: int
    card_id: str
    deck_id: str
    rating: Rating
    reviewed_at: datetime
    review_day: date
    scheduler: SchedulerKind
    interval_days: int
    source: ReviewSource
    source_id: int
    step: int
    chat_id: int | None = None
    first_review: bool = False  # the card's first review ever: counts against the new-card limit
    import_key: str | None = None
