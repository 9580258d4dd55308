"""The storage port for personal parameters: the row, the claim, and the reads a refit needs."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.card_state import CardState
from core.personal.model import PersonalParameters
from core.scheduling.fit import LoggedReview

__all__ = ["ParametersRepository"]


class ParametersRepository(Protocol):
    async def get(self, learner_id: int) -> PersonalParameters | None: ...

    async def due_for_refit(
        self, claimed_before: datetime, min_reviews: int, limit: int
    ) -> list[tuple[int, PersonalParameters | None]]:
        """Learners with at least `min_reviews` reviews whose row is enabled and was claimed
        before `claimed_before`, or who have no row yet (None), oldest claim first."""
        ...

    async def history(self, learner_id: int) -> list[LoggedReview]:
        """Every review of the learner in the order given: (card id, learner day, rating)."""
        ...

    async def fsrs_states(self, learner_id: int) -> list[CardState]:
        """The learner's card states with an FSRS memory."""
        ...

    def save(self, row: PersonalParameters, previous_claimed_at: datetime | None) -> None:
        """Insert when `previous_claimed_at` is None, else update the row still claimed at it;
        a conflict otherwise (another worker claimed it meanwhile)."""
        ...
