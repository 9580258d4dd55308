"""When a card is a leech, and the limits of a personal hint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.scheduling.model import Memory, Rating

__all__ = [
    "HINT_PROMPT_MINUTES",
    "LEECH_LAPSES",
    "MAX_HINT_CHARS",
    "HintPrompt",
    "SuspendedCard",
    "is_leech",
    "just_became_leech",
]

LEECH_LAPSES = 6  # Anki's default leech threshold
MAX_HINT_CHARS = 300
HINT_PROMPT_MINUTES = 10  # how long "send your hint" waits for the learner's next message


def is_leech(lapses: int, threshold: int = LEECH_LAPSES) -> bool:
    return lapses >= threshold


def just_became_leech(
    previous: Memory | None, rating: Rating, after: Memory, threshold: int = LEECH_LAPSES
) -> bool:
    """Whether this rating flags the card: a lapse on a card in review that brings its lapses to
    the threshold, and again every half threshold after it (as Anki re-flags a leech)."""
    if previous is None or not rating.is_lapse or after.lapses <= previous.lapses:
        return False
    past = after.lapses - threshold
    return past >= 0 and past % max(1, threshold // 2) == 0


@dataclass(frozen=True, slots=True)
class HintPrompt:
    """The bot asked the learner for a hint on `card_id`; their next message in `chat_id` (None:
    any chat of theirs) before `expires_at` is it."""

    learner_id: int
    card_id: str
    chat_id: int | None
    expires_at: datetime

    @classmethod
    def opened(
        cls, learner_id: int, card_id: str, chat_id: int | None, now: datetime
    ) -> HintPrompt:
        return cls(learner_id, card_id, chat_id, now + timedelta(minutes=HINT_PROMPT_MINUTES))


@dataclass(frozen=True, slots=True)
class SuspendedCard:
    card_id: str
    question: str
    suspended_at: datetime
