"""The group quiz's pure transitions: question → answer → … → finished, and `hurry` (everyone
has rated: the card closes after a short grace)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.quiz import machine
from core.quiz.machine import advance, begin, finish, reveal
from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase, QuizRating
from core.scheduling.model import Rating

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


# Everyone has rated: the deadline comes forward.

START = datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
ADA, BOB, CY, DEE = 1, 2, 3, 4


def answer_shown(position: int = 0, seconds: int = 30) -> GroupQuiz:
    """A 3-card quiz showing card `position`'s answer, revealed at START."""
    quiz = machine.begin(9, 5, "deck", ADA, ["a", "b", "c"], seconds, START)
    for _ in range(position):
        quiz = machine.advance(machine.reveal(quiz, START), START)
    return machine.reveal(quiz, START)


def rated(position: int, *members: int) -> list[QuizRating]:
    return [QuizRating(9, position, m, Rating.GOOD, START) for m in members]


def test_the_first_card_is_never_hurried() -> None:
    """Who plays is known only once card 1 closes: its first rater must not close it on the rest."""
    quiz = answer_shown()
    assert machine.hurry(quiz, rated(0, ADA), START) == quiz
    assert machine.hurry(quiz, rated(0, ADA, BOB, CY), START) == quiz


def test_when_three_members_have_rated_the_card_closes_after_the_grace() -> None:
    quiz = answer_shown(position=1)
    now = START + timedelta(seconds=5)
    hurried = machine.hurry(quiz, [*rated(0, ADA, BOB, CY), *rated(1, ADA, BOB, CY)], now)
    assert hurried.deadline_at == now + timedelta(seconds=3)
    assert hurried.version == quiz.version  # the card's buttons stay valid in the grace


def test_a_participant_who_has_not_rated_this_card_holds_it_open() -> None:
    quiz = answer_shown(position=1)
    ratings = [*rated(0, ADA, BOB, CY), *rated(1, ADA, BOB)]
    assert machine.hurry(quiz, ratings, START) == quiz


def test_a_member_who_never_rated_in_this_quiz_does_not_hold_it_up() -> None:
    quiz = answer_shown(position=1)
    ratings = [*rated(0, ADA, BOB), *rated(1, ADA, BOB, DEE)]  # Dee joins on card 2
    hurried = machine.hurry(quiz, ratings, START)
    assert hurried.deadline_at == START + timedelta(seconds=3)


def test_nobody_rated_leaves_the_deadline() -> None:
    quiz = answer_shown(position=1)
    assert machine.hurry(quiz, [], START) == quiz
    only_earlier_cards = answer_shown(position=1)
    assert machine.hurry(only_earlier_cards, rated(0, ADA), START) == only_earlier_cards


def test_a_deadline_already_sooner_stays() -> None:
    quiz = answer_shown(position=1, seconds=10)
    ada_rated = [*rated(0, ADA), *rated(1, ADA)]
    late = START + timedelta(seconds=8)  # two seconds left, less than the grace
    assert machine.hurry(quiz, ada_rated, late) == quiz
    hurried = machine.hurry(quiz, ada_rated, START)
    assert hurried.deadline_at == START + timedelta(seconds=3)
    assert machine.hurry(hurried, ada_rated, START + timedelta(seconds=1)) == hurried
