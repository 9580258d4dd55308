"""Sample core values for the storage tests: valid, distinct, and easy to tell apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.card_state import CardState, ReviewRecord, ReviewSource
from core.decks.model import Card, Deck
from core.quiz.model import GroupQuiz, QuizPhase, QuizRating
from core.reminders.model import Subscription
from core.review.session import ReviewSession
from core.scheduling.model import Memory, Rating, SchedulerKind

T0 = datetime(2026, 11, 2, 9, 0, 0, 123000, tzinfo=UTC)  # whole milliseconds survive exactly
DAY0 = date(2026, 11, 2)


def deck(deck_id: str = "geo", *keys: str, name: str = "Geography") -> Deck:
    keys = keys or ("a", "b", "c")
    cards = tuple(
        Card(f"{deck_id}:{key}", f"Q {key}?", f"A {key}", note=f"n {key}", tags=(key, "t"))
        for key in keys
    )
    return Deck(deck_id, name, cards, description=f"About {name}")


def fsrs_memory(interval: int = 3, reps: int = 1) -> Memory:
    return Memory(
        kind=SchedulerKind.FSRS, reps=reps, lapses=0, interval_days=interval,
        last_review_day=DAY0, due_day=DAY0 + timedelta(days=interval),
        stability=3.173, difficulty=5.282,
    )  # fmt: skip


def sm2_memory() -> Memory:
    return Memory(
        kind=SchedulerKind.SM2, reps=2, lapses=1, interval_days=6, last_review_day=DAY0,
        due_day=DAY0 + timedelta(days=6), ease=2.36,
    )  # fmt: skip


def card_state(
    learner_id: int, card_id: str = "geo:a", *, version: int = 1, due_at: datetime = T0,
    memory: Memory | None = None, deck_id: str = "geo",
) -> CardState:  # fmt: skip
    return CardState(learner_id, card_id, deck_id, memory or fsrs_memory(), due_at, version)


def review(
    learner_id: int, card_id: str = "geo:a", *, source_id: int = 77, step: int = 0,
    first_review: bool = False, day: date = DAY0, chat_id: int | None = None,
) -> ReviewRecord:  # fmt: skip
    return ReviewRecord(
        learner_id=learner_id, card_id=card_id, deck_id="geo", rating=Rating.GOOD,
        reviewed_at=T0, review_day=day, scheduler=SchedulerKind.FSRS, interval_days=3,
        source=ReviewSource.REVIEW, source_id=source_id, step=step, chat_id=chat_id,
        first_review=first_review,
    )  # fmt: skip


def session(
    session_id: int, learner_id: int, chat_id: int | None, *, version: int = 1, step: int = 0,
    updated_at: datetime = T0,
) -> ReviewSession:  # fmt: skip
    return ReviewSession(
        id=session_id, learner_id=learner_id, chat_id=chat_id, deck_ids=("geo", "bio"),
        current_card_id="geo:b", revealed=True, step=step, version=version, started_at=T0,
        updated_at=updated_at,
    )  # fmt: skip


def quiz(
    quiz_id: int, chat_id: int, starter_id: int, *, version: int = 1,
    phase: QuizPhase = QuizPhase.QUESTION,
) -> GroupQuiz:  # fmt: skip
    return GroupQuiz(
        id=quiz_id, chat_id=chat_id, deck_id="geo", starter_id=starter_id,
        card_ids=("geo:c", "geo:a"), position=0, phase=phase, seconds_per_card=30,
        deadline_at=T0 + timedelta(seconds=30), version=version, started_at=T0,
    )  # fmt: skip


def quiz_rating(quiz_id: int, learner_id: int, rating: Rating, *, position: int = 0) -> QuizRating:
    return QuizRating(quiz_id, position, learner_id, rating, T0 + timedelta(seconds=position))


def subscription(
    subscription_id: int, chat_id: int, learner_id: int | None, *, version: int = 1,
    next_push_at: datetime = T0,
) -> Subscription:  # fmt: skip
    return Subscription(
        id=subscription_id, chat_id=chat_id, learner_id=learner_id, local_time=time(8, 30),
        time_zone="Europe/Berlin", next_push_at=next_push_at, last_sent_day=None,
        version=version, deck_id="geo",
    )  # fmt: skip
