"""Personal FSRS parameters fitted from a learner's own review log, with fsrs-rs.

Pure: the same reviews give the same parameters, so a fit can be tested and replayed.
- Items: fsrs-rs learns from "items", a card's history up to one review it predicts. As Anki
  builds them: every review of a card after its first that comes a learner day or more after the
  card's previous one, with the card's whole history before it (same-day repeats are history, not
  targets: `core.scheduling.evaluation.prediction_targets`). The days between reviews are learner
  days, as the scheduler counts them (`fsrs_scheduler`). Ratings map to FSRS grades as the
  scheduler maps them (1 and 2 → Again).
- Keep if better, as Anki does after fitting: the new parameters are kept only if they predict
  the learner's history (the same items) with a lower log loss than the parameters in use (theirs,
  or the defaults); otherwise those stay, and the result says so (`improved`).
- Threshold: fsrs-rs falls back to its defaults below 8 items and fits only the four initial
  stabilities below 64; a full fit on a few hundred reviews is noisy. Below `MIN_REVIEWS_TO_FIT`
  reviews (or `MIN_ITEMS_TO_FIT` items) there is no fit: on the synthetic learners of
  bench/bench_learning.py fits from 400 reviews already beat the defaults on later reviews, on
  average.
- Optimizer steps: fsrs-rs's training defaults (5 epochs of 512-item batches) suit an Anki
  collection of tens of thousands of reviews; on one learner's thousand they are about ten Adam
  steps, and the fit stops short of what the reviews say. Each fit takes at least
  `MIN_OPTIMIZER_STEPS` (more epochs on fewer items), so a small history costs about what a
  5,000-review one does. Chosen with bench/bench_fit_steps.py on seeds 1–5, checked with
  bench/bench_learning.py on 11–16 (README).
- Bounds: fsrs-rs works in float32, so a parameter may sit a hair outside the bounds py-fsrs
  checks; each is clamped into them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS as FSRS_DEFAULTS,
)
from fsrs.scheduler import (
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

from core.scheduling.evaluation import (
    LoggedReview,
    evaluate,
    graded_reviews,
    prediction_targets,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "MIN_ITEMS_TO_FIT",
    "MIN_OPTIMIZER_STEPS",
    "MIN_REVIEWS_TO_FIT",
    "FittedParameters",
    "LoggedReview",
    "fit_parameters",
    "memory_states",
    "training_config",
]

MIN_REVIEWS_TO_FIT = 400
MIN_ITEMS_TO_FIT = 64
MIN_OPTIMIZER_STEPS = 64
_FSRS_RS_TRAINING = fsrs_rs.TrainingConfig()  # its defaults: epochs, batch size, learning rate
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(FSRS_DEFAULTS)  # what FsrsScheduler uses


@dataclass(frozen=True, slots=True)
class FittedParameters:
    """The parameters to use after a fit on `reviews_used` reviews.

    `improved`: the new fit (`candidate`) predicted the history better than the parameters in
    use and is `parameters`; False: those in use did at least as well and are `parameters` again.
    The log losses are the candidate's and those of the parameters in use, on the same reviews.
    """

    parameters: tuple[float, ...]
    reviews_used: int
    improved: bool = True
    candidate: tuple[float, ...] = ()  # the new fit, kept or not; () when not recorded
    candidate_log_loss: float = 0.0
    previous_log_loss: float = 0.0

    def __post_init__(self) -> None:
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(
                f"FSRS needs {len(DEFAULT_PARAMETERS)} parameters, got {len(self.parameters)}"
            )


def training_config(items: int, min_steps: int = MIN_OPTIMIZER_STEPS) -> fsrs_rs.TrainingConfig:
    """fsrs-rs's training defaults with enough epochs over `items` items for at least
    `min_steps` optimizer steps (one per batch)."""
    batches = max(-(-items // _FSRS_RS_TRAINING.batch_size), 1)
    epochs = max(_FSRS_RS_TRAINING.num_epochs, -(-min_steps // batches))
    return fsrs_rs.TrainingConfig(num_epochs=epochs)


def fit_parameters(
    reviews: Sequence[LoggedReview],
    current: Sequence[float] | None = None,
    training: Callable[[int], fsrs_rs.TrainingConfig] = training_config,
) -> FittedParameters | None:
    """The learner's parameters: a new fit if it beats `current` (None: the defaults) on their
    history, else `current`; None when there are too few reviews to fit them. `training` gives
    fsrs-rs's settings for a number of items (bench/bench_fit_steps.py compares others)."""
    if len(reviews) < MIN_REVIEWS_TO_FIT:
        return None
    targets = prediction_targets(reviews)
    if len(targets) < MIN_ITEMS_TO_FIT:
        return None
    fitted = _bounded(
        fsrs_rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(
            targets.items, training_config=training(len(targets))
        )
    )
    in_use = _bounded(current) if current is not None else DEFAULT_PARAMETERS
    new, old = evaluate(fitted, targets), evaluate(in_use, targets)
    improved = new.log_loss < old.log_loss
    return FittedParameters(
        fitted if improved else in_use, len(reviews), improved, fitted, new.log_loss, old.log_loss
    )


def memory_states(
    reviews: Iterable[LoggedReview], parameters: Sequence[float]
) -> dict[str, tuple[float, float]]:
    """Each card's (stability, difficulty) after its whole history under `parameters`."""
    histories: dict[str, list[fsrs_rs.FSRSReview]] = {}
    for card, review in graded_reviews(reviews):
        histories.setdefault(card, []).append(fsrs_rs.FSRSReview(*review))
    cards = list(histories)
    states = fsrs_rs.FSRS(_bounded(parameters)).memory_state_batch(
        [fsrs_rs.FSRSItem(histories[card]) for card in cards]
    )
    return {
        card: (state.stability, state.difficulty) for card, state in zip(cards, states, strict=True)
    }


def _bounded(parameters: Sequence[float]) -> tuple[float, ...]:
    return tuple(
        round(min(max(value, low), high), 6)
        for value, low, high in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )
