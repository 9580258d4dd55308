"""Action tokens: made and parsed by the core, at most 64 bytes, anything else refused."""

from __future__ import annotations

import re

import pytest

from core.actions import (
    MAX_TOKEN_BYTES,
    MAX_TOKEN_NUMBER,
    ROUTE_PATTERNS,
    START_REVIEW_TOKEN,
    Action,
    ActionToken,
    Route,
    Subject,
    base36,
    deck_token,
    parse_token,
    route_of,
)
from core.decks.history_offers import offer_id_of, offer_token
from core.errors import StaleAction
from core.settings.menu import SettingsChoice


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


def test_every_token_the_core_makes_routes_to_its_handler_and_nothing_else_does() -> None:
    long_id = "deck-" + "x" * 80  # over 64 bytes as `d.<id>`: hashed
    made = {
        ActionToken(Subject.REVIEW, 5, 1, Action.SHOW).encode(): Route.REVIEW,
        ActionToken(Subject.QUIZ, 5, 1, Action.RATE3).encode(): Route.QUIZ,
        SettingsChoice(5, "ret", "90").encode(): Route.SETTINGS,
        deck_token("spanish"): Route.DECK,
        deck_token(long_id): Route.DECK,
        START_REVIEW_TOKEN: Route.START_REVIEW,
        "start.review": Route.START_REVIEW,  # Discord's pushes before the shared token
        offer_token(2**53 - 1): Route.HISTORY,
    }
    assert {token: route_of(token) for token in made} == made
    assert len(deck_token(long_id).encode()) <= MAX_TOKEN_BYTES
    for foreign in ("", "x.1.2.show", "p.review\n", "p.reviews", "start.review.1", "D.spanish"):
        assert route_of(foreign) is None, foreign


def test_a_history_offer_token_names_its_offer_and_nothing_forged_passes() -> None:
    assert offer_id_of(offer_token(123456789)) == 123456789
    assert len(offer_token(2**63 - 1).encode()) <= MAX_TOKEN_BYTES
    for forged in ("", "h.", "h.-1", "h.ABC", "h.1.2", "h." + "z" * 14, "x.1", "h.1\n"):
        with pytest.raises(StaleAction):
            offer_id_of(forged)


def test_route_patterns_match_as_python_telegram_bot_matches_them() -> None:
    """PTB's CallbackQueryHandler calls `re.match(pattern, data)`: the same routes."""
    tokens = ["r.1.2.show", "q.1.2.next", "s.1.page.zone", "d.x", "d#ab", "p.review", "z.1"]
    for token in tokens:
        matching = [r for r, p in ROUTE_PATTERNS.items() if re.match(p, token)]
        assert matching == ([] if route_of(token) is None else [route_of(token)])
