"""How well FSRS parameters predict a learner's reviews: srs-benchmark's log loss and RMSE(bins).

- What is predicted: each review of a card after its first that comes a learner day or more after
  the card's previous review, from the card's whole history before it, same-day repeats included
  (srs-benchmark with short-term reviews; the items Anki trains fsrs-rs on). A same-day repeat is
  no target: it tests short-term memory, which FSRS's forgetting curve does not model.
- The prediction: retrievability `(1 + factor * t / S) ** -w20` after `t` learner days, `S` the
  stability fsrs-rs replays from the history, `factor` making it 0.9 at `t = S`.
- Log loss: the mean cross-entropy over those reviews (recalled unless rated Again).
- RMSE(bins): the reviews grouped as srs-benchmark's `rmse_matrix` groups them (interval, number
  of reviews on later days, lapses, each on a log scale); the RMSE of each bin's mean prediction
  against its share recalled, weighted by the bin's size.
- Not fsrs-rs-python's `FSRS.evaluate`: in 0.9.3 its log loss over many items is not the mean of
  the items' own and changes with their order; for a single item it agrees with this to 1e-6.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import fsrs_rs_python as fsrs_rs

from core.scheduling.fsrs_scheduler import FSRS_GRADE
from core.scheduling.model import Rating

__all__ = [
    "Evaluation",
    "GradedReview",
    "LoggedReview",
    "PredictionTargets",
    "evaluate",
    "graded_reviews",
    "prediction_targets",
]

LoggedReview = tuple[str, date, Rating]  # (card key, learner day, rating 1–5), in time order
GradedReview = tuple[int, int]  # (FSRS grade 1–4, learner days since the card's last review)

_AGAIN = 1
_CLIP = 1e-15  # a certain prediction that is wrong costs a finite loss (as sklearn's log_loss)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Log loss and RMSE(bins) of some parameters' predictions of `reviews` reviews."""

    log_loss: float
    rmse_bins: float
    reviews: int


@dataclass(frozen=True, slots=True)
class PredictionTargets:
    """The predicted reviews, built once and evaluated under several parameters: for each, the
    item fsrs-rs fits on, where its card's memory before it sits in a replay of every card
    (`cards` in order, each review's memory after it), its interval, recall and bin."""

    items: list[fsrs_rs.FSRSItem] = field(default_factory=list)
    cards: list[fsrs_rs.FSRSItem] = field(default_factory=list)
    memory_before: list[int] = field(default_factory=list)  # index into the flattened replay
    elapsed: list[int] = field(default_factory=list)
    recalled: list[bool] = field(default_factory=list)
    bin_index: list[int] = field(default_factory=list)
    bins: dict[tuple[float, int, int], int] = field(default_factory=dict)  # bin → its index

    def __len__(self) -> int:
        return len(self.items)


@dataclass(slots=True)
class _Card:
    index: int
    reviews: list[fsrs_rs.FSRSReview] = field(default_factory=list)
    long_term: int = 0  # reviews a day or more after the previous one
    lapses: int = 0  # of those, the ones rated Again


def graded_reviews(reviews: Iterable[LoggedReview]) -> Iterator[tuple[str, GradedReview]]:
    """Each review as fsrs-rs reads it: its grade and the learner days since the card's last."""
    last_day: dict[str, int] = {}  # day ordinals: integer arithmetic is cheaper than dates'
    grades = FSRS_GRADE
    for card, day, rating in reviews:
        today = day.toordinal()
        previous = last_day.get(card, today)
        if today >= previous:
            last_day[card] = today
            yield card, (grades[rating], today - previous)
        else:  # a learner who moved west can rate "yesterday" after today: the same day, then
            yield card, (grades[rating], 0)


def prediction_targets(reviews: Iterable[LoggedReview], first: int = 0) -> PredictionTargets:
    """The reviews to predict, from the `first`-th review of `reviews` on."""
    targets = PredictionTargets()
    items, elapsed_days, recalled, bin_index = (
        targets.items,
        targets.elapsed,
        targets.recalled,
        targets.bin_index,
    )
    cards: dict[str, _Card] = {}
    places: list[tuple[int, int]] = []  # (card, the index of its review before the target)
    for index, (key, (grade, elapsed)) in enumerate(graded_reviews(reviews)):
        card = cards.get(key) or cards.setdefault(key, _Card(len(cards)))
        history = card.reviews
        history.append(fsrs_rs.FSRSReview(grade, elapsed))
        if elapsed > 0:
            if index >= first and len(history) > 1:
                items.append(fsrs_rs.FSRSItem(history))
                places.append((card.index, len(history) - 2))
                elapsed_days.append(elapsed)
                recalled.append(grade != _AGAIN)
                bin_key = _bin(elapsed, card.long_term + 1, card.lapses)
                bin_index.append(targets.bins.setdefault(bin_key, len(targets.bins)))
            card.long_term += 1
            card.lapses += grade == _AGAIN
    targets.cards.extend(fsrs_rs.FSRSItem(card.reviews) for card in cards.values())
    starts = [0]
    for card in cards.values():
        starts.append(starts[-1] + len(card.reviews))
    targets.memory_before.extend(starts[card] + review for card, review in places)
    return targets


def evaluate(parameters: Sequence[float], targets: PredictionTargets) -> Evaluation:
    """How well `parameters` predict the targets (at least one)."""
    if not targets:
        raise ValueError("nothing to evaluate: no review a day or more after the card's last")
    # One replay per card gives its memory after each review: the one before a target is its
    # prediction's stability (the same as replaying the target's history alone, and faster).
    replays = fsrs_rs.FSRS(list(parameters)).historical_memory_state_batch(targets.cards)
    stabilities = [state.stability for replay in replays for state in replay]
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    predicted = [
        min(max((1 + factor * days / stabilities[before]) ** decay, _CLIP), 1 - _CLIP)
        for before, days in zip(targets.memory_before, targets.elapsed, strict=True)
    ]
    loss = -math.fsum(
        math.log(p if recalled else 1 - p)
        for p, recalled in zip(predicted, targets.recalled, strict=True)
    )
    tallies = [[0.0, 0.0, 0] for _ in targets.bins]  # predicted, recalled, reviews
    for p, recalled, index in zip(predicted, targets.recalled, targets.bin_index, strict=True):
        tally = tallies[index]
        tally[0] += p
        tally[1] += recalled
        tally[2] += 1
    squared = sum((p / n - r / n) ** 2 * n for p, r, n in tallies)
    return Evaluation(loss / len(targets), math.sqrt(squared / len(targets)), len(targets))


@cache
def _bin(elapsed: int, long_term: int, lapses: int) -> tuple[float, int, int]:
    """srs-benchmark's bin of a review: its interval, the card's reviews on later days counting
    it (+1), and its lapses before it, each on a log scale."""
    interval_bin = round(2.48 * 3.62 ** math.floor(math.log(elapsed) / math.log(3.62)), 2)
    length_bin = round(1.99 * 1.89 ** math.floor(math.log(long_term + 1) / math.log(1.89)))
    lapse_bin = round(1.65 * 1.73 ** math.floor(math.log(lapses) / math.log(1.73))) if lapses else 0
    return interval_bin, length_bin, lapse_bin
