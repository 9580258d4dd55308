"""The storage port for leech rescue: per learner and card a hint and a suspension, the pending
hint prompt, and the review read that names the card a leech button was made for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.leeches.model import HintPrompt, SuspendedCard

__all__ = ["CardFlagRepository"]


class CardFlagRepository(Protocol):
    async def hint(self, learner_id: int, card_id: str) -> str | None: ...

    async def leeches(
        self, learner_ids: Sequence[int], card_ids: Sequence[str], threshold: int
    ) -> dict[str, int]:
        """Of `card_ids`, those with at least `threshold` lapses for one of `learner_ids`: the
        most lapses any of them has, by card."""
        ...

    async def suspended(self, learner_id: int) -> list[SuspendedCard]:
        """The learner's suspended cards, most recently suspended first."""
        ...

    async def suspended_count(self, learner_id: int) -> int: ...

    async def reviewed_card(self, learner_id: int, session_id: int, step: int) -> str | None:
        """The card the learner rated at `step` of review session `session_id`, if any."""
        ...

    async def prompt(self, learner_id: int) -> HintPrompt | None: ...

    def set_hint(self, learner_id: int, card_id: str, hint: str | None) -> None: ...

    def suspend(self, learner_id: int, card_id: str, at: datetime) -> None: ...

    def restore(self, learner_id: int, card_id: str) -> None: ...

    def open_prompt(self, prompt: HintPrompt) -> None:
        """Replace the learner's pending prompt, if any: one at a time."""
        ...

    def close_prompt(self, learner_id: int) -> None: ...
