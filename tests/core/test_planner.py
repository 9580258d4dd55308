"""The exam planner on synthetic decks: reachable, unreachable, runway, refusals, the curve."""

from datetime import date, timedelta

import pytest

from core.errors import InvalidInput
from core.planning import Plan, PlannedCard, PlanRequest, plan_exam
from core.planning.memory_model import ExpectedMemory, ForgettingModel
from core.scheduling import Memory, Rating, SchedulerKind
from core.scheduling.fit import DEFAULT_PARAMETERS
from core.scheduling.fsrs_scheduler import FsrsScheduler

TODAY = date(2026, 12, 2)
MODEL = ForgettingModel(DEFAULT_PARAMETERS)


def unseen(count: int) -> list[PlannedCard]:
    return [None] * count


def learned(count: int, *, stability: float, last_review: date, due: date) -> list[PlannedCard]:
    memory = Memory(
        kind=SchedulerKind.FSRS,
        reps=2,
        lapses=0,
        interval_days=(due - last_review).days,
        last_review_day=last_review,
        due_day=due,
        stability=stability,
        difficulty=5.0,
    )
    return [memory] * count


def plan_for(
    cards: list[PlannedCard],
    days: int,
    target: int = 90,
    parameters: tuple[float, ...] | None = None,
) -> Plan:
    return plan_exam(PlanRequest(cards, TODAY, TODAY + timedelta(days=days), target, parameters))


def test_a_reachable_target_gets_numbers_from_the_grid_and_a_recall_at_least_the_target() -> None:
    plan = plan_for(unseen(200), 30)

    assert plan.reachable
    assert plan.predicted_recall >= 0.90
    assert plan.new_per_day == 10  # the lightest rate that learns the 200 cards in time
    assert 0.80 <= plan.desired_retention <= 0.97
    assert len(plan.loads) == 30 and plan.loads[0].day == TODAY
    assert sum(load.new for load in plan.loads) == 200
    assert plan.loads[0].reviews == 0 and sum(load.reviews for load in plan.loads) > 0


def test_an_unreachable_target_says_what_is_reachable_and_at_what_rate() -> None:
    plan = plan_for(unseen(2000), 10)  # 100 a day learns half the deck at most

    assert not plan.reachable
    assert plan.new_per_day == 100
    assert 40 <= plan.reachable_percent < 50
    assert plan.reachable_percent == int(plan.predicted_recall * 100)


def test_a_longer_runway_needs_fewer_new_cards_a_day() -> None:
    short, long = plan_for(unseen(600), 14), plan_for(unseen(600), 60)

    assert short.reachable and long.reachable
    assert long.new_per_day < short.new_per_day


def test_a_deck_already_known_well_needs_no_hurry_and_overdue_cards_are_reviewed_today() -> None:
    overdue = learned(
        50, stability=3.0, last_review=TODAY - timedelta(days=20), due=TODAY - timedelta(days=17)
    )

    plan = plan_for(overdue, 20)

    assert plan.loads[0].reviews == 50
    assert plan.reachable


def test_learned_cards_forgotten_by_the_exam_lower_the_prediction() -> None:
    fresh = learned(100, stability=400.0, last_review=TODAY, due=TODAY + timedelta(days=300))
    stale = learned(
        100, stability=2.0, last_review=TODAY - timedelta(days=60), due=TODAY + timedelta(days=300)
    )

    assert plan_for(fresh, 30).predicted_recall > plan_for(stale, 30).predicted_recall


def test_a_learner_who_forgets_faster_needs_more() -> None:
    slow_forgetter = plan_for(unseen(300), 30, target=95)
    fast = list(DEFAULT_PARAMETERS)
    fast[0:4] = [value / 4 for value in fast[0:4]]
    fast_forgetter = plan_for(unseen(300), 30, target=95, parameters=tuple(fast))

    load = lambda plan: sum(day.reviews for day in plan.loads)  # noqa: E731
    assert load(fast_forgetter) > load(slow_forgetter)


@pytest.mark.parametrize(
    ("exam", "target", "message"),
    [
        (TODAY, 90, "after today"),
        (TODAY - timedelta(days=1), 90, "after today"),
        (TODAY + timedelta(days=731), 90, "two years"),
        (TODAY + timedelta(days=30), 49, "50 to 99"),
        (TODAY + timedelta(days=30), 100, "50 to 99"),
    ],
)
def test_bad_dates_and_targets_are_refused_plainly(exam: date, target: int, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        plan_exam(PlanRequest(unseen(10), TODAY, exam, target))


def test_the_expected_review_mixes_fsrs_good_and_again_by_the_recall_probability() -> None:
    start = learned(1, stability=10.0, last_review=TODAY, due=TODAY + timedelta(days=10))[0]
    assert start is not None
    day = TODAY + timedelta(days=12)
    scheduler = FsrsScheduler(fuzz_enabled=False)
    good = scheduler.review(start, Rating.GOOD, day)
    again = scheduler.review(start, Rating.NOT_AT_ALL, day)
    recall = MODEL.retrievability(12, 10.0)

    expected = MODEL.after_review(ExpectedMemory(10.0, 5.0), recall)

    assert good.stability is not None and again.stability is not None
    assert expected.stability == pytest.approx(
        recall * good.stability + (1 - recall) * again.stability
    )
    assert good.difficulty is not None and again.difficulty is not None
    assert expected.difficulty == pytest.approx(
        recall * good.difficulty + (1 - recall) * again.difficulty
    )


def test_the_first_answer_and_interval_are_fsrs_s() -> None:
    first = FsrsScheduler(fuzz_enabled=False).review(None, Rating.GOOD, TODAY)

    memory = MODEL.first_answer()

    assert memory.stability == pytest.approx(first.stability)
    assert memory.difficulty == pytest.approx(first.difficulty)
    assert MODEL.interval(first.stability or 0, 0.9) == first.interval_days
