"""Leech flagging, pure: the review machine says so at the rating that makes a card a leech."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta

import pytest

from core import texts
from core.actions import LeechAction, LeechToken, Route, parse_leech_token, route_of
from core.card_state import CardState
from core.commands import PLAIN_COMMANDS
from core.decks.model import Card
from core.errors import InvalidInput, StaleAction
from core.leeches.model import (
    DEFAULT_LEECH_LAPSES,
    MAX_HINT_CHARS,
    SuspendedCard,
    just_became_leech,
    leech_threshold,
    leeches_of,
)
from core.leeches.service import checked_hint
from core.review import machine
from core.review.machine import Rate, ShowRated, Stepped
from core.review.screens import answer_screen, question_screen, rated_screen
from core.scheduling.model import Memory, Rating, SchedulerKind
from core.settings.suspended import card_key, suspended_screen
from tests.core.test_review_machine import ADA, CARD, NEXT, NOW, session

DAY = date(2026, 10, 20)


def memory(lapses: int, kind: SchedulerKind = SchedulerKind.SM2) -> Memory:
    extra = {"ease": 2.5} if kind is SchedulerKind.SM2 else {"stability": 3.0, "difficulty": 7.0}
    return Memory(kind, 2, lapses, 6, DAY, DAY + timedelta(days=6), **extra)  # type: ignore[arg-type]


def state(lapses: int) -> CardState:
    return CardState(ADA.id, CARD, "deck", memory(lapses), NOW - timedelta(days=1), 4)


def rated(lapses_before: int, rating: int, threshold: int = DEFAULT_LEECH_LAPSES) -> ShowRated:
    learner = replace(ADA, settings=replace(ADA.settings, leech_threshold=threshold))
    event = Rate(learner, 5, Rating(rating), state(lapses_before), 0.5, NEXT)
    out = machine.step(session(revealed=True), event, NOW)
    assert isinstance(out, Stepped)
    (shown,) = [e for e in out.effects if isinstance(e, ShowRated)]
    return shown


@pytest.mark.parametrize("rating", [1, 2])
def test_the_sixth_lapse_flags_the_card_as_a_leech(rating: int) -> None:
    shown = rated(DEFAULT_LEECH_LAPSES - 1, rating)
    assert shown.leech_lapses == DEFAULT_LEECH_LAPSES
    assert (shown.session_id, shown.step) == (41, 2)  # the review the buttons will name


def test_fewer_lapses_a_pass_or_a_new_card_flag_nothing() -> None:
    assert rated(DEFAULT_LEECH_LAPSES - 2, 1).leech_lapses is None
    assert rated(DEFAULT_LEECH_LAPSES - 1, 3).leech_lapses is None  # 3 is a pass
    assert not just_became_leech(None, Rating.NOT_AT_ALL, memory(DEFAULT_LEECH_LAPSES))


def test_a_leech_is_flagged_again_every_half_threshold_as_in_anki() -> None:
    flagged = [
        lapses
        for lapses in range(1, 16)
        if just_became_leech(memory(lapses - 1), Rating.NOT_AT_ALL, memory(lapses))
    ]
    assert flagged == [6, 9, 12, 15]


def test_the_learners_own_threshold_decides_at_the_rating() -> None:
    assert rated(3, 1, threshold=4).leech_lapses == 4
    assert rated(5, 1, threshold=8).leech_lapses is None  # the default 6 would flag it
    assert rated(7, 1, threshold=8).leech_lapses == 8
    assert rated(9, 1, threshold=8).leech_lapses is None  # re-flagged every 4 after 8: at 12
    assert rated(11, 1, threshold=8).leech_lapses == 12


@pytest.mark.parametrize("typed", ["3", " 20 ", "+8"])
def test_a_leech_threshold_from_3_to_20_is_taken(typed: str) -> None:
    assert leech_threshold(typed, PLAIN_COMMANDS) == int(typed)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "",
            texts.LEECH_THRESHOLD_MISSING.format(low=3, high=20, settings_leech="/settings leech "),
        ),
        (
            "six",
            texts.LEECH_THRESHOLD_NOT_A_NUMBER.format(
                text="six", low=3, high=20, settings_leech="/settings leech "
            ),
        ),
        ("6.5", None),
        ("2", texts.LEECH_THRESHOLD_OUT_OF_RANGE.format(lapses=2, low=3, high=20)),
        ("21", texts.LEECH_THRESHOLD_OUT_OF_RANGE.format(lapses=21, low=3, high=20)),
        ("-6", texts.LEECH_THRESHOLD_OUT_OF_RANGE.format(lapses=-6, low=3, high=20)),
    ],
)
def test_a_leech_threshold_outside_3_to_20_or_not_a_number_is_refused(
    typed: str, said: str | None
) -> None:
    with pytest.raises(InvalidInput) as refused:
        leech_threshold(typed, PLAIN_COMMANDS)
    if said is not None:
        assert str(refused.value) == said
    assert "3" in str(refused.value) and "20" in str(refused.value)


def test_a_groups_leeches_count_each_members_own_threshold() -> None:
    lapses = {
        (1, "deck:a"): 5,
        (2, "deck:a"): 4,
        (1, "deck:b"): 7,
        (2, "deck:c"): 3,
        (3, "deck:d"): 9,
    }
    # Learner 1 keeps the default 6, learner 2 chose 4; learner 3 is not asked about.
    assert leeches_of(lapses, {1: 6, 2: 4}) == {"deck:a": 4, "deck:b": 7}
    assert leeches_of(lapses, {1: 5, 2: 4}) == {"deck:a": 5, "deck:b": 7}
    assert leeches_of(lapses, {}) == {}


def test_fsrs_memories_count_lapses_too() -> None:
    before, after = memory(5, SchedulerKind.FSRS), memory(6, SchedulerKind.FSRS)
    assert just_became_leech(before, Rating.POOR, after)


def test_the_rated_screen_of_a_leech_offers_a_hint_and_suspension() -> None:
    card = Card(CARD, "Capital of Peru?", "Lima")
    leech = LeechToken(LeechAction.HINT, 41, 2)
    screen = rated_screen(card, 1, NOW + timedelta(days=1), UTC, NOW, leech, 6)
    assert texts.LEECH_FLAGGED.format(lapses=6) in [b.text for b in screen.blocks]
    ((hint, suspend),) = screen.buttons
    assert (hint.label, suspend.label) == (texts.LEECH_HINT_BUTTON, texts.LEECH_SUSPEND_BUTTON)
    assert parse_leech_token(hint.action) == LeechToken(LeechAction.HINT, 41, 2)
    assert parse_leech_token(suspend.action) == LeechToken(LeechAction.SUSPEND, 41, 2)
    assert route_of(hint.action) is Route.LEECH
    assert rated_screen(card, 4, NOW + timedelta(days=1), UTC, NOW).buttons == ()


def test_the_hint_shows_under_the_question_before_the_answer() -> None:
    card = Card(CARD, "Capital of Peru?", "Lima")
    question = question_screen(session(), card, "Review", "Think of llamas")
    texts_shown = [b.text for b in question.blocks]
    assert texts.HINT_LABEL.format(hint="Think of llamas") in texts_shown
    assert "Lima" not in texts_shown
    answer = answer_screen(session(), card, "Think of llamas")
    assert texts.HINT_LABEL.format(hint="Think of llamas") in [b.text for b in answer.blocks]


def test_hints_must_hold_something_and_at_most_300_characters() -> None:
    assert checked_hint("  llamas \n") == "llamas"
    assert checked_hint("x" * MAX_HINT_CHARS) == "x" * MAX_HINT_CHARS
    with pytest.raises(InvalidInput, match="empty"):
        checked_hint("   ")
    with pytest.raises(InvalidInput, match="301 characters"):
        checked_hint("x" * (MAX_HINT_CHARS + 1))


@pytest.mark.parametrize("data", ["l.hint.1", "l.bad.1.2", "l.hint.1.2\n", "r.1.1.show", ""])
def test_malformed_leech_tokens_are_refused(data: str) -> None:
    with pytest.raises(StaleAction):
        parse_leech_token(data)


def test_leech_tokens_fit_telegram_callback_data() -> None:
    big = LeechToken(LeechAction.SUSPEND, 2**63 - 1, 2**63 - 1).encode()
    assert len(big.encode()) <= 64
    assert parse_leech_token(big).session_id == 2**63 - 1


def test_the_suspended_page_keeps_to_five_rows_and_clamps_its_page() -> None:
    cards = [SuspendedCard(f"deck:{n}", f"Q{n} " + "long " * 20, NOW) for n in range(9)]
    last = suspended_screen(ADA, cards, 99)
    assert texts.SETTINGS_SUSPENDED_PAGE.format(page=3, pages=3) in [b.text for b in last.blocks]
    assert [len(row) for row in last.buttons] == [1, 2]  # one card, then Previous and Back
    for page in range(3):
        screen = suspended_screen(ADA, cards, page)
        assert len(screen.buttons) <= 5
        assert all(len(b.label) <= 60 for row in screen.buttons for b in row)
    empty = suspended_screen(ADA, [], 0)
    assert texts.SETTINGS_SUSPENDED_NONE in [b.text for b in empty.blocks]
    keys = {card_key(card.card_id) for card in cards}
    assert len(keys) == 9 and all(len(key) == 8 for key in keys)
