"""Honest-rating coaching: the calibration table from hand-built pairs, and when advice is given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest

from core.stats.calibration import (
    MIN_SAMPLES,
    Advice,
    AdviceKind,
    RatingCalibration,
    calibrate,
    predicted_recall,
)
from core.stats.repository import FollowedRating

DAY = date(2026, 3, 1)


def pairs(
    rating: int,
    samples: int,
    recalled: int,
    *,
    interval: int = 10,
    elapsed: int = 10,
    scheduler: str = "fsrs",
    failed_with: int = 2,
) -> list[FollowedRating]:
    """`samples` reviews rated `rating`, the first `recalled` of them recalled next time."""
    return [
        FollowedRating(
            rating=rating,
            review_day=DAY,
            scheduler=scheduler,
            interval_days=interval,
            next_rating=3 + i % 3 if i < recalled else failed_with,
            next_review_day=DAY + timedelta(days=elapsed),
        )
        for i in range(samples)
    ]


def row(rating: int, pairs_: list[FollowedRating], retention: float = 0.9) -> RatingCalibration:
    return calibrate(pairs_, retention).rows[rating - 1]


# --- the forgetting curve ------------------------------------------------------------------


def test_predicted_recall_is_the_target_on_the_due_day_and_falls_after_it() -> None:
    assert predicted_recall(10, 10, 0.9) == pytest.approx(0.9)
    assert predicted_recall(3, 3, 0.8) == pytest.approx(0.8)
    assert predicted_recall(10, 0, 0.9) == 1.0
    # At 90% FSRS's interval is the stability: py-fsrs's own curve for S = 10 days.
    engine = fsrs.Scheduler()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    card = fsrs.Card(0, fsrs.State.Review, None, 10.0, 5.0, start, start)
    for elapsed in (5, 30):
        expected = engine.get_card_retrievability(card, start + timedelta(days=elapsed))
        assert predicted_recall(10, elapsed, 0.9) == pytest.approx(expected, abs=1e-9)
    assert predicted_recall(10, 5, 0.9) == pytest.approx(0.94034, abs=1e-5)
    with pytest.raises(ValueError):
        predicted_recall(0, 3, 0.9)


# --- the table -----------------------------------------------------------------------------


def test_the_table_counts_each_rating_its_recalls_and_the_mean_prediction() -> None:
    log = [
        *pairs(4, 8, 5),  # due day: 90% predicted, 5 of 8 recalled
        *pairs(4, 2, 2, interval=10, elapsed=5),  # early: 94.3% predicted
        *pairs(2, 3, 1, interval=1, elapsed=1),
        *pairs(5, 1, 0, interval=20, elapsed=20, scheduler="sm2"),  # SM-2: 90% whatever the goal
        *pairs(3, 4, 4, interval=5, elapsed=0),  # same-day repeats: left out
    ]
    table = calibrate(log, desired_retention=0.8)
    assert [(r.rating, r.samples, r.recalled) for r in table.rows] == [
        (1, 0, 0),
        (2, 3, 1),
        (3, 0, 0),
        (4, 10, 7),
        (5, 1, 0),
    ]
    four = table.rows[3]
    assert four.observed == pytest.approx(0.7)
    early = predicted_recall(10, 5, 0.8)
    assert four.predicted == pytest.approx((8 * 0.8 + 2 * early) / 10)
    assert table.rows[1].predicted == pytest.approx(0.8)
    assert table.rows[4].predicted == pytest.approx(0.9)
    assert table.rows[0].observed is None and table.rows[0].predicted is None
    assert table.samples == 14
    assert table.advice is None and not table.enough_samples


def test_a_rating_of_3_or_more_at_the_next_review_is_a_recall() -> None:
    log = pairs(4, 3, 0, failed_with=1) + pairs(4, 3, 0, failed_with=2) + pairs(4, 3, 3)
    assert row(4, log).recalled == 3


# --- the advice ----------------------------------------------------------------------------


def test_an_over_rated_4_gets_the_plain_advice_to_rate_3() -> None:
    calibration = calibrate(pairs(4, 40, 25) + pairs(3, 40, 36), 0.9)
    assert calibration.advice == Advice(
        AdviceKind.RATE_LOWER, rating=4, suggested=3, observed=0.625, predicted=pytest.approx(0.9)
    )


def test_no_advice_below_the_sample_threshold() -> None:
    assert MIN_SAMPLES == 30
    assert calibrate(pairs(4, 29, 10), 0.9).advice is None
    assert calibrate(pairs(4, 30, 10), 0.9).advice is not None


def test_no_advice_for_a_small_gap_however_many_samples() -> None:
    # 85% against 90% over 2,000 reviews: 7 standard errors, but only 5 points.
    assert abs(row(4, pairs(4, 2000, 1700)).z) > 7
    assert calibrate(pairs(4, 2000, 1700), 0.9).advice is None
    # 23 of 30 against 90%: 13 points and 2.4 standard errors.
    assert calibrate(pairs(4, 30, 23), 0.9).advice is not None
    assert calibrate(pairs(4, 30, 25), 0.9).advice is None  # 7 points


def test_no_advice_for_a_large_gap_that_chance_explains() -> None:
    # At 70% predicted, 30 reviews have a standard error of 8 points: 57% is 1.6 of them.
    few = pairs(4, 30, 17)
    assert abs(row(4, few, 0.7).z) < 2
    assert calibrate(few, 0.7).advice is None
    assert calibrate(pairs(4, 60, 34), 0.7).advice is not None  # same share, twice the reviews


def test_an_under_rated_3_is_told_to_rate_4() -> None:
    advice = calibrate(pairs(3, 60, 55), 0.7).advice
    assert advice is not None
    assert (advice.kind, advice.rating, advice.suggested) == (AdviceKind.RATE_HIGHER, 3, 4)


def test_ratings_without_a_neighbour_that_schedules_differently_get_no_advice() -> None:
    # 1 and 2 are both "forgotten" to FSRS; there is nothing above 5.
    assert calibrate(pairs(2, 60, 10), 0.9).advice is None
    assert calibrate(pairs(1, 60, 60), 0.7).advice is None
    assert calibrate(pairs(5, 60, 60), 0.7).advice is None
    assert calibrate(pairs(2, 60, 60), 0.7).advice is not None  # 2 → 3 does change the schedule


def test_the_rating_furthest_off_gets_the_one_sentence() -> None:
    log = pairs(3, 40, 28) + pairs(4, 100, 60) + pairs(5, 40, 30)
    advice = calibrate(log, 0.9).advice
    assert advice is not None and advice.rating == 4


def test_a_logged_interval_below_one_day_is_left_out_rather_than_failing_stats() -> None:
    # Every interval the bot logs is >= 1 day; an imported history might not be so tidy.
    table = calibrate(pairs(4, 3, 3, interval=0) + pairs(4, 2, 1), 0.9)
    assert (table.rows[3].samples, table.rows[3].recalled) == (2, 1)
