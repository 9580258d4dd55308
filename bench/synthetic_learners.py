"""Synthetic learners whose memory is not FSRS's default one, studying with quizbot's scheduler.

A learner's true memory is FSRS with their own parameters (`true_parameters`): the defaults with
stabilities scaled by `memory` (0.5 forgets twice as fast) and every parameter jittered by their
seed. They study with the bot's `FsrsScheduler` on default parameters: up to `new_per_day` new
cards a day and every due card; whether they recall a card is drawn from their true
retrievability, and they rate as people do (a miss is 1 or 2, a recall 3–5). Seeded: the same
arguments give the same reviews.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import fsrs_rs_python as fsrs_rs

from core.scheduling.fit import DEFAULT_PARAMETERS, LoggedReview
from core.scheduling.fsrs_scheduler import FSRS_GRADE, FsrsScheduler
from core.scheduling.model import Memory, Rating

__all__ = ["SyntheticLearner", "simulate_reviews", "true_parameters"]

_FIRST_DAY = date(2026, 1, 5)
_STABILITY_INDEXES = (0, 1, 2, 3)  # initial stabilities
_GROWTH_INDEX = 8  # how fast stability grows on a recall (exp of it)
_MISS_RATINGS = ((Rating.NOT_AT_ALL, Rating.POOR), (0.7, 0.3))
_RECALL_RATINGS = ((Rating.FAIR, Rating.GOOD, Rating.PERFECTLY), (0.15, 0.7, 0.15))
_NEXT = {1: "again", 2: "hard", 3: "good", 4: "easy"}


@dataclass(frozen=True, slots=True)
class SyntheticLearner:
    seed: int
    memory: float = 1.0  # scale of the true stabilities; < 1 forgets faster than FSRS assumes
    new_per_day: int = 10


def true_parameters(learner: SyntheticLearner) -> tuple[float, ...]:
    rng = random.Random(learner.seed)
    values = [value * rng.uniform(0.85, 1.15) for value in DEFAULT_PARAMETERS]
    for index in _STABILITY_INDEXES:
        values[index] = DEFAULT_PARAMETERS[index] * learner.memory * rng.uniform(0.9, 1.1)
    # Growth in log space: a slower memory also gains less from each recall.
    values[_GROWTH_INDEX] = max(0.0, DEFAULT_PARAMETERS[_GROWTH_INDEX] + 0.8 * (learner.memory - 1))
    values[20] = min(max(values[20], 0.1), 0.8)
    return tuple(values)


def simulate_reviews(learner: SyntheticLearner, reviews: int) -> list[LoggedReview]:
    """The learner's first `reviews` reviews, in time order."""
    rng = random.Random(learner.seed * 7919 + 1)
    truth = fsrs_rs.FSRS(true_parameters(learner))
    decay = -true_parameters(learner)[20]
    factor = 0.9 ** (1 / decay) - 1
    scheduler = FsrsScheduler()
    memories: dict[str, Memory] = {}
    true_states: dict[str, fsrs_rs.MemoryState] = {}
    log: list[LoggedReview] = []
    day = _FIRST_DAY
    while len(log) < reviews:
        due = sorted(card for card, memory in memories.items() if memory.due_day <= day)
        for card in due:
            memory = memories[card]
            elapsed = (day - memory.last_review_day).days
            recall = (1 + factor * elapsed / true_states[card].stability) ** decay
            rating = _rating(rng, rng.random() < recall)
            _learn(log, memories, true_states, truth, scheduler, card, day, rating, elapsed, rng)
        for _ in range(learner.new_per_day):
            card = f"c{len(memories)}"
            rating = _rating(rng, rng.random() < 0.6)  # a first look: often not known yet
            _learn(log, memories, true_states, truth, scheduler, card, day, rating, 0, rng)
        day += timedelta(days=1)
    return log[:reviews]


def _rating(rng: random.Random, recalled: bool) -> Rating:
    ratings, weights = _RECALL_RATINGS if recalled else _MISS_RATINGS
    return rng.choices(ratings, weights)[0]


def _learn(
    log: list[LoggedReview],
    memories: dict[str, Memory],
    true_states: dict[str, fsrs_rs.MemoryState],
    truth: fsrs_rs.FSRS,
    scheduler: FsrsScheduler,
    card: str,
    day: date,
    rating: Rating,
    elapsed: int,
    rng: random.Random,
) -> None:
    log.append((card, day, rating))
    nexts = truth.next_states(true_states.get(card), 0.9, elapsed)
    true_states[card] = getattr(nexts, _NEXT[FSRS_GRADE[rating]]).memory
    memories[card] = scheduler.review(memories.get(card), rating, day, rng.random())
