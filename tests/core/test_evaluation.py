"""Pure tests of the srs-benchmark scoring: which reviews are predicted, log loss, RMSE(bins)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import fsrs_rs_python as fsrs_rs
import pytest

from bench.synthetic_learners import SyntheticLearner, simulate_reviews
from core.scheduling.evaluation import LoggedReview, evaluate, prediction_targets
from core.scheduling.fit import DEFAULT_PARAMETERS
from core.scheduling.model import Rating

DAY = date(2026, 3, 2)


def _day(offset: int) -> date:
    return DAY + timedelta(days=offset)


def _grades(item: fsrs_rs.FSRSItem) -> str:
    return repr(item)


def test_only_reviews_on_a_later_day_are_predicted_from_the_whole_history() -> None:
    log: list[LoggedReview] = [
        ("a", _day(0), Rating.GOOD),  # a first look: nothing to predict it from
        ("a", _day(0), Rating.NOT_AT_ALL),  # a same-day repeat: history, not a target
        ("b", _day(0), Rating.GOOD),
        ("a", _day(2), Rating.GOOD),  # predicted from both reviews of day 0
        ("b", _day(3), Rating.POOR),  # a miss (1 and 2 are Again)
    ]
    targets = prediction_targets(log)
    assert len(targets) == 2
    assert targets.elapsed == [2, 3]
    assert targets.recalled == [True, False]
    first = fsrs_rs.FSRSItem(
        [fsrs_rs.FSRSReview(3, 0), fsrs_rs.FSRSReview(1, 0), fsrs_rs.FSRSReview(3, 2)]
    )
    assert _grades(targets.items[0]) == _grades(first)
    assert len(prediction_targets(log, first=4)) == 1  # held out from the fifth review on


def test_the_log_loss_is_the_mean_cross_entropy_of_the_forgetting_curve() -> None:
    log: list[LoggedReview] = [
        ("a", _day(0), Rating.GOOD),
        ("b", _day(0), Rating.GOOD),
        ("a", _day(3), Rating.GOOD),
        ("b", _day(5), Rating.NOT_AT_ALL),
    ]
    w = DEFAULT_PARAMETERS
    first_good = w[2]  # the stability after a first Good
    factor = 0.9 ** (-1 / w[20]) - 1
    recall_a = (1 + factor * 3 / first_good) ** -w[20]
    recall_b = (1 + factor * 5 / first_good) ** -w[20]
    score = evaluate(w, prediction_targets(log))
    assert score.reviews == 2
    assert score.log_loss == pytest.approx(-(math.log(recall_a) + math.log(1 - recall_b)) / 2)
    # Different intervals, different bins: each bin's error is its own, weighted by one review.
    assert score.rmse_bins == pytest.approx(math.sqrt(((recall_a - 1) ** 2 + recall_b**2) / 2))


def test_one_bin_averages_before_it_squares() -> None:
    log: list[LoggedReview] = [
        ("a", _day(0), Rating.GOOD),
        ("b", _day(0), Rating.GOOD),
        ("a", _day(4), Rating.GOOD),
        ("b", _day(4), Rating.NOT_AT_ALL),
    ]
    score = evaluate(DEFAULT_PARAMETERS, prediction_targets(log))
    w = DEFAULT_PARAMETERS
    recall = (1 + (0.9 ** (-1 / w[20]) - 1) * 4 / w[2]) ** -w[20]
    assert score.rmse_bins == pytest.approx(abs(recall - 0.5))  # one bin, half recalled


def test_each_review_alone_scores_as_fsrs_rs_scores_it() -> None:
    log = simulate_reviews(SyntheticLearner(7, 0.5), 600)
    targets = prediction_targets(log)
    for item in targets.items[:: max(len(targets) // 25, 1)]:
        card = _as_log(item)
        ours = evaluate(DEFAULT_PARAMETERS, prediction_targets(card, first=len(card) - 1))
        theirs = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).evaluate([item])
        assert ours.log_loss == pytest.approx(theirs.log_loss, abs=1e-5)


def test_the_order_cards_are_interleaved_in_does_not_change_the_score() -> None:
    log = simulate_reviews(SyntheticLearner(8, 2.0), 800)
    by_card = sorted(log, key=lambda review: (int(review[0][1:]), review[1]))
    mixed = evaluate(DEFAULT_PARAMETERS, prediction_targets(log))
    sorted_ = evaluate(DEFAULT_PARAMETERS, prediction_targets(by_card))
    assert mixed.reviews == sorted_.reviews
    assert mixed.log_loss == pytest.approx(sorted_.log_loss, rel=1e-12)
    assert mixed.rmse_bins == pytest.approx(sorted_.rmse_bins, rel=1e-12)


def test_nothing_to_predict_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to evaluate"):
        evaluate(DEFAULT_PARAMETERS, prediction_targets([("a", DAY, Rating.GOOD)]))


def _as_log(item: fsrs_rs.FSRSItem) -> list[LoggedReview]:
    """One card's reviews back as a log (grades as ratings: 1 → 1, 2–4 → 3–5)."""
    rating = {1: Rating.NOT_AT_ALL, 2: Rating.FAIR, 3: Rating.GOOD, 4: Rating.PERFECTLY}
    day, log = DAY, []
    for grade, elapsed in _reviews(item):
        day += timedelta(days=elapsed)
        log.append(("c", day, rating[grade]))
    return log


def _reviews(item: fsrs_rs.FSRSItem) -> list[tuple[int, int]]:
    # FSRSReview has no getters in 0.9.3; its repr is "FSRSReview { rating: 3, delta_t: 2 }".
    found = []
    for review in item.reviews:
        text = repr(review)
        rating = int(text.split("rating: ")[1].split(",")[0])
        delta_t = int(text.split("delta_t: ")[1].split(" ")[0])
        found.append((rating, delta_t))
    return found
