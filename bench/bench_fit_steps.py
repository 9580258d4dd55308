"""fsrs-rs training settings for the personal fit, compared on bench_learning's synthetic learners.

Run: .venv/bin/python bench/bench_fit_steps.py [--seeds 1,2,3,4,5] [--settings base,steps64,...]

How `core.scheduling.fit.MIN_OPTIMIZER_STEPS` was chosen: for every learner with 1,000 reviews
or more, each setting fits their first 75% of reviews (keep-if-better against the defaults on
those, as the bot does) and predicts the later 25%; printed per setting, the share of learners
whose held-out log loss beat the defaults' and the mean held-out log loss. Choose on seeds other
than those bench_learning reports (11–16). Two processes; one run, seeded; nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import fsrs_rs_python as fsrs_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_learning import TRAIN_SHARE, learners
from bench.synthetic_learners import simulate_reviews
from core.scheduling.evaluation import PredictionTargets, evaluate, prediction_targets
from core.scheduling.fit import (
    DEFAULT_PARAMETERS,
    MIN_ITEMS_TO_FIT,
    MIN_REVIEWS_TO_FIT,
    LoggedReview,
)

# name → fsrs-rs TrainingConfig arguments; "steps" is a minimum of optimizer steps instead of
# a number of epochs (the rule `core.scheduling.fit.training_config` follows for 64).
SETTINGS: dict[str, dict[str, float]] = {
    "base": {},  # fsrs-rs's defaults: 5 epochs of 512-item batches
    "epochs10": {"num_epochs": 10},
    "epochs20": {"num_epochs": 20},
    "epochs40": {"num_epochs": 40},
    "steps32": {"steps": 32},
    "steps64": {"steps": 64},
    "steps160": {"steps": 160},
    "batch128_epochs10": {"batch_size": 128, "num_epochs": 10},
    "learning_rate_0.08": {"learning_rate": 0.08},
    "gamma2_epochs10": {"gamma": 2.0, "num_epochs": 10},
}


def config(setting: dict[str, float], items: int) -> fsrs_rs.TrainingConfig:
    arguments = dict(setting)
    steps = arguments.pop("steps", None)
    if steps is not None:
        defaults = fsrs_rs.TrainingConfig()
        batches = -(-items // defaults.batch_size)
        arguments["num_epochs"] = max(defaults.num_epochs, -(-int(steps) // batches))
    integers = {"num_epochs", "batch_size"}
    return fsrs_rs.TrainingConfig(
        **{k: int(v) if k in integers else v for k, v in arguments.items()}
    )


def fitted(log: list[LoggedReview], setting: dict[str, float]) -> tuple[float, ...]:
    targets = prediction_targets(log)
    if len(log) < MIN_REVIEWS_TO_FIT or len(targets) < MIN_ITEMS_TO_FIT:
        return DEFAULT_PARAMETERS
    fsrs = fsrs_rs.FSRS(DEFAULT_PARAMETERS)
    candidate = tuple(
        fsrs.compute_parameters(targets.items, training_config=config(setting, len(targets)))
    )
    better = _loss(candidate, targets) < _loss(DEFAULT_PARAMETERS, targets)
    return candidate if better else DEFAULT_PARAMETERS


def _loss(parameters: tuple[float, ...], targets: PredictionTargets) -> float:
    return evaluate(fsrs_rs.check_and_fill_parameters(list(parameters)), targets).log_loss


def one_seed(seed: int, names: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Per setting, each big learner's (default, fitted) held-out log loss."""
    losses: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for learner, reviews in learners(200, seed):
        if reviews < 1000:
            continue
        log = simulate_reviews(learner, reviews)
        first_held = int(len(log) * TRAIN_SHARE)
        held = prediction_targets(log, first_held)
        default = _loss(DEFAULT_PARAMETERS, held)
        for name in names:
            losses[name].append((default, _loss(fitted(log[:first_held], SETTINGS[name]), held)))
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--settings", default=",".join(SETTINGS))
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    names = args.settings.split(",")
    unknown = sorted(set(names) - set(SETTINGS))
    if unknown:
        parser.error(f"unknown settings {unknown}; known: {', '.join(SETTINGS)}")
    with ProcessPoolExecutor(2) as pool:
        per_seed = list(pool.map(one_seed, seeds, [names] * len(seeds)))
    result = {}
    for name in names:
        pairs = [pair for seed in per_seed for pair in seed[name]]
        result[name] = {
            "learners": len(pairs),
            "fitted_better_log_loss_share": round(sum(f < d for d, f in pairs) / len(pairs), 3),
            "fitted_log_loss_mean": round(statistics.fmean(f for _, f in pairs), 4),
            "default_log_loss_mean": round(statistics.fmean(d for d, _ in pairs), 4),
        }
    print(json.dumps({"seeds": seeds, "settings": result}, indent=2))


if __name__ == "__main__":
    main()
