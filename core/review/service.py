"""Review sessions as a service: load → step the review machine → apply its effects, in one unit
of work per start or press. The rules live in `core.review.machine`; this module does the I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from core import texts
from core.actions import Action, LeechAction, LeechToken, Subject, parse_token
from core.decks.model import Card, deck_id_of
from core.errors import ConcurrencyConflict, NotFound, StaleAction
from core.learners import Learner
from core.planning.limits import plan_limits
from core.ports import Clock, Randomness, Store, UnitOfWork
from core.review import machine
from core.review.limits import NO_DECK_LIMITS, DeckLimits
from core.review.machine import (
    AppendReview,
    Effect,
    Rate,
    Refused,
    Reveal,
    SaveCardState,
    SaveSession,
    ShowAnswer,
    ShowNothingDue,
    ShowQuestion,
    ShowRated,
)
from core.review.queue import RatedNow, next_card, queue_snapshot
from core.review.screens import answer_screen, empty_screen, question_screen, rated_screen
from core.review.session import ReviewSession
from core.scheduling.model import Rating
from core.screens import Screen

__all__ = ["PressResult", "ReviewService"]


@dataclass(frozen=True, slots=True)
class PressResult:
    """`updated` replaces the pressed message; `follow_up`, when set, is sent as a new message."""

    updated: Screen
    follow_up: Screen | None = None


class ReviewService:
    def __init__(self, store: Store, clock: Clock, randomness: Randomness) -> None:
        self._store = store
        self._clock = clock
        self._random = randomness

    async def start(self, learner: Learner, chat_id: int | None, deck_ids: Sequence[str]) -> Screen:
        """Begin a review in a chat; older review messages in that chat become stale."""
        if not deck_ids:
            raise NotFound(texts.NO_DECKS)
        now = self._clock.now()
        async with self._store.unit_of_work() as uow:
            limits = await plan_limits(uow, learner, now)
            older = await uow.sessions.active_for(learner.id, chat_id)
            found = await next_card(uow, learner, deck_ids, now, limits=limits)
            begun = machine.begin(
                self._random.new_id(), learner.id, chat_id, deck_ids, found, older, now
            )
            (screen,) = await self._apply(uow, learner, begun.effects, now, deck_ids, limits)
            await uow.commit()
        return screen

    async def press(self, learner: Learner, token_data: str) -> PressResult:
        """Handle a review button; a stale, foreign or forged press raises StaleAction."""
        token = parse_token(token_data)
        if token.subject is not Subject.REVIEW:
            raise StaleAction(texts.OLD_BUTTON)
        now = self._clock.now()
        try:
            async with self._store.unit_of_work() as uow:
                session = await uow.sessions.get(token.subject_id)
                # Refused before the event's reads: a stale press costs one read.
                refused = machine.refusal(session, learner.id, token.version, token.action)
                if refused is not None:
                    raise StaleAction(refused.message)
                assert session is not None
                # Only a rating picks a next card: a reveal needs no plans (one read fewer).
                rating = token.action.rating is not None
                limits = await plan_limits(uow, learner, now) if rating else NO_DECK_LIMITS
                event = await self._event(
                    uow, learner, session, token.version, token.action, now, limits
                )
                outcome = machine.step(session, event, now)
                if isinstance(outcome, Refused):
                    raise StaleAction(outcome.message)
                screens = await self._apply(
                    uow, learner, outcome.effects, now, session.deck_ids, limits
                )
                await uow.commit()
        except ConcurrencyConflict:
            # A second press raced the first one and lost: the first one counted.
            raise StaleAction(texts.ALREADY_RATED) from None
        return PressResult(*screens)

    async def _event(
        self,
        uow: UnitOfWork,
        learner: Learner,
        session: ReviewSession,
        version: int,
        action: Action,
        now: datetime,
        limits: DeckLimits,
    ) -> Reveal | Rate:
        """The machine's event for a press that passed `machine.refusal`, with what it reads;
        a rating is scheduled with the limits of the rated card's deck (its plan's retention)."""
        rating = action.rating
        if rating is None:
            return Reveal(learner.id, version)
        card_id = session.current_card_id
        assert card_id is not None  # refusal checked it
        decks = session.deck_ids
        snapshot = await queue_snapshot(uow, learner, decks, now, limits)
        # The card on screen is usually the most overdue one, so the queue read already has it.
        previous = next((s for s in snapshot.due if s.card_id == card_id), None)
        if previous is None:
            previous = await uow.card_states.get(learner.id, card_id)
        rated = RatedNow(card_id, first_review=previous is None)
        found = await next_card(
            uow, learner, decks, now, rated=rated, snapshot=snapshot, limits=limits
        )
        rater = limits.learner_for(learner, deck_id_of(card_id))
        return Rate(rater, version, Rating(rating), previous, self._random.random(), found)

    async def _apply(
        self,
        uow: UnitOfWork,
        learner: Learner,
        effects: Sequence[Effect],
        now: datetime,
        deck_ids: Sequence[str],
        limits: DeckLimits,
    ) -> list[Screen]:
        """Stage the effects' writes and build their screens, in order."""
        settings = learner.settings
        screens: list[Screen] = []
        for effect in effects:
            if isinstance(effect, SaveSession):
                uow.sessions.save(effect.session)
            elif isinstance(effect, SaveCardState):
                uow.card_states.save(effect.state)
            elif isinstance(effect, AppendReview):
                uow.reviews.append(effect.record)
            elif isinstance(effect, ShowQuestion):
                session = effect.session
                card = await self._card(uow, session.current_card_id)
                kind = texts.NEW_CARD if effect.is_new else texts.DUE_CARD
                progress = texts.SESSION_PROGRESS.format(kind=kind, done=session.step)
                hint = await uow.card_flags.hint(learner.id, card.id)
                screens.append(question_screen(session, card, progress, hint))
            elif isinstance(effect, ShowAnswer):
                card = await self._card(uow, effect.session.current_card_id)
                hint = await uow.card_flags.hint(learner.id, card.id)
                screens.append(answer_screen(effect.session, card, hint))
            elif isinstance(effect, ShowRated):
                screens.append(await self._rated(uow, effect, learner, now))
            elif isinstance(effect, ShowNothingDue):
                screens.append(
                    empty_screen(
                        effect.found,
                        settings.zone,
                        now,
                        limits.new_limit(settings, deck_ids),
                        limits.review_limit(settings),
                    )
                )
            else:
                assert_never(effect)
        return screens

    async def _rated(
        self, uow: UnitOfWork, effect: ShowRated, learner: Learner, now: datetime
    ) -> Screen:
        card = await self._card(uow, effect.card_id)
        zone, rating = learner.settings.zone, int(effect.rating)
        if effect.leech_lapses is None:
            return rated_screen(card, rating, effect.due_at, zone, now)
        leech = LeechToken(LeechAction.HINT, effect.session_id, effect.step)
        return rated_screen(card, rating, effect.due_at, zone, now, leech, effect.leech_lapses)

    @staticmethod
    async def _card(uow: UnitOfWork, card_id: str | None) -> Card:
        cards = await uow.decks.cards_by_id([card_id] if card_id else [])
        if card_id is None or card_id not in cards:
            raise StaleAction(texts.OLD_BUTTON)  # the card was removed from its deck
        return cards[card_id]
