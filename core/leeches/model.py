"""When a card is a leech, and the limits of a personal hint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from core import texts
from core.commands import CommandNames
from core.errors import InvalidInput
from core.scheduling.model import Memory, Rating

__all__ = [
    "DEFAULT_LEECH_LAPSES",
    "HINT_PROMPT_MINUTES",
    "MAX_HINT_CHARS",
    "MAX_LEECH_LAPSES",
    "MIN_LEECH_LAPSES",
    "HintPrompt",
    "SuspendedCard",
    "is_leech",
    "just_became_leech",
    "leech_threshold",
    "leeches_of",
]

DEFAULT_LEECH_LAPSES = 6  # Anki's default leech threshold; each learner may choose their own
# Below 3 ordinary forgetting would flag cards (and every lapse re-flag them: half of 2 is 1);
# above 20 hardly any card is ever flagged.
MIN_LEECH_LAPSES = 3
MAX_LEECH_LAPSES = 20
MAX_HINT_CHARS = 300
HINT_PROMPT_MINUTES = 10  # how long "send your hint" waits for the learner's next message


def is_leech(lapses: int, threshold: int = DEFAULT_LEECH_LAPSES) -> bool:
    return lapses >= threshold


def leeches_of(
    lapses: Mapping[tuple[int, str], int], thresholds: Mapping[int, int]
) -> dict[str, int]:
    """The cards that are a leech for one of the learners, each by their own threshold
    (`thresholds`: learner id → lapses), from their lapses by (learner, card): the most lapses
    among those learners, by card."""
    found: dict[str, int] = {}
    for (learner_id, card_id), count in lapses.items():
        threshold = thresholds.get(learner_id)
        if threshold is not None and is_leech(count, threshold):
            found[card_id] = max(found.get(card_id, 0), count)
    return found


def leech_threshold(text: str, commands: CommandNames) -> int:
    """A typed leech threshold, or InvalidInput saying what is wrong (`commands` spell the
    example)."""
    typed = text.strip()
    try:
        lapses = int(typed)
    except ValueError:
        message = texts.LEECH_THRESHOLD_NOT_A_NUMBER if typed else texts.LEECH_THRESHOLD_MISSING
        raise InvalidInput(
            commands.fill(message, text=typed, low=MIN_LEECH_LAPSES, high=MAX_LEECH_LAPSES)
        ) from None
    if not MIN_LEECH_LAPSES <= lapses <= MAX_LEECH_LAPSES:
        raise InvalidInput(
            texts.LEECH_THRESHOLD_OUT_OF_RANGE.format(
                lapses=lapses, low=MIN_LEECH_LAPSES, high=MAX_LEECH_LAPSES
            )
        )
    return lapses


def just_became_leech(
    previous: Memory | None, rating: Rating, after: Memory, threshold: int = DEFAULT_LEECH_LAPSES
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
