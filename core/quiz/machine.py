"""Pure transitions of a group quiz: question → answer → next card … → finished.

Each transition returns a new `GroupQuiz` with its version bumped, so buttons and timers made for
an older version are recognised as stale. Members' ratings do not bump the version: many people
rate the same card at once and must not conflict with each other. Nor does `hurry`, which only
brings the deadline forward once everyone has rated, so a changed rating in its grace still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase, QuizRating

__all__ = ["EVERYONE_RATED_GRACE", "advance", "begin", "finish", "hurry", "reveal"]

# How long a card stays open once everyone has rated it: time to change a rating.
EVERYONE_RATED_GRACE = timedelta(seconds=3)


def begin(
    quiz_id: int,
    chat_id: int,
    deck_id: str,
    starter_id: int,
    card_ids: Sequence[str],
    seconds_per_card: int,
    now: datetime,
) -> GroupQuiz:
    return GroupQuiz(
        id=quiz_id,
        chat_id=chat_id,
        deck_id=deck_id,
        starter_id=starter_id,
        card_ids=tuple(card_ids),
        position=0,
        phase=QuizPhase.QUESTION,
        seconds_per_card=seconds_per_card,
        deadline_at=now + timedelta(seconds=seconds_per_card),
        version=1,
        started_at=now,
    )


def reveal(quiz: GroupQuiz, now: datetime) -> GroupQuiz:
    """Show the answer and open rating for as long again as the question was shown."""
    _require(quiz, QuizPhase.QUESTION)
    return replace(
        quiz,
        phase=QuizPhase.ANSWER,
        deadline_at=now + timedelta(seconds=quiz.seconds_per_card),
        version=quiz.version + 1,
    )


def hurry(
    quiz: GroupQuiz,
    ratings: Iterable[QuizRating],
    now: datetime,
    grace: timedelta = EVERYONE_RATED_GRACE,
) -> GroupQuiz:
    """The quiz with its deadline at most `grace` away once every participant (everyone who
    has rated a card of this quiz, at least one) has rated the current card; else unchanged.

    The first card is never hurried: until it closes nobody knows who is playing, and its first
    rater alone would close it on everyone still reading the answer. The timer stays the upper
    bound: a deadline already sooner is kept. The version is not bumped, so the card's buttons
    stay valid during the grace.
    """
    _require(quiz, QuizPhase.ANSWER)
    if quiz.position == 0:
        return quiz
    rated = list(ratings)
    participants = {r.learner_id for r in rated}
    done = {r.learner_id for r in rated if r.position == quiz.position}
    if not participants or participants - done:
        return quiz
    soon = now + grace
    if quiz.deadline_at is not None and quiz.deadline_at <= soon:
        return quiz
    return replace(quiz, deadline_at=soon)


def advance(quiz: GroupQuiz, now: datetime) -> GroupQuiz:
    """Close rating on this card and show the next question, or finish after the last card."""
    _require(quiz, QuizPhase.ANSWER)
    position = quiz.position + 1
    if position >= len(quiz.card_ids):
        return finish(quiz, QuizEnd.COMPLETED, now)
    return replace(
        quiz,
        position=position,
        phase=QuizPhase.QUESTION,
        deadline_at=now + timedelta(seconds=quiz.seconds_per_card),
        version=quiz.version + 1,
    )


def finish(quiz: GroupQuiz, reason: QuizEnd, now: datetime) -> GroupQuiz:
    if quiz.phase is QuizPhase.FINISHED:
        raise ValueError("the quiz is already finished")
    return replace(
        quiz,
        phase=QuizPhase.FINISHED,
        deadline_at=None,
        ended_at=now,
        end_reason=reason,
        version=quiz.version + 1,
    )


def _require(quiz: GroupQuiz, phase: QuizPhase) -> None:
    if quiz.phase is not phase:
        raise ValueError(f"the quiz is in phase {quiz.phase}, not {phase}")
