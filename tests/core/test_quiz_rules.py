"""A quiz's numbers: the bounds members choose within, and the service refusing the rest."""

from __future__ import annotations

from core.quiz.rules import QUIZ_CARDS, QUIZ_SECONDS, Bounds


def test_bounds_include_both_ends_and_only_whole_numbers() -> None:
    bounds = Bounds(default=3, low=2, high=4)
    assert [n in bounds for n in (1, 2, 3, 4, 5)] == [False, True, True, True, False]
    assert 3.0 not in bounds and "3" not in bounds


def test_the_quiz_numbers() -> None:
    assert Bounds(default=10, low=1, high=50) == QUIZ_CARDS
    assert Bounds(default=30, low=10, high=600) == QUIZ_SECONDS
    assert QUIZ_CARDS.default in QUIZ_CARDS and QUIZ_SECONDS.default in QUIZ_SECONDS
