"""A hand-built review history for /stats tests: a learner whose 4s are too generous."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.card_state import ReviewRecord, ReviewSource
from core.ports import Store
from core.scheduling.model import Rating, SchedulerKind

# 40 cards rated 4 came back on their due day (90% predicted); 25 of them were recalled.
OVERRATED_FOURS = 40
RECALLED_FOURS = 25
ADVICE = "Cards you rate 4 come back recalled 62% of the time — rate those 3."
TABLE_ROW_FOUR = "    4       40       62%        90%"


async def log_overrated_fours(store: Store, learner_id: int, now: datetime) -> None:
    """Each card: rated 4 twenty days ago (a 10-day interval), then again ten days ago."""
    first, second = now - timedelta(days=20), now - timedelta(days=10)
    async with store.unit_of_work() as uow:
        for i in range(OVERRATED_FOURS):
            for step, (at, rating) in enumerate(
                ((first, Rating.GOOD), (second, Rating.GOOD if i < RECALLED_FOURS else Rating.POOR))
            ):
                uow.reviews.append(
                    ReviewRecord(
                        learner_id=learner_id,
                        card_id=f"history:{i}",
                        deck_id="history",
                        rating=rating,
                        reviewed_at=at,
                        review_day=at.date(),
                        scheduler=SchedulerKind.FSRS,
                        interval_days=10,
                        source=ReviewSource.REVIEW,
                        source_id=1000 + i,
                        step=step,
                    )
                )
        await uow.commit()
