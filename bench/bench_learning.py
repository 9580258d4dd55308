"""Personal FSRS parameters on synthetic learners: held-out accuracy and fit time.

Run: .venv/bin/python bench/bench_learning.py [--learners 200] [--seed 11]

Each synthetic learner (bench/synthetic_learners.py) has a memory that is not FSRS's default:
stabilities scaled by a factor in 0.25–0.6 or 1.7–3.5, the growth of stability on a recall
changed with it, and every parameter jittered by ±15%. Each gives
500–5,000 reviews (log-uniform). The first 75% of their reviews in time fit their parameters
(`core.scheduling.fit.fit_parameters`, as the bot does); their later 25% are held out and
predicted, each from the card's whole history before it, under the default and the fitted
parameters: log loss and RMSE over bins (fsrs-rs's evaluate, the srs-benchmark metrics). Only
reviews after a day or more count (same-day repeats are short-term memory). The fit time is that
of a fit on all of a learner's reviews. One run, seeded; not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import fsrs_rs_python as fsrs_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_learners import (
    SyntheticLearner,
    simulate_reviews,
    true_parameters,
)
from core.scheduling.fit import DEFAULT_PARAMETERS, LoggedReview, fit_parameters
from core.scheduling.fsrs_scheduler import FSRS_GRADE

TRAIN_SHARE = 0.75


def check_and_fill_bounds(parameters: Sequence[float]) -> list[float]:
    return fsrs_rs.check_and_fill_parameters(list(parameters))


def held_out_items(reviews: Sequence[LoggedReview], first_held: int) -> list[fsrs_rs.FSRSItem]:
    """One item per held-out review that comes a day or more after the card's previous one."""
    histories: dict[str, list[fsrs_rs.FSRSReview]] = {}
    last_day: dict[str, date] = {}
    items = []
    for index, (card, day, rating) in enumerate(reviews):
        elapsed = (day - last_day.get(card, day)).days
        history = histories.setdefault(card, [])
        history.append(fsrs_rs.FSRSReview(FSRS_GRADE[rating], elapsed))
        last_day[card] = day
        if index >= first_held and len(history) > 1 and elapsed > 0:
            items.append(fsrs_rs.FSRSItem(history))
    return items


def one_learner(learner: SyntheticLearner, reviews: int) -> dict[str, float | int | None]:
    log = simulate_reviews(learner, reviews)
    first_held = int(len(log) * TRAIN_SHARE)
    fitted = fit_parameters(log[:first_held])
    items = held_out_items(log, first_held)
    default = fsrs_rs.FSRS(DEFAULT_PARAMETERS).evaluate(items)
    personal = fsrs_rs.FSRS(fitted.parameters).evaluate(items) if fitted else default
    # The ceiling: the learner's true memory, which no fit on their reviews can beat on average.
    truth = fsrs_rs.FSRS(check_and_fill_bounds(true_parameters(learner))).evaluate(items)
    started = time.perf_counter()
    fit_parameters(log)
    fit_ms = (time.perf_counter() - started) * 1000
    return {
        "reviews": reviews,
        "memory": learner.memory,
        "held_out": len(items),
        "fitted": fitted is not None,
        "default_log_loss": default.log_loss,
        "fitted_log_loss": personal.log_loss,
        "default_rmse_bins": default.rmse_bins,
        "fitted_rmse_bins": personal.rmse_bins,
        "true_log_loss": truth.log_loss,
        "fit_ms": fit_ms,
    }


def learners(count: int, seed: int) -> list[tuple[SyntheticLearner, int]]:
    rng = random.Random(seed)
    drawn = []
    for index in range(count):
        memory = rng.uniform(0.25, 0.6) if index % 2 else rng.uniform(1.7, 3.5)
        reviews = round(500 * 10 ** rng.uniform(0, 1))  # 500–5,000, log-uniform
        drawn.append((SyntheticLearner(seed * 1000 + index, round(memory, 2)), reviews))
    drawn.append((SyntheticLearner(seed * 1000 + count, 0.5), 5000))  # one full-size fit, surely
    return drawn


def share_better(rows: list[dict[str, float | int | None]], key: str, than: str) -> float:
    return round(sum(float(r[key] or 0) < float(r[than] or 0) for r in rows) / len(rows), 3)


def summary(rows: list[dict[str, float | int | None]]) -> dict[str, object]:
    def mean(key: str, subset: list[dict[str, float | int | None]]) -> float:
        return statistics.fmean(float(row[key] or 0) for row in subset)

    big = [row for row in rows if int(row["reviews"] or 0) >= 1000]
    better = [
        row
        for row in big
        if float(row["fitted_log_loss"] or 0) < float(row["default_log_loss"] or 0)
    ]
    full = [float(row["fit_ms"] or 0) for row in rows if int(row["reviews"] or 0) >= 4500]
    return {
        "learners": len(rows),
        "fitted_on_75pct": sum(bool(row["fitted"]) for row in rows),
        "with_1000_reviews_or_more": len(big),
        "fitted_better_log_loss_share": len(better) / len(big) if big else None,
        "fitted_better_rmse_bins_share": share_better(big, "fitted_rmse_bins", "default_rmse_bins"),
        "true_better_log_loss_share": share_better(big, "true_log_loss", "default_log_loss"),
        "log_loss_default": round(mean("default_log_loss", big), 4),
        "log_loss_fitted": round(mean("fitted_log_loss", big), 4),
        "rmse_bins_default": round(mean("default_rmse_bins", big), 4),
        "rmse_bins_fitted": round(mean("fitted_rmse_bins", big), 4),
        "under_1000_log_loss_default": round(
            mean("default_log_loss", [r for r in rows if r not in big]), 4
        ),
        "under_1000_log_loss_fitted": round(
            mean("fitted_log_loss", [r for r in rows if r not in big]), 4
        ),
        "fit_ms_median_all": round(statistics.median(float(row["fit_ms"] or 0) for row in rows), 1),
        "fit_ms_4500_to_5000_reviews_median": round(statistics.median(full), 1) if full else None,
        "fit_ms_4500_to_5000_reviews_max": round(max(full), 1) if full else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [
        one_learner(learner, reviews) for learner, reviews in learners(args.learners, args.seed)
    ]
    result = summary(rows)
    result["run_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
