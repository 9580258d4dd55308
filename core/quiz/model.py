"""Plain data of a group quiz as it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.scheduling.model import Rating

__all__ = ["GroupQuiz", "QuizEnd", "QuizPhase", "QuizRating"]


class QuizPhase(StrEnum):
    QUESTION = "question"  # question shown, answer hidden, timer running
    ANSWER = "answer"  # answer shown, members rating
    FINISHED = "finished"


class QuizEnd(StrEnum):
    COMPLETED = "completed"
    STOPPED = "stopped"
    RESTARTED = "restarted"  # the bot restarted and could not resume


@dataclass(frozen=True, slots=True)
class GroupQuiz:
    """One quiz in one chat; at most one is unfinished per chat."""

    id: int
    chat_id: int
    deck_id: str
    starter_id: int
    card_ids: tuple[str, ...]
    position: int
    phase: QuizPhase
    seconds_per_card: int
    deadline_at: datetime | None
    version: int
    started_at: datetime
    ended_at: datetime | None = None
    end_reason: QuizEnd | None = None
    message_ref: str | None = None  # the adapter's handle of the quiz message, for edits

    @property
    def current_card_id(self) -> str | None:
        return self.card_ids[self.position] if self.position < len(self.card_ids) else None


@dataclass(frozen=True, slots=True)
class QuizRating:
    """A member's rating of the card at `position`; a later rating of the same card replaces it."""

    quiz_id: int
    position: int
    learner_id: int
    rating: Rating
    rated_at: datetime
