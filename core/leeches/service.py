"""Leech rescue as a service: a leech's buttons (add a hint, suspend), the hint the learner sends
next, and restoring a suspended card. One unit of work per press or message."""

from __future__ import annotations

from dataclasses import dataclass

from core import texts
from core.actions import LeechAction, parse_leech_token
from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.errors import InvalidInput, StaleAction
from core.learners import Learner
from core.leeches.model import MAX_HINT_CHARS, HintPrompt
from core.ports import Clock, Store, UnitOfWork

__all__ = ["HintAsked", "LeechService", "checked_hint"]


@dataclass(frozen=True, slots=True)
class HintAsked:
    """The learner pressed "Add a hint" on `card_id`: ask for it (`prompt`), showing the hint
    they have now (`current`), if any."""

    card_id: str
    prompt: str
    current: str | None


def checked_hint(text: str) -> str:
    """The hint as saved, or InvalidInput saying why it cannot be."""
    hint = text.strip()
    if not hint:
        raise InvalidInput(texts.HINT_EMPTY)
    if len(hint) > MAX_HINT_CHARS:
        raise InvalidInput(texts.HINT_TOO_LONG.format(length=len(hint), limit=MAX_HINT_CHARS))
    return hint


class LeechService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def press(
        self,
        learner: Learner,
        data: str,
        chat_id: int | None,
        capabilities: PlatformCapabilities = BASIC_PLATFORM,
    ) -> HintAsked | str:
        """A leech button: suspend (a notice), ask for a hint (`HintAsked`; the learner's next
        message in `chat_id` is the hint), or cancel that prompt (a notice)."""
        token = parse_leech_token(data)
        async with self._store.unit_of_work() as uow:
            if token.action is LeechAction.CANCEL:
                uow.card_flags.close_prompt(learner.id)
                await uow.commit()
                return texts.HINT_CANCELLED
            card_id = await self._card_of(uow, learner, token.session_id, token.step)
            if token.action is LeechAction.SUSPEND:
                if any(s.card_id == card_id for s in await uow.card_flags.suspended(learner.id)):
                    raise StaleAction(texts.CARD_ALREADY_SUSPENDED)
                uow.card_flags.suspend(learner.id, card_id, self._clock.now())
                await uow.commit()
                return capabilities.commands.fill(texts.CARD_SUSPENDED)
            cards = await uow.decks.cards_by_id([card_id])
            current = await uow.card_flags.hint(learner.id, card_id)
            uow.card_flags.open_prompt(
                HintPrompt.opened(learner.id, card_id, chat_id, self._clock.now())
            )
            await uow.commit()
        question = cards[card_id].question if card_id in cards else ""
        prompt = texts.HINT_PROMPT.format(question=question, limit=MAX_HINT_CHARS)
        return HintAsked(card_id, prompt, current)

    async def hint_for(self, learner: Learner, data: str, text: str) -> str:
        """The hint typed into the form a leech's hint button opened (no prompt is kept: the
        form's token names the review); bad input is an InvalidInput that saves nothing."""
        token = parse_leech_token(data)
        if token.action is not LeechAction.HINT:
            raise StaleAction(texts.NOT_MY_BUTTON)
        hint = checked_hint(text)
        async with self._store.unit_of_work() as uow:
            card_id = await self._card_of(uow, learner, token.session_id, token.step)
            uow.card_flags.set_hint(learner.id, card_id, hint)
            await uow.commit()
        return texts.HINT_SAVED

    async def message(self, learner: Learner, chat_id: int, text: str) -> str | None:
        """A message from the learner in `chat_id`: their hint if the bot asked for one there
        (the answer to say), else None (not meant for the bot). An empty or too long hint is
        refused and the prompt stays open for another try."""
        async with self._store.unit_of_work() as uow:
            prompt = await uow.card_flags.prompt(learner.id)
            if prompt is None or prompt.chat_id not in (None, chat_id):
                return None
            if prompt.expires_at <= self._clock.now():
                uow.card_flags.close_prompt(learner.id)
                await uow.commit()
                return texts.HINT_EXPIRED
            try:
                hint = checked_hint(text)
            except InvalidInput as refused:
                return str(refused)
            uow.card_flags.set_hint(learner.id, prompt.card_id, hint)
            uow.card_flags.close_prompt(learner.id)
            await uow.commit()
        return texts.HINT_SAVED

    @staticmethod
    async def _card_of(uow: UnitOfWork, learner: Learner, session_id: int, step: int) -> str:
        card_id = await uow.card_flags.reviewed_card(learner.id, session_id, step)
        if card_id is None:
            raise StaleAction(texts.NOT_YOURS)  # another learner's rating, or forged
        return card_id
