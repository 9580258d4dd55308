"""The group quiz's pure transitions as they are on main: question → answer → … → finished."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.quiz.machine import advance, begin, finish, reveal
from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=12)


def started() -> GroupQuiz:
    return begin(5, 99, "deck", 7, ["deck:a", "deck:b"], 30, NOW)


def test_begin_opens_the_first_question_with_its_deadline() -> None:
    assert started() == GroupQuiz(
        id=5,
        chat_id=99,
        deck_id="deck",
        starter_id=7,
        card_ids=("deck:a", "deck:b"),
        position=0,
        phase=QuizPhase.QUESTION,
        seconds_per_card=30,
        deadline_at=NOW + timedelta(seconds=30),
        version=1,
        started_at=NOW,
    )
    assert started().current_card_id == "deck:a"


def test_reveal_then_advance_then_finish_after_the_last_card() -> None:
    answer = reveal(started(), LATER)
    assert answer == replace(
        started(), phase=QuizPhase.ANSWER, deadline_at=LATER + timedelta(seconds=30), version=2
    )
    second = advance(answer, LATER)
    assert second == replace(
        answer,
        position=1,
        phase=QuizPhase.QUESTION,
        deadline_at=LATER + timedelta(seconds=30),
        version=3,
    )
    done = advance(reveal(second, LATER), LATER)
    assert done == replace(
        second,
        phase=QuizPhase.FINISHED,
        deadline_at=None,
        ended_at=LATER,
        end_reason=QuizEnd.COMPLETED,
        version=5,
    )


def test_stop_finishes_in_any_phase_but_once() -> None:
    stopped = finish(started(), QuizEnd.STOPPED, LATER)
    assert (stopped.phase, stopped.end_reason, stopped.version) == (
        QuizPhase.FINISHED,
        QuizEnd.STOPPED,
        2,
    )
    assert finish(reveal(started(), NOW), QuizEnd.RESTARTED, LATER).version == 3
    with pytest.raises(ValueError, match="already finished"):
        finish(stopped, QuizEnd.STOPPED, LATER)


def test_transitions_out_of_order_are_errors() -> None:
    with pytest.raises(ValueError, match="not answer"):
        advance(started(), NOW)
    with pytest.raises(ValueError, match="not question"):
        reveal(reveal(started(), NOW), NOW)
