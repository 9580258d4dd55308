"""A card one step from being a leech, for the platform tests: due now, lapsed 5 times."""

from __future__ import annotations

from datetime import timedelta

from core.card_state import CardState
from core.leeches.model import DEFAULT_LEECH_LAPSES
from core.permissions import OPERATOR
from core.scheduling.model import Memory, SchedulerKind
from tests.conftest import Services

__all__ = ["LEECH_CSV", "nearly_leech"]

LEECH_CSV = b"question,answer\nCapital of Peru?,Lima\n"


async def nearly_leech(services: Services, chat_id: int, learner_id: int) -> str:
    """Import `LEECH_CSV` as the chat's deck and make its card due for the learner with
    DEFAULT_LEECH_LAPSES - 1 lapses: one more "1" makes it a leech. The card's id."""
    summary = await services.library.import_deck(LEECH_CSV, "Leech", chat_id, role=OPERATOR)
    await services.library.set_active(chat_id, summary.deck.id, role=OPERATOR)
    async with services.store.unit_of_work() as uow:
        (card,) = await uow.decks.cards(summary.deck.id)
    now = services.clock.now()
    day = (now - timedelta(days=3)).date()
    memory = Memory(
        SchedulerKind.FSRS, 1, DEFAULT_LEECH_LAPSES - 1, 2, day, day + timedelta(days=2), 2.0, 7.5
    )
    state = CardState(learner_id, card.id, summary.deck.id, memory, now - timedelta(hours=1), 1)
    async with services.store.unit_of_work() as uow:
        uow.card_states.save(state)
        await uow.commit()
    return card.id
