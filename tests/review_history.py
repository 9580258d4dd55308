"""A learner's review log filled with a synthetic learner's reviews (bench/synthetic_learners)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bench.synthetic_learners import SyntheticLearner, simulate_reviews
from core.card_state import ReviewRecord, ReviewSource
from core.ports import Store
from core.scheduling.model import Rating, SchedulerKind
from tests.adapters import samples

__all__ = ["log_synthetic_reviews"]


async def log_synthetic_reviews(
    store: Store, learner_id: int, reviews: int, *, memory: float = 0.4, deck_id: str = "synth"
) -> None:
    """Log `reviews` reviews of a deck `deck_id` (saved too) as if the learner had given them."""
    log = simulate_reviews(SyntheticLearner(seed=4, memory=memory), reviews)
    keys = sorted({card for card, _, _ in log}, key=lambda key: int(key[1:]))
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck(deck_id, *keys, name="Synthetic"), None)
        for step, (card, day, rating) in enumerate(log):
            uow.reviews.append(_record(learner_id, f"{deck_id}:{card}", deck_id, day, rating, step))
        await uow.commit()


def _record(
    learner_id: int, card_id: str, deck_id: str, day: date, rating: Rating, step: int
) -> ReviewRecord:
    at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=step)
    return ReviewRecord(
        learner_id=learner_id, card_id=card_id, deck_id=deck_id, rating=rating, reviewed_at=at,
        review_day=day, scheduler=SchedulerKind.FSRS, interval_days=1,
        source=ReviewSource.REVIEW, source_id=1, step=step,
    )  # fmt: skip
