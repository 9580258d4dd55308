"""An Anki collection's scheduling (its `revlog` and the cards' ivl/due/FSRS memory) as a
learner's past reviews, checked row by row: a crafted revlog is refused, not half-imported.

Ratings: Anki's answer buttons map onto the bot's five points as the bot's FSRS reads them back
(1 and 2 → Again, 3 → Hard, 4 → Good, 5 → Easy), so Again → 1, Hard → 3, Good → 4, Easy → 5.
Revlog rows of "manual" and "rescheduled" kind (ease 0: set due date, forget) are no answers and
are skipped. Card states: review and relearning cards keep Anki's due day and FSRS memory (the
`data` JSON's s and d) where present; cards still in learning are due the day after their last
answer; new cards stay new; suspension and burying are not carried over.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.decks.formats.base import MAX_CARDS, key_for_guid
from core.errors import DeckImportError
from core.scheduling.model import Rating

__all__ = [
    "ANKI_EASE_RATING",
    "MAX_REVIEWS",
    "AnkiCardRow",
    "AnkiReviewRow",
    "DeckHistory",
    "PastCardState",
    "PastReview",
    "deck_history",
]

ANKI_EASE_RATING = {1: Rating.NOT_AT_ALL, 2: Rating.FAIR, 3: Rating.GOOD, 4: Rating.PERFECTLY}
MAX_REVIEWS = 500_000  # ~30 years of 45 answers a day; a crafted revlog stops here
_ANSWER_KINDS = {0, 1, 2, 3}  # learn, review, relearn, filtered ("cram"); 4, 5: no answer
_REVIEW_TYPES = {2, 3}  # card type review, relearning
_LEARNING_TYPE = 1
_EARLIEST_MS = 946_684_800_000  # 2000-01-01: Anki is younger, a smaller id is not a time
_LATEST_MS = 4_102_444_800_000  # 2100-01-01
_MAX_DAYS = 36_500
_MAX_DATA_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class AnkiReviewRow:
    """One `revlog` row as stored: id (milliseconds), card id, ease 0–4, ivl, type 0–5."""

    id: object
    card_id: object
    ease: object
    interval: object
    kind: object


@dataclass(frozen=True, slots=True)
class AnkiCardRow:
    """One `cards` row's scheduling, with its note's GUID and the card ordinal."""

    id: object
    guid: str
    ordinal: object
    card_type: object
    due: object
    interval: object
    reps: object
    lapses: object
    data: object


@dataclass(frozen=True, slots=True)
class PastReview:
    card_key: str  # the card's key in the deck (key_for_guid of its note and number)
    import_key: str  # unique per learner: re-importing adds nothing twice
    revlog_id: int  # Anki's: the answer's time in milliseconds
    reviewed_at: datetime
    rating: Rating
    interval_days: int  # the interval Anki gave (0 for one under a day)


@dataclass(frozen=True, slots=True)
class PastCardState:
    card_key: str
    due_day: date | None  # None: still learning, due the day after its last answer
    interval_days: int  # Anki's ivl (0 while learning)
    stability: float | None  # FSRS memory as Anki had it; None: replay the reviews
    difficulty: float | None
    lapses: int


@dataclass(frozen=True, slots=True)
class DeckHistory:
    reviews: tuple[PastReview, ...]  # in time order
    cards: tuple[PastCardState, ...]  # cards Anki has seen (not new)


def deck_history(
    reviews: list[AnkiReviewRow], cards: list[AnkiCardRow], created_at: object, source: str
) -> DeckHistory:
    """The history in the rows of a collection created at `created_at` (Unix seconds)."""
    if len(reviews) > MAX_REVIEWS or len(cards) > 2 * MAX_CARDS:
        raise DeckImportError(f"{source}: the review history has more than {MAX_REVIEWS:,} rows")
    created_day = _created_day(_number(created_at, 0, _LATEST_MS // 1000, source, "crt"))
    keys: dict[int, str] = {}
    states: list[PastCardState] = []
    for row in cards:
        card_id = _number(row.id, 1, 2**63 - 1, source, "card id")
        keys[card_id] = key_for_guid(row.guid, _number(row.ordinal, 0, 999, source, "ord") + 1)
        state = _card_state(row, keys[card_id], created_day, source)
        if state is not None:
            states.append(state)
    past = [_review(row, keys, source) for row in reviews]
    answers = sorted((r for r in past if r is not None), key=lambda r: r.reviewed_at)
    return DeckHistory(tuple(answers), tuple(states))


def _review(row: AnkiReviewRow, keys: dict[int, str], source: str) -> PastReview | None:
    revlog_id = _number(row.id, _EARLIEST_MS, _LATEST_MS, source, "review id")
    kind = _number(row.kind, 0, 5, source, "review type")
    ease = _number(row.ease, 0, 4, source, "review ease")
    interval = _number(row.interval, -(10**9), _MAX_DAYS, source, "review interval")
    key = keys.get(_number(row.card_id, 1, 2**63 - 1, source, "review card"))
    if key is None or kind not in _ANSWER_KINDS or ease == 0:
        return None  # a review of a card not in the package, or no answer
    return PastReview(
        card_key=key,
        import_key=f"anki:{revlog_id}:{key}",
        revlog_id=revlog_id,
        reviewed_at=datetime.fromtimestamp(revlog_id / 1000, UTC),
        rating=ANKI_EASE_RATING[ease],
        interval_days=max(interval, 0),  # negative: seconds, a learning step
    )


def _card_state(row: AnkiCardRow, key: str, created_day: date, source: str) -> PastCardState | None:
    card_type = _number(row.card_type, 0, 3, source, "card type")
    _number(row.reps, 0, MAX_REVIEWS, source, "card reps")
    interval = _number(row.interval, -(10**9), _MAX_DAYS, source, "card interval")
    lapses = _number(row.lapses, 0, MAX_REVIEWS, source, "card lapses")
    stability, difficulty = _memory(row.data, source)
    if card_type in _REVIEW_TYPES:
        due = _number(row.due, -_MAX_DAYS, 10 * _MAX_DAYS, source, "card due")
        due_day: date | None = created_day + timedelta(days=due)
    elif card_type == _LEARNING_TYPE:
        due_day = None
    else:
        return None  # new: stays new
    return PastCardState(key, due_day, max(interval, 0), stability, difficulty, lapses)


def _memory(data: object, source: str) -> tuple[float | None, float | None]:
    """FSRS stability and difficulty from the card's `data` JSON, when Anki kept them."""
    if data is None or data == "":
        return None, None
    if not isinstance(data, str) or len(data) > _MAX_DATA_CHARS:
        raise DeckImportError(f"{source}: a card's scheduling data is damaged")
    try:
        parsed = json.loads(data)
    except ValueError:
        raise DeckImportError(f"{source}: a card's scheduling data is damaged") from None
    if not isinstance(parsed, dict) or "s" not in parsed or "d" not in parsed:
        return None, None
    stability, difficulty = parsed["s"], parsed["d"]
    if not all(_is_real(v) for v in (stability, difficulty)) or not (
        0 < stability <= _MAX_DAYS and 1 <= difficulty <= 10
    ):
        raise DeckImportError(f"{source}: a card's FSRS memory is out of range")
    return float(stability), float(difficulty)


def _is_real(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _number(value: object, low: int, high: int, source: str, what: str) -> int:
    # A crafted file may hold text, blobs, floats or huge numbers where Anki stores integers.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DeckImportError(f"{source}: the review history is damaged ({what} {value!r:.40})")
    return value


def _created_day(created_at: int) -> date:
    """Anki's day 0 for due days: `crt` is the collection's first day rollover (04:00 local by
    default); 9 hours on lands on that day in UTC, for zones from UTC-10 to UTC+13."""
    return (datetime.fromtimestamp(created_at, UTC) + timedelta(hours=9)).date()
