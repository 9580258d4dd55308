"""A learner's Anki history (`formats.anki_history`) as review-log rows and card states, so
FSRS starts warm and the optimizer has data on day one. Pure: the library stores the result.

What is already there stays: a review whose import key the log holds is not added again, and a
card whose state in quizbot is as recent as its last Anki answer keeps it. A state older than
that (the learner went on in Anki and exported again) takes Anki's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.card_state import CardState, ReviewRecord, ReviewSource
from core.decks.formats.anki_history import DeckHistory, PastCardState, PastReview
from core.decks.model import Deck, make_card_id
from core.learners import Learner
from core.scheduling.days import due_instant, learner_day
from core.scheduling.fsrs_scheduler import FROM_SM2_DIFFICULTY, FsrsScheduler
from core.scheduling.model import Memory, SchedulerKind

__all__ = ["HistoryCounts", "HistoryWrites", "history_writes"]


@dataclass(frozen=True, slots=True)
class HistoryCounts:
    reviews_added: int
    reviews_known: int
    states_added: int
    states_known: int


@dataclass(frozen=True, slots=True)
class HistoryWrites:
    reviews: tuple[ReviewRecord, ...]
    states: tuple[CardState, ...]
    counts: HistoryCounts


def history_writes(
    history: DeckHistory,
    learner: Learner,
    deck: Deck,
    known_keys: set[str],
    existing: dict[str, CardState],
    today: date,
) -> HistoryWrites:
    """The rows to add for `learner` importing `deck` with `history`; `known_keys` are the
    import keys their log already holds, `existing` their states of the deck's cards by card id;
    `today` is the learner's day (for a learning card without answers). Reviews of cards the
    deck does not hold (skipped repeats) are left out."""
    card_ids = {card.id for card in deck.cards}
    by_card: dict[str, list[PastReview]] = defaultdict(list)
    for review in history.reviews:
        card_id = make_card_id(deck.id, review.card_key)
        if card_id in card_ids:
            by_card[card_id].append(review)
    records = [
        _record(review, learner, deck.id, card_id, first=index == 0)
        for card_id, reviews in by_card.items()
        for index, review in enumerate(reviews)
        if review.import_key not in known_keys
    ]
    records.sort(key=lambda record: record.reviewed_at)
    candidates = [
        (make_card_id(deck.id, past.card_key), past)
        for past in history.cards
        if make_card_id(deck.id, past.card_key) in card_ids
    ]
    imported = (
        _state(past, by_card[card_id], learner, deck.id, card_id, today)
        for card_id, past in candidates
    )
    newer = (_newer(state, existing.get(state.card_id)) for state in imported)
    states = [state for state in newer if state is not None]
    matched = sum(len(reviews) for reviews in by_card.values())
    counts = HistoryCounts(
        len(records), matched - len(records), len(states), len(candidates) - len(states)
    )
    return HistoryWrites(tuple(records), tuple(states), counts)


def _newer(imported: CardState, current: CardState | None) -> CardState | None:
    """Anki's state when quizbot's is older (as the next version of it), else None."""
    if current is None:
        return imported
    if current.memory.last_review_day >= imported.memory.last_review_day:
        return None
    return replace(imported, version=current.version + 1)


def _record(
    review: PastReview, learner: Learner, deck_id: str, card_id: str, *, first: bool
) -> ReviewRecord:
    settings = learner.settings
    return ReviewRecord(
        learner_id=learner.id,
        card_id=card_id,
        deck_id=deck_id,
        rating=review.rating,
        reviewed_at=review.reviewed_at,
        review_day=learner_day(review.reviewed_at, settings.zone, settings.day_start),
        scheduler=SchedulerKind.FSRS,
        interval_days=review.interval_days,
        source=ReviewSource.ANKI,
        source_id=review.revlog_id,
        step=0,
        first_review=first,
        import_key=review.import_key,
    )


def _state(
    past: PastCardState,
    reviews: list[PastReview],
    learner: Learner,
    deck_id: str,
    card_id: str,
    today: date,
) -> CardState:
    settings = learner.settings
    days = [learner_day(r.reviewed_at, settings.zone, settings.day_start) for r in reviews]
    last_day = _last_review_day(past, days, today)
    due_day = past.due_day if past.due_day is not None else last_day + timedelta(days=1)
    due_day = max(due_day, last_day + timedelta(days=1))
    stability, difficulty = past.stability, past.difficulty
    if stability is None or difficulty is None:
        stability, difficulty = _replayed(past, reviews, days, learner)
    reps = 0
    for review in reversed(reviews):
        if review.rating.is_lapse:
            break
        reps += 1
    memory = Memory(
        kind=SchedulerKind.FSRS,
        reps=reps,
        lapses=past.lapses,
        interval_days=(due_day - last_day).days,
        last_review_day=last_day,
        due_day=due_day,
        stability=stability,
        difficulty=difficulty,
    )
    due_at = due_instant(memory, settings.zone, settings.day_start)
    return CardState(learner.id, card_id, deck_id, memory, due_at, version=1)


def _last_review_day(past: PastCardState, days: list[date], today: date) -> date:
    if days:
        return days[-1]
    # No revlog rows (stripped from the package): Anki's interval ends at its due day.
    if past.due_day is None:
        return today
    return past.due_day - timedelta(days=max(past.interval_days, 1))


def _replayed(
    past: PastCardState, reviews: list[PastReview], days: list[date], learner: Learner
) -> tuple[float, float]:
    """FSRS memory from the card's answers through our scheduler (an SM-2 collection keeps
    none); without answers, as from SM-2: stability = interval, a middling difficulty."""
    if not reviews:
        return float(max(past.interval_days, 1)), FROM_SM2_DIFFICULTY
    settings = learner.settings.scheduler
    scheduler = FsrsScheduler(
        settings.desired_retention, settings.maximum_interval_days, False, settings.parameters
    )
    memory: Memory | None = None
    for review, day in zip(reviews, days, strict=True):
        memory = scheduler.review(memory, review.rating, day)
    assert memory is not None and memory.stability is not None and memory.difficulty is not None
    return memory.stability, memory.difficulty
