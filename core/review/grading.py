"""Apply one rating to one learner's card: the step shared by reviews and group quizzes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.card_state import CardState, ReviewRecord, ReviewSource
from core.learners import Learner
from core.scheduling.days import day_start_instant, learner_day
from core.scheduling.model import Rating
from core.scheduling.port import scheduler_for

__all__ = ["Graded", "grade"]


@dataclass(frozen=True, slots=True)
class Graded:
    state: CardState
    record: ReviewRecord


def grade(
    learner: Learner,
    card_id: str,
    deck_id: str,
    previous: CardState | None,
    rating: Rating,
    now: datetime,
    fuzz: float | None,
    *,
    source: ReviewSource,
    source_id: int,
    step: int,
    chat_id: int | None,
) -> Graded:
    """The card's next state and the log entry for `rating` given at `now`.

    Intervals count in the learner's calendar days: the card falls due at the start of its due
    day in the learner's zone, so a daily push at 08:00 finds cards rated yesterday at 08:10.
    """
    settings = learner.settings
    zone = settings.zone
    today = learner_day(now, zone, settings.day_start)
    scheduler = scheduler_for(settings.scheduler)
    memory = scheduler.review(
        previous.memory if previous else None,
        rating,
        today,
        fuzz if settings.scheduler.fuzz else None,
    )
    state = CardState(
        learner_id=learner.id,
        card_id=card_id,
        deck_id=deck_id,
        memory=memory,
        due_at=day_start_instant(memory.due_day, zone, settings.day_start),
        version=previous.version + 1 if previous else 1,
    )
    record = ReviewRecord(
        learner_id=learner.id,
        card_id=card_id,
        deck_id=deck_id,
        rating=rating,
        reviewed_at=now,
        review_day=today,
        scheduler=memory.kind,
        interval_days=memory.interval_days,
        source=source,
        source_id=source_id,
        step=step,
        chat_id=chat_id,
        first_review=previous is None,
    )
    return Graded(state, record)
