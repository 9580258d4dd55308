"""How an exam plan changes a learner's limits for a review of its deck."""

from datetime import UTC, date, datetime, timedelta

from core.learners import Learner, LearnerSettings
from core.planning.limits import planned_learner
from core.planning.model import ExamPlan

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
EXAM = date(2026, 12, 20)
ANN = Learner(1, "telegram", "100", "Ann", LearnerSettings(new_cards_per_day=5))
PLANS = [ExamPlan(1, "geo", EXAM, 40, 0.95, 90), ExamPlan(1, "bio", EXAM, 10, 0.85, 90)]


def test_a_plan_sets_new_cards_retention_and_room_for_the_new_cards() -> None:
    settings = planned_learner(ANN, PLANS, ["geo"], NOW).settings

    assert settings.new_cards_per_day == 40
    assert settings.scheduler.desired_retention == 0.95
    assert settings.max_reviews_per_day == 200


def test_two_planned_decks_in_one_review_get_both_rates_and_the_higher_retention() -> None:
    settings = planned_learner(ANN, PLANS, ["geo", "bio"], NOW).settings

    assert (settings.new_cards_per_day, settings.scheduler.desired_retention) == (50, 0.95)


def test_other_decks_and_expired_plans_keep_the_learners_own_limits() -> None:
    assert planned_learner(ANN, PLANS, ["chem"], NOW) == ANN
    on_exam_day = datetime(2026, 12, 20, 12, tzinfo=UTC)
    assert planned_learner(ANN, PLANS, ["geo"], on_exam_day) == ANN
    assert planned_learner(ANN, PLANS, ["geo"], on_exam_day - timedelta(days=1)) != ANN


def test_a_big_rate_raises_the_review_limit_to_fit_it() -> None:
    busy = [ExamPlan(1, "geo", EXAM, 100, 0.9, 90)]
    few = Learner(1, "telegram", "100", "Ann", LearnerSettings(max_reviews_per_day=50))

    assert planned_learner(few, busy, ["geo"], NOW).settings.max_reviews_per_day == 100
