"""Pure tests of the personal fit: direction of the fitted memory, the threshold, replays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bench.synthetic_learners import SyntheticLearner, simulate_reviews
from core.scheduling import FittedParameters, FsrsScheduler, Rating, fit_parameters
from core.scheduling.evaluation import prediction_targets
from core.scheduling.fit import (
    DEFAULT_PARAMETERS,
    MIN_OPTIMIZER_STEPS,
    MIN_REVIEWS_TO_FIT,
    memory_states,
    training_config,
)

DAY = date(2026, 3, 2)


def _fit(memory: float, reviews: int = 2000, seed: int = 3) -> FittedParameters:
    fitted = fit_parameters(simulate_reviews(SyntheticLearner(seed, memory), reviews))
    assert fitted is not None
    return fitted


def test_a_learner_who_forgets_faster_gets_lower_stabilities() -> None:
    fast, slow = _fit(memory=0.3), _fit(memory=3.0)
    initial = slice(0, 4)  # the first stability after Again, Hard, Good, Easy
    assert sum(fast.parameters[initial]) < sum(DEFAULT_PARAMETERS[initial])
    assert sum(slow.parameters[initial]) > sum(DEFAULT_PARAMETERS[initial])
    assert fast.parameters[2] < slow.parameters[2]  # after Good, the usual answer
    assert fast.reviews_used == slow.reviews_used == 2000


def test_the_same_reviews_give_the_same_parameters() -> None:
    reviews = simulate_reviews(SyntheticLearner(5, 0.6), 800)
    assert fit_parameters(reviews) == fit_parameters(list(reviews))


def test_too_few_reviews_give_no_fit() -> None:
    assert fit_parameters([]) is None
    few = simulate_reviews(SyntheticLearner(1, 0.5), MIN_REVIEWS_TO_FIT - 1)
    assert fit_parameters(few) is None
    # Enough reviews, but all first looks: nothing to learn forgetting from.
    firsts = [(f"c{i}", DAY, Rating.GOOD) for i in range(MIN_REVIEWS_TO_FIT * 2)]
    assert fit_parameters(firsts) is None


def test_fitted_parameters_schedule_a_slow_forgetter_further_out() -> None:
    slow = FsrsScheduler(fuzz_enabled=False, parameters=_fit(memory=3.0).parameters)
    default = FsrsScheduler(fuzz_enabled=False)
    personal, usual = slow.review(None, Rating.GOOD, DAY), default.review(None, Rating.GOOD, DAY)
    assert personal.interval_days > usual.interval_days
    later = DAY + timedelta(days=personal.interval_days)
    again = slow.review(personal, Rating.GOOD, later)
    assert again.interval_days > personal.interval_days
    assert (
        FsrsScheduler(fuzz_enabled=False, parameters=None).review(None, Rating.GOOD, DAY) == usual
    )
    # Lower desired retention with the same personal parameters: reviews further apart still.
    relaxed = FsrsScheduler(
        desired_retention=0.8, fuzz_enabled=False, parameters=_fit(memory=3.0).parameters
    )
    assert relaxed.review(None, Rating.GOOD, DAY).interval_days > personal.interval_days


def test_memory_states_replay_each_cards_history() -> None:
    history = [
        ("a", DAY, Rating.GOOD),
        ("b", DAY, Rating.NOT_AT_ALL),
        ("a", DAY + timedelta(days=3), Rating.GOOD),
    ]
    states = memory_states(history, DEFAULT_PARAMETERS)
    scheduler = FsrsScheduler(fuzz_enabled=False)
    first = scheduler.review(None, Rating.GOOD, DAY)
    replayed = scheduler.review(first, Rating.GOOD, DAY + timedelta(days=3))
    assert set(states) == {"a", "b"}
    assert states["a"][0] == pytest.approx(replayed.stability, rel=1e-3)
    assert states["a"][1] == pytest.approx(replayed.difficulty, rel=1e-3)
    assert states["b"][0] < states["a"][0]


def test_fitted_parameters_need_all_21() -> None:
    with pytest.raises(ValueError, match="21 parameters"):
        FittedParameters((0.1,) * 19, 500)


def test_a_fit_that_beats_the_defaults_on_the_history_is_kept() -> None:
    fitted = _fit(memory=0.3)
    assert fitted.improved and fitted.parameters == fitted.candidate
    assert fitted.candidate_log_loss < fitted.previous_log_loss


def test_a_refit_that_does_no_better_keeps_the_parameters_in_use() -> None:
    reviews = simulate_reviews(SyntheticLearner(3, 0.3), 2000)
    first = fit_parameters(reviews)
    assert first is not None
    # The same reviews fit the same candidate, which cannot beat itself: the current stay.
    again = fit_parameters(reviews, current=first.parameters)
    assert again is not None and not again.improved
    assert again.parameters == first.parameters
    assert again.candidate_log_loss == again.previous_log_loss
    # Parameters in use that predict worse than a new fit are replaced.
    worse = tuple(value * 1.5 for value in first.parameters[:4]) + first.parameters[4:]
    replaced = fit_parameters(reviews, current=worse)
    assert replaced is not None and replaced.improved
    assert replaced.parameters == first.parameters


def test_same_day_repeats_are_history_not_targets() -> None:
    reviews = simulate_reviews(SyntheticLearner(5, 0.6), 800)
    # A repeat of every first look, the same day: rated Again, as a learner still learning it.
    repeated: list[tuple[str, date, Rating]] = []
    seen: set[str] = set()
    for card, day, rating in reviews:
        repeated.append((card, day, rating))
        if card not in seen:
            seen.add(card)
            repeated.append((card, day, Rating.NOT_AT_ALL))
    plain, with_repeats = fit_parameters(reviews), fit_parameters(repeated)
    assert plain is not None and with_repeats is not None
    # The repeats changed each card's history (so its memory), yet were not predicted themselves.
    assert with_repeats.candidate != plain.candidate
    assert len(prediction_targets(repeated)) == len(prediction_targets(reviews))


@pytest.mark.parametrize(
    ("items", "epochs"),
    [
        (64, MIN_OPTIMIZER_STEPS),  # one batch: an epoch is one step
        (600, MIN_OPTIMIZER_STEPS // 2),  # two batches of up to 512
        (3_800, 8),  # eight batches
        (100_000, 5),  # an Anki-sized history keeps fsrs-rs's own 5 epochs
    ],
)
def test_small_histories_get_more_epochs_for_enough_optimizer_steps(
    items: int, epochs: int
) -> None:
    config = training_config(items)
    assert config.num_epochs == epochs
    assert config.num_epochs * -(-items // config.batch_size) >= MIN_OPTIMIZER_STEPS
    assert config.batch_size == 512 and config.learning_rate == pytest.approx(4e-2)
