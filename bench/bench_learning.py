"""Personal FSRS parameters on synthetic learners: held-out accuracy and fit time.

Run: .venv/bin/python bench/bench_learning.py [--learners 200] [--seed 11]

Each synthetic learner (bench/synthetic_learners.py) has a memory that is not FSRS's default:
stabilities scaled by a factor in 0.25–0.6 or 1.7–3.5, the growth of stability on a recall
changed with it, and every parameter jittered by ±15%. Each gives
500–5,000 reviews (log-uniform). The first 75% of their reviews in time fit their parameters
(`core.scheduling.fit.fit_parameters`, as the bot does: keep-if-better against the defaults on
those reviews only); their later 25% are held out and predicted, each from the card's whole
history before it, under the default and the fitted parameters. Scored as srs-benchmark scores
(`core.scheduling.evaluation`): reviews a day or more after the card's last, log loss and
RMSE(bins). `candidate` is the new fit whether kept or not; `old_scoring` is fsrs-rs-python's
`FSRS.evaluate` on the same reviews, as this bench scored before 2026-12-03 (its log loss is not
the mean over reviews: see `core.scheduling.evaluation`). The fit time is that of a fit on all
of a learner's reviews, the keep-if-better check included (best of 3 for 4,500 reviews or more,
next to fsrs-rs's `compute_parameters` alone on the same items, on its default 5 epochs, as the
baseline). One run, seeded; not a test: nothing here asserts. bench/bench_fit_steps.py compares
fsrs-rs training settings on the same learners.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import fsrs_rs_python as fsrs_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_learners import (
    SyntheticLearner,
    simulate_reviews,
    true_parameters,
)
from core.scheduling.evaluation import evaluate, prediction_targets
from core.scheduling.fit import (
    DEFAULT_PARAMETERS,
    FittedParameters,
    LoggedReview,
    fit_parameters,
)

TRAIN_SHARE = 0.75
FULL_SIZE = 4500  # the fits timed against the target: 4,500–5,000 reviews

Row = dict[str, float | int | bool]


def one_learner(learner: SyntheticLearner, reviews: int) -> Row:
    log = simulate_reviews(learner, reviews)
    first_held = int(len(log) * TRAIN_SHARE)
    fitted = fit_parameters(log[:first_held])
    held = prediction_targets(log, first_held)
    scores = {"default": evaluate(DEFAULT_PARAMETERS, held)}
    scores["fitted"] = evaluate(fitted.parameters, held) if fitted else scores["default"]
    scores["candidate"] = evaluate(fitted.candidate, held) if fitted else scores["default"]
    # The ceiling: the learner's true memory, which no fit on their reviews can beat on average.
    truth = fsrs_rs.check_and_fill_parameters(list(true_parameters(learner)))
    scores["true"] = evaluate(truth, held)
    fit_ms, fsrs_rs_ms = _fit_times(log, repeats=3 if reviews >= FULL_SIZE else 1)
    row: Row = {
        "reviews": reviews,
        "memory": learner.memory,
        "held_out": len(held),
        "fitted": fitted is not None,
        "kept_defaults": fitted is not None and not fitted.improved,
        "fit_ms": fit_ms,
        "fsrs_rs_ms": fsrs_rs_ms,
    }
    for name, score in scores.items():
        row[f"{name}_log_loss"] = score.log_loss
        row[f"{name}_rmse_bins"] = score.rmse_bins
    old = {name: fsrs_rs.FSRS(list(p)).evaluate(held.items) for name, p in _old(fitted).items()}
    row["old_scoring_default_log_loss"] = old["default"].log_loss
    row["old_scoring_fitted_log_loss"] = old["fitted"].log_loss
    return row


def _fit_times(log: list[LoggedReview], repeats: int) -> tuple[float, float]:
    """Best of `repeats`: the whole fit (items, fsrs-rs, the keep-if-better check) and, as the
    baseline in the same run, fsrs-rs's `compute_parameters` alone on the same items."""
    whole, alone = [], []
    items = prediction_targets(log).items
    for _ in range(repeats):
        started = time.perf_counter()
        fit_parameters(log)
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items)
        alone.append((time.perf_counter() - started) * 1000)
    return min(whole), min(alone)


def _old(fitted: FittedParameters | None) -> dict[str, Sequence[float]]:
    return {
        "default": DEFAULT_PARAMETERS,
        "fitted": fitted.candidate if fitted else DEFAULT_PARAMETERS,
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


def share_better(rows: list[Row], key: str, than: str) -> float | None:
    if not rows:
        return None
    return round(sum(float(row[key]) < float(row[than]) for row in rows) / len(rows), 3)


def mean(key: str, rows: list[Row]) -> float | None:
    return round(statistics.fmean(float(row[key]) for row in rows), 4) if rows else None


def summary(rows: list[Row]) -> dict[str, object]:
    big = [row for row in rows if int(row["reviews"]) >= 1000]
    full = [row for row in rows if int(row["reviews"]) >= FULL_SIZE]
    full_ms = [float(row["fit_ms"]) for row in full]
    result: dict[str, object] = {
        "learners": len(rows),
        "fitted_on_75pct": sum(bool(row["fitted"]) for row in rows),
        "with_1000_reviews_or_more": len(big),
        "kept_defaults_1000_or_more": sum(bool(row["kept_defaults"]) for row in big),
    }
    for name in ("fitted", "candidate", "true"):
        for metric in ("log_loss", "rmse_bins"):
            result[f"{name}_better_{metric}_share"] = share_better(
                big, f"{name}_{metric}", f"default_{metric}"
            )
    for name in ("default", "fitted", "candidate", "true"):
        result[f"{name}_log_loss_mean"] = mean(f"{name}_log_loss", big)
        result[f"{name}_rmse_bins_mean"] = mean(f"{name}_rmse_bins", big)
    result["old_scoring_candidate_better_log_loss_share"] = share_better(
        big, "old_scoring_fitted_log_loss", "old_scoring_default_log_loss"
    )
    small = [row for row in rows if row not in big]
    result["under_1000_log_loss_default"] = mean("default_log_loss", small)
    result["under_1000_log_loss_fitted"] = mean("fitted_log_loss", small)
    result["fit_ms_median_all"] = round(statistics.median(float(r["fit_ms"]) for r in rows), 1)
    result["fit_ms_4500_to_5000_reviews_best_of_3_median"] = round(statistics.median(full_ms), 1)
    result["fit_ms_4500_to_5000_reviews_best_of_3_max"] = round(max(full_ms), 1)
    result["fit_4500_to_5000_reviews_over_fsrs_rs_alone_median"] = round(
        statistics.median(float(r["fit_ms"]) / float(r["fsrs_rs_ms"]) for r in full), 2
    )
    result["fit_ms_4500_to_5000_reviews_count"] = len(full)
    return result


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
