"""Pure transitions of a group quiz: question → answer → next card … → finished.

Each transition returns a new `GroupQuiz` with its version bumped, so buttons and timers made for
an older version are recognised as stale. Members' ratings do not bump the version: many people
rate the same card at once and must not conflict with each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase

__all__ = ["advance", "begin", "finish", "reveal"]


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
