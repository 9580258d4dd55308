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

    async def lapses(
        self, learner_ids: Sequence[int], card_ids: Sequence[str], at_least: int
    ) -> dict[tuple[int, str], int]:
        """Each of `learner_ids`' lapses on each of `card_ids`, where at least `at_least` (the
        lowest leech threshold asked about), by (learner, card); `core.leeches` says which
        are leeches."""
        ...

    async def leech_count(self, learner_id: int, threshold: int) -> int:
        """How many of the learner's cards have at least `threshold` lapses and are not
        suspended."""
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
