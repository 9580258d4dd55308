"""A deck's new cards until the exam, simulated card by card by fsrs-rs-python's simulator.

Checked against fsrs-rs-python 0.9.3 (the installed wheel, its `__init__.pyi`, and fsrs-rs's
`src/simulation.rs`): `simulate(w, desired_retention, config, seed)` simulates a deck of
`config.deck_size` cards that are all new, introduced `learn_limit` a day for `learn_span`
days, each review's outcome drawn at its recall probability; it returns each day's reviews and
new cards and the cards' final memories (`Card.retention_on(day)`: recall on a given day). That
fits a deck's unseen cards. It does not take a learner's own current states: fsrs-rs's Rust
`simulate` has an `existing_cards` argument, but the Python binding passes none, and only
`optimal_retention(config, parameters, cards, target)` takes cards, answering one retention in
0.70–0.95 that minimises a cost per memorised card, not a plan for a date. Cards already
studied stay with `core.planning.memory_model`'s expected values.

The run is set to this bot's reviews: no learning or relearning steps (whole days only), a new
card's first answer Good, a pass Good (as the expected-value model has them), no daily review or
time limit, and a fixed seed, so the same request gives the same forecast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs

__all__ = ["SEED", "NewCardRun", "simulate_new_cards"]

SEED = 2026  # any fixed seed: the forecast must not change from one /plan to the next
_NO_LIMIT = 10**9
_GOOD_FIRST = (0.0, 0.0, 1.0, 0.0)  # Again, Hard, Good, Easy
_GOOD_PASS = (0.0, 1.0, 0.0)  # Hard, Good, Easy among passes
_NO_STEPS = ((0.0, 0.0, 1.0, 0.0),) * 3  # unused with no steps, but required
_UNIT_COSTS = ((1.0, 1.0, 1.0, 1.0),) * 3  # seconds per answer: unused with no time limit


@dataclass(frozen=True, slots=True)
class NewCardRun:
    """`count` new cards over `days` days: new cards learned and their reviews, each day from
    the first, and the sum of their recall on the morning after the last day."""

    new: tuple[int, ...]
    reviews: tuple[int, ...]
    recall_sum: float


def simulate_new_cards(
    count: int,
    days: int,
    new_per_day: int,
    desired_retention: float,
    parameters: Sequence[float],
    seed: int = SEED,
) -> NewCardRun:
    if count == 0 or days == 0 or new_per_day == 0:  # fsrs-rs refuses an empty deck
        return NewCardRun((0,) * days, (0,) * days, 0.0)
    config = fsrs_rs.SimulatorConfig(
        deck_size=count,
        learn_span=days,
        max_cost_perday=math.inf,
        max_ivl=36500.0,
        first_rating_prob=_GOOD_FIRST,
        review_rating_prob=_GOOD_PASS,
        learn_limit=new_per_day,
        review_limit=_NO_LIMIT,
        new_cards_ignore_review_limit=True,
        learning_step_transitions=_NO_STEPS,
        relearning_step_transitions=_NO_STEPS,
        state_rating_costs=_UNIT_COSTS,
        learning_step_count=0,
        relearning_step_count=0,
    )
    result = fsrs_rs.simulate(list(parameters), desired_retention, config, seed)
    learned = [card for card in result.cards if card.last_date > -math.inf]
    return NewCardRun(
        new=tuple(result.learn_cnt_per_day),
        reviews=tuple(result.review_cnt_per_day),
        recall_sum=sum(card.retention_on(float(days)) for card in learned),
    )
