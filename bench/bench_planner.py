"""The exam planner: its grid in expected values against fsrs-rs-python's simulator.

Run: .venv/bin/python bench/bench_planner.py [--rounds 3]

For fresh synthetic decks (every card new, FSRS's default parameters), the time of the planner's
66-candidate grid in expected values, of the same grid run by fsrs-rs's card-by-card simulator,
and of `plan_exam` as /plan calls it (the grid, then the chosen plan's forecast from the
simulator); each the best of `--rounds`. Then, for the chosen plan, both simulations' predicted
recall and reviews until the exam. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.planning import PlanRequest, plan_exam
from core.planning.new_cards import simulate_new_cards
from core.planning.planner import NEW_PER_DAY_CHOICES, RETENTION_CHOICES, expected_plan
from core.scheduling.fit import DEFAULT_PARAMETERS

TODAY = date(2026, 12, 2)
DECKS = [(300, 30), (2000, 90), (5000, 365), (20000, 730)]  # (cards, days to the exam)
GRID = [(n, r) for n in NEW_PER_DAY_CHOICES for r in RETENTION_CHOICES]


def best_of(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(cards: int, days: int, rounds: int) -> dict[str, object]:
    request = PlanRequest([None] * cards, TODAY, TODAY + timedelta(days=days))
    ours = best_of(rounds, lambda: [expected_plan(request, n, r) for n, r in GRID])
    theirs = best_of(
        rounds,
        lambda: [simulate_new_cards(cards, days, n, r, DEFAULT_PARAMETERS) for n, r in GRID],
    )
    plan = plan_exam(request)
    planning = best_of(rounds, lambda: plan_exam(request))
    expected = expected_plan(request, plan.new_per_day, plan.desired_retention)
    run = simulate_new_cards(
        cards, days, plan.new_per_day, plan.desired_retention, DEFAULT_PARAMETERS
    )
    our_reviews = sum(load.reviews for load in expected.loads)
    return {
        "deck": f"{cards} cards, {days} days",
        "plan": f"{plan.new_per_day}/day at {plan.desired_retention:.2f}",
        "grid_expected_values_s": round(ours, 3),
        "grid_fsrs_rs_s": round(theirs, 3),
        "fsrs_rs_vs_expected_values": round(theirs / ours, 1),
        "plan_exam_s": round(planning, 3),
        "plan_exam_vs_grid": round(planning / ours, 2),
        "recall_expected_values": round(expected.predicted_recall, 4),
        "recall_fsrs_rs": round(run.recall_sum / cards, 4),
        "reviews_expected_values": our_reviews,
        "reviews_fsrs_rs": sum(run.reviews),
        "reviews_ratio": round(our_reviews / sum(run.reviews), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for cards, days in DECKS:
        print(json.dumps(measure(cards, days, args.rounds)), flush=True)


if __name__ == "__main__":
    main()
