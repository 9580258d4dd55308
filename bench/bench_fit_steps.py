"""fsrs-rs training settings for the personal fit, compared on bench_learning's synthetic learners.

Run: .venv/bin/python bench/bench_fit_steps.py [--seeds 1,2,3,4,5] [--settings base,steps64,...]

How `core.scheduling.fit.MIN_OPTIMIZER_STEPS` was chosen: for every learner with 1,000 reviews
or more, each setting fits their first 75% of reviews (`fit_parameters` as the bot runs it,
keep-if-better against the defaults included, with fsrs-rs trained as the setting says) and
predicts the later 25%; printed per setting, the share of learners whose held-out log loss beat
the defaults' and the mean held-out log loss. Choose on seeds other than those bench_learning
reports (11–16). Two processes; one run, seeded; nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import fsrs_rs_python as fsrs_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_learning import TRAIN_SHARE, learners
from bench.synthetic_learners import simulate_reviews
from core.scheduling.evaluation import evaluate, prediction_targets
from core.scheduling.fit import DEFAULT_PARAMETERS, fit_parameters, training_config

# name → fsrs-rs TrainingConfig arguments; "steps" is a minimum of optimizer steps instead of
# a number of epochs (`core.scheduling.fit.training_config`, which the bot runs with 64).
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
    if "steps" in setting:
        return training_config(items, int(setting["steps"]))
    integers = {"num_epochs", "batch_size"}
    return fsrs_rs.TrainingConfig(**{k: int(v) if k in integers else v for k, v in setting.items()})


def one_seed(seed: int, names: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Per setting, each big learner's (default, fitted) held-out log loss."""
    losses: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for learner, reviews in learners(200, seed):
        if reviews < 1000:
            continue
        log = simulate_reviews(learner, reviews)
        first_held = int(len(log) * TRAIN_SHARE)
        held = prediction_targets(log, first_held)
        default = evaluate(DEFAULT_PARAMETERS, held).log_loss
        for name in names:
            fit = fit_parameters(log[:first_held], training=partial(config, SETTINGS[name]))
            parameters = fit.parameters if fit else DEFAULT_PARAMETERS
            losses[name].append((default, evaluate(parameters, held).log_loss))
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
