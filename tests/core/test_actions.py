"""Action tokens: made and parsed by the core, at most 64 bytes, anything else refused."""

from __future__ import annotations

import pytest

from core.actions import (
    MAX_TOKEN_BYTES,
    MAX_TOKEN_NUMBER,
    Action,
    ActionToken,
    Subject,
    base36,
    parse_token,
)
from core.errors import StaleAction


def test_a_token_reads_back_as_it_was_made() -> None:
    token = ActionToken(Subject.REVIEW, 1_234_567, 3, Action.SHOW)
    assert token.encode() == "r.qglj.3.show"
    assert parse_token("r.qglj.3.show") == token
    assert parse_token("q.7k2m.1.rate4") == ActionToken(
        Subject.QUIZ, int("7k2m", 36), 1, Action.RATE4
    )


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("subject", list(Subject))
def test_every_action_round_trips_at_the_largest_numbers(subject: Subject, action: Action) -> None:
    token = ActionToken(subject, MAX_TOKEN_NUMBER, MAX_TOKEN_NUMBER, action)
    data = token.encode()
    assert len(data.encode()) <= MAX_TOKEN_BYTES == 64
    assert parse_token(data) == token


def test_ratings_one_to_five_are_actions_and_nothing_else_rates() -> None:
    assert [Action.rate(r).rating for r in range(1, 6)] == [1, 2, 3, 4, 5]
    assert [a for a in Action if a.rating is None] == [Action.SHOW, Action.NEXT, Action.STOP]
    with pytest.raises(ValueError):
        Action.rate(6)


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "r",
        "r.zz",
        "r.1.1",
        "x.1.1.show",  # unknown subject
        "r.1.1.rate9",  # unknown action
        "r.1.1.SHOW",  # upper case is not ours
        "r.-1.1.show",
        "r.1.1.show.extra",
        " r.1.1.show",
        "r.1.1.show\n",
        "r." + "9" * 40 + ".1.show",  # longer than any 64-bit number
        "r.zzzzzzzzzzzzz.1.show",  # 13 digits, yet beyond 64 bits
        "r.1.zzzzzzzzzzzzz.show",
        "r.é.1.show",
    ],
)
def test_forged_tokens_are_refused_not_crashed_on(forged: str) -> None:
    with pytest.raises(StaleAction, match="not one of mine"):
        parse_token(forged)


def test_ids_just_beyond_64_bits_are_refused_and_the_largest_accepted() -> None:
    largest = base36(MAX_TOKEN_NUMBER)
    beyond = base36(MAX_TOKEN_NUMBER + 1)
    assert len(largest) == len(beyond) == 13
    assert parse_token(f"q.{largest}.1.next").subject_id == 2**63 - 1
    with pytest.raises(StaleAction):
        parse_token(f"q.{beyond}.1.next")
    with pytest.raises(StaleAction):
        parse_token(f"q.1.{beyond}.next")


def test_base36() -> None:
    assert [base36(n) for n in (0, 9, 10, 35, 36, 1295, 1296)] == [
        "0",
        "9",
        "a",
        "z",
        "10",
        "zz",
        "100",
    ]
    with pytest.raises(ValueError):
        base36(-1)
