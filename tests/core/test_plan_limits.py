"""How exam plans set a learner's limits for their own decks, and only for those."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from core.learners import Learner, LearnerSettings
from core.planning.limits import deck_limits
from core.planning.model import ExamPlan
from core.review.limits import NO_DECK_LIMITS, DailyAllowance, TodaysCounts, daily_allowance

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
EXAM = date(2026, 12, 20)
ANN = Learner(1, "telegram", "100", "Ann", LearnerSettings(new_cards_per_day=5))
PLANS = [ExamPlan(1, "geo", EXAM, 40, 0.95, 90), ExamPlan(1, "bio", EXAM, 10, 0.85, 90)]
LIMITS = deck_limits(ANN, PLANS, NOW)


def counts(reviewed: int, geo: int = 0, bio: int = 0, other: int = 0) -> TodaysCounts:
    """Today's counts with `geo`, `bio` and `other` new cards (the planned decks counted)."""
    return TodaysCounts(reviewed, geo + bio + other, {"geo": geo, "bio": bio})


def test_each_plan_sets_its_own_decks_new_cards_and_retention() -> None:
    assert LIMITS.new_per_day == {"geo": 40, "bio": 10}
    assert LIMITS.desired_retention == {"geo": 0.95, "bio": 0.85}
    assert LIMITS.learner_for(ANN, "geo").settings.scheduler.desired_retention == 0.95
    assert LIMITS.learner_for(ANN, "bio").settings.scheduler.desired_retention == 0.85
    assert LIMITS.learner_for(ANN, "chem") == ANN


def test_a_planned_deck_counts_its_own_new_cards_and_other_decks_keep_the_learners_limit() -> None:
    settings = ANN.settings
    # 5 new chemistry cards today: Ann's own 5 are spent, but not the geography plan's 40.
    assert daily_allowance(settings, counts(5, other=5), ["geo", "chem"], LIMITS) == (
        DailyAllowance(reviews_left=195, new_left=40, new_decks=("geo",))
    )
    # 30 new geography cards today spend none of Ann's own 5 for chemistry.
    assert daily_allowance(settings, counts(30, geo=30), ["chem"], LIMITS) == (
        DailyAllowance(reviews_left=170, new_left=5, new_decks=("chem",))
    )
    both = daily_allowance(settings, counts(12, geo=2, bio=10), ["geo", "bio", "chem"], LIMITS)
    assert (both.new_left, both.new_decks) == (38 + 0 + 5, ("geo", "chem"))


def test_expired_plans_and_no_plans_leave_the_learners_own_limits() -> None:
    on_exam_day = datetime(2026, 12, 20, 12, tzinfo=UTC)
    assert deck_limits(ANN, PLANS, on_exam_day) == NO_DECK_LIMITS
    assert deck_limits(ANN, [], NOW) == NO_DECK_LIMITS
    assert deck_limits(ANN, PLANS, on_exam_day - timedelta(days=1)).new_per_day["geo"] == 40
    assert daily_allowance(ANN.settings, TodaysCounts(3, 3), ["geo"], NO_DECK_LIMITS) == (
        DailyAllowance(reviews_left=197, new_left=2, new_decks=("geo",))
    )


def test_the_review_limit_makes_room_for_the_plans_new_cards() -> None:
    few = replace(ANN.settings, max_reviews_per_day=30)
    assert LIMITS.review_limit(few) == 50
    assert LIMITS.review_limit(ANN.settings) == 200
    assert LIMITS.new_limit(few, ["geo"]) == 40
    assert LIMITS.new_limit(few, ["geo", "chem"]) == 45
    assert NO_DECK_LIMITS.new_limit(few, ["geo"]) == 5


def test_counting_a_rating_counts_a_planned_decks_new_card_on_it() -> None:
    rated = counts(4, geo=1).plus(first_review=True, deck_id="geo")
    assert rated == TodaysCounts(5, 2, {"geo": 2, "bio": 0})
    other = counts(4, geo=1).plus(first_review=True, deck_id="chem")
    assert other == TodaysCounts(5, 2, {"geo": 1, "bio": 0})
