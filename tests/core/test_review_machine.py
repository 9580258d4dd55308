"""The review machine's rules, pure: fixed UTC instants, SM-2 without fuzz, exact outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core import texts
from core.actions import Action
from core.card_state import CardState, ReviewRecord, ReviewSource
from core.learners import Learner, LearnerSettings
from core.review import machine
from core.review.limits import DailyAllowance, TodaysCounts, daily_allowance
from core.review.machine import (
    AppendReview,
    Rate,
    Refused,
    Reveal,
    SaveCardState,
    SaveSession,
    ShowAnswer,
    ShowNothingDue,
    ShowQuestion,
    ShowRated,
    Stepped,
)
from core.review.queue import NextCard
from core.review.session import ReviewSession
from core.scheduling.model import Memory, Rating, SchedulerKind, SchedulerSettings

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday; learner day 2 Nov (day starts 04:00)
EARLIER = NOW - timedelta(minutes=5)
ADA = Learner(
    7,
    "test",
    "ada",
    "Ada",
    LearnerSettings(SchedulerSettings(SchedulerKind.SM2, fuzz=False), new_cards_per_day=5),
)
CARD = "deck:one"
NEXT = NextCard("deck:two", is_new=True, new_left=3, reviews_left=9)


def session(**changes: object) -> ReviewSession:
    base = ReviewSession(
        id=41,
        learner_id=ADA.id,
        chat_id=99,
        deck_ids=("deck",),
        current_card_id=CARD,
        revealed=False,
        step=2,
        version=5,
        started_at=EARLIER,
        updated_at=EARLIER,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def rate(
    rating: int,
    *,
    version: int = 5,
    found: NextCard = NEXT,
    previous: CardState | None = None,
) -> Rate:
    return Rate(ADA, version, Rating(rating), previous, 0.5, found)


def stepped(outcome: Stepped | Refused) -> Stepped:
    assert isinstance(outcome, Stepped), outcome
    return outcome


def test_begin_shows_the_first_card_and_stops_older_sessions() -> None:
    older = session(id=3, revealed=True, version=8)
    begun = machine.begin(42, ADA.id, 99, ["deck"], NEXT, [older], NOW)
    new = ReviewSession(42, ADA.id, 99, ("deck",), "deck:two", False, 0, 1, NOW, NOW)
    assert begun.session == new
    stopped = replace(older, current_card_id=None, revealed=False, version=9, updated_at=NOW)
    assert begun.effects == (SaveSession(stopped), SaveSession(new), ShowQuestion(new, True))


def test_begin_with_nothing_to_show() -> None:
    found = NextCard(None, new_left=0, reviews_left=4, next_due_at=NOW + timedelta(hours=3))
    begun = machine.begin(42, ADA.id, None, ["deck"], found, [], NOW)
    assert begun.session.current_card_id is None
    assert begun.effects == (SaveSession(begun.session), ShowNothingDue(found))


def test_reveal_bumps_the_version_and_shows_the_answer() -> None:
    out = stepped(machine.step(session(), Reveal(ADA.id, 5), NOW))
    revealed = session(revealed=True, version=6, updated_at=NOW)
    assert out == Stepped(revealed, (SaveSession(revealed), ShowAnswer(revealed)))


def test_rating_a_new_card_saves_its_state_logs_it_and_moves_on() -> None:
    out = stepped(machine.step(session(revealed=True), rate(4), NOW))
    due_at = datetime(2026, 11, 3, 4, 0, tzinfo=UTC)  # 1 day, from the start of that day
    state = CardState(
        ADA.id,
        CARD,
        "deck",
        Memory(SchedulerKind.SM2, 1, 0, 1, date(2026, 11, 2), date(2026, 11, 3), ease=2.5),
        due_at,
        1,
    )
    record = ReviewRecord(
        ADA.id,
        CARD,
        "deck",
        Rating.GOOD,
        NOW,
        date(2026, 11, 2),
        SchedulerKind.SM2,
        1,
        ReviewSource.REVIEW,
        41,
        2,
        chat_id=99,
        first_review=True,
    )
    advanced = session(current_card_id="deck:two", step=3, version=6, updated_at=NOW)
    assert out.session == advanced
    assert out.effects == (
        SaveCardState(state),
        AppendReview(record),
        SaveSession(advanced),
        ShowRated(CARD, Rating.GOOD, due_at, None, 41, 2),
        ShowQuestion(advanced, True),
    )


def test_rating_a_known_card_bumps_its_state_version() -> None:
    memory = Memory(SchedulerKind.SM2, 1, 0, 1, date(2026, 11, 1), date(2026, 11, 2), ease=2.5)
    previous = CardState(ADA.id, CARD, "deck", memory, NOW - timedelta(hours=5), 3)
    out = stepped(machine.step(session(revealed=True), rate(5, previous=previous), NOW))
    saved = out.effects[0]
    assert isinstance(saved, SaveCardState) and saved.state.version == 4
    logged = out.effects[1]
    assert isinstance(logged, AppendReview) and logged.record.first_review is False


def test_the_card_just_rated_can_be_the_next_due() -> None:
    """The queue cannot see the staged state of the card just rated; the machine adds it."""
    later = NextCard(None, new_left=0, reviews_left=3, next_due_at=NOW + timedelta(days=5))
    out = stepped(machine.step(session(revealed=True), rate(1, found=later), NOW))
    rated_due = datetime(2026, 11, 3, 4, 0, tzinfo=UTC)
    assert out.session.current_card_id is None
    assert out.effects[-1] == ShowNothingDue(
        NextCard(None, new_left=0, reviews_left=3, next_due_at=rated_due)
    )
    nothing = NextCard(None, new_left=0, reviews_left=3)
    out = stepped(machine.step(session(revealed=True), rate(1, found=nothing), NOW))
    assert out.effects[-1] == ShowNothingDue(replace(nothing, next_due_at=rated_due))


def test_at_the_review_limit_no_next_due_is_named() -> None:
    limit = NextCard(None, limit_reached=True)
    out = stepped(machine.step(session(revealed=True), rate(3, found=limit), NOW))
    assert out.effects[-1] == ShowNothingDue(limit)


@pytest.mark.parametrize(
    ("state", "event", "message"),
    [
        (None, Reveal(ADA.id, 5), texts.OLD_BUTTON),  # no such session
        (session(), Reveal(8, 5), texts.NOT_YOURS),  # foreign
        (session(current_card_id=None), Reveal(ADA.id, 5), texts.OLD_BUTTON),  # finished
        (session(), Reveal(ADA.id, 6), texts.OLD_BUTTON),  # a version never made: forged
        (session(), Reveal(ADA.id, 3), texts.OLD_BUTTON),  # stale
        (session(revealed=True, version=6), Reveal(ADA.id, 5), texts.ALREADY_SHOWN),
        (session(revealed=True), Reveal(ADA.id, 5), texts.ALREADY_SHOWN),
        (session(), rate(4), texts.NOT_REVEALED),
        (session(revealed=False, version=6), rate(4), texts.ALREADY_RATED),  # double press
        (session(revealed=True), rate(4, version=4), texts.ALREADY_RATED),
        (session(revealed=True), replace(rate(4), learner=replace(ADA, id=8)), texts.NOT_YOURS),
    ],
)
def test_refusals(state: ReviewSession | None, event: machine.Event, message: str) -> None:
    assert machine.step(state, event, NOW) == Refused(message)


def test_actions_that_are_not_reviews_are_refused() -> None:
    for action in (Action.NEXT, Action.STOP):
        assert machine.refusal(session(), ADA.id, 5, action) == Refused(texts.OLD_BUTTON)
    assert machine.refusal(session(), ADA.id, 5, Action.SHOW) is None
    assert machine.refusal(session(revealed=True), ADA.id, 5, Action.RATE2) is None


def test_daily_allowance() -> None:
    settings = LearnerSettings(new_cards_per_day=3, max_reviews_per_day=10)
    decks = ("a", "b")
    assert daily_allowance(settings, TodaysCounts(0, 0), decks) == DailyAllowance(10, 3, decks)
    assert daily_allowance(settings, TodaysCounts(4, 2), decks) == DailyAllowance(6, 1, decks)
    assert daily_allowance(settings, TodaysCounts(12, 5), decks) == DailyAllowance(0, 0, ())
    assert TodaysCounts(4, 2).plus(first_review=True, deck_id="a") == TodaysCounts(5, 3)
    assert TodaysCounts(4, 2).plus(first_review=False, deck_id="a") == TodaysCounts(5, 2)


def test_a_foreign_session_is_named_so_whatever_the_action() -> None:
    assert machine.refusal(session(), 8, 5, Action.NEXT) == Refused(texts.NOT_YOURS)
    assert machine.refusal(None, ADA.id, 5, Action.STOP) == Refused(texts.OLD_BUTTON)
