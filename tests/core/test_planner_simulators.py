"""The planner's two simulations side by side on synthetic decks: its own expected values and
fsrs-rs-python's card-by-card simulator, and the forecast the plan takes from each."""

from datetime import date, timedelta

import pytest

from core.planning import PlannedCard, PlanRequest, plan_exam
from core.planning.new_cards import simulate_new_cards
from core.planning.planner import NEW_PER_DAY_CHOICES, RETENTION_CHOICES, expected_plan
from core.scheduling import Memory, SchedulerKind
from core.scheduling.fit import DEFAULT_PARAMETERS

TODAY = date(2026, 12, 2)
FAST = tuple(w / 4 if i < 4 else w for i, w in enumerate(DEFAULT_PARAMETERS))  # forgets faster


def fresh(count: int, days: int, parameters: tuple[float, ...] | None = None) -> PlanRequest:
    return PlanRequest([None] * count, TODAY, TODAY + timedelta(days=days), 90, parameters)


# (new cards in the deck, days to the exam, new cards a day, retention, parameters)
DECKS = [
    (200, 14, 20, 0.80, None),
    (300, 30, 10, 0.90, None),
    (300, 30, 20, 0.90, None),
    (1000, 60, 30, 0.85, None),
    (500, 90, 10, 0.95, None),
    (300, 45, 10, 0.90, FAST),
    (2000, 365, 10, 0.90, None),
]


@pytest.mark.parametrize(("cards", "days", "new", "retention", "parameters"), DECKS)
def test_both_simulations_predict_the_same_recall_and_expected_values_fewer_reviews(
    cards: int, days: int, new: int, retention: float, parameters: tuple[float, ...] | None
) -> None:
    ours = expected_plan(fresh(cards, days, parameters), new, retention)
    theirs = simulate_new_cards(cards, days, new, retention, parameters or DEFAULT_PARAMETERS)
    our_reviews = sum(load.reviews for load in ours.loads)

    assert [load.new for load in ours.loads] == list(theirs.new)  # the same cards introduced
    assert ours.predicted_recall == pytest.approx(theirs.recall_sum / cards, abs=0.02)
    # The mean memory of a track of cards hides its forgotten cards' short intervals: the
    # expected values count 60-90% of the reviews a card-by-card simulation has (the longer the
    # runway, the fewer).
    assert 0.6 * sum(theirs.reviews) <= our_reviews <= 0.9 * sum(theirs.reviews)


def test_the_plan_reaches_its_target_card_by_card_not_only_in_expected_values() -> None:
    request = fresh(2000, 90)
    grid = [expected_plan(request, n, r) for n in NEW_PER_DAY_CHOICES for r in RETENTION_CHOICES]
    lightest = min(
        (p for p in grid if p.reachable),
        key=lambda p: (sum(d.reviews + d.new for d in p.loads), p.new_per_day),
    )
    short = simulate_new_cards(
        2000, 90, lightest.new_per_day, lightest.desired_retention, DEFAULT_PARAMETERS
    )
    # What the expected values alone would choose: 50 a day at 80%, 90.3% for them, 85.7% when
    # each card's answers are drawn.
    assert (lightest.new_per_day, lightest.desired_retention) == (50, 0.80)
    assert short.recall_sum / 2000 < 0.90 <= lightest.predicted_recall

    plan = plan_exam(request)
    run = simulate_new_cards(2000, 90, plan.new_per_day, plan.desired_retention, DEFAULT_PARAMETERS)
    assert plan.reachable and plan.predicted_recall == run.recall_sum / 2000 >= 0.90
    assert plan.desired_retention > 0.80


def test_a_new_decks_forecast_is_the_simulators_run_of_the_chosen_plan() -> None:
    request = fresh(300, 30)
    plan = plan_exam(request)
    run = simulate_new_cards(300, 30, plan.new_per_day, plan.desired_retention, DEFAULT_PARAMETERS)

    assert [load.new for load in plan.loads] == list(run.new)
    assert [load.reviews for load in plan.loads] == list(run.reviews)
    assert plan_exam(request) == plan  # the seed is fixed: the same forecast every time


def test_a_studied_decks_forecast_adds_the_studied_cards_expected_reviews() -> None:
    studied = Memory(
        kind=SchedulerKind.FSRS,
        reps=3,
        lapses=0,
        interval_days=5,
        last_review_day=TODAY - timedelta(days=5),
        due_day=TODAY,
        stability=5.0,
        difficulty=5.0,
    )
    cards: list[PlannedCard] = [studied] * 40 + [None] * 160
    request = PlanRequest(cards, TODAY, TODAY + timedelta(days=30))
    plan = plan_exam(request)
    known = expected_plan(
        PlanRequest([studied] * 40, TODAY, TODAY + timedelta(days=30)), 0, plan.desired_retention
    )
    run = simulate_new_cards(160, 30, plan.new_per_day, plan.desired_retention, DEFAULT_PARAMETERS)

    assert plan.loads[0].reviews == 40 + run.reviews[0]  # the 40 due today, reviewed today
    assert [load.reviews for load in plan.loads] == [
        k.reviews + r for k, r in zip(known.loads, run.reviews, strict=True)
    ]
    assert [load.new for load in plan.loads] == list(run.new)


def test_nothing_new_to_learn_needs_no_simulator_run() -> None:
    run = simulate_new_cards(0, 10, 20, 0.9, DEFAULT_PARAMETERS)
    assert run.new == run.reviews == (0,) * 10 and run.recall_sum == 0.0
