"""Review sessions as a service: start, reveal, rate — each one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core import texts
from core.actions import Action, Subject, parse_token
from core.card_state import ReviewSource
from core.decks.model import Card, deck_id_of
from core.errors import ConcurrencyConflict, NotFound, StaleAction
from core.learners import Learner
from core.ports import Clock, Randomness, Store, UnitOfWork
from core.review.grading import grade
from core.review.queue import NextCard, next_card, queue_snapshot
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
            for older in await uow.sessions.active_for(learner.id, chat_id):
                # Its buttons go stale: one running review per learner and chat.
                uow.sessions.save(
                    replace(
                        older,
                        current_card_id=None,
                        revealed=False,
                        version=older.version + 1,
                        updated_at=now,
                    )
                )
            found = await next_card(uow, learner, deck_ids, now)
            session = ReviewSession(
                id=self._random.new_id(),
                learner_id=learner.id,
                chat_id=chat_id,
                deck_ids=tuple(deck_ids),
                current_card_id=found.card_id,
                revealed=False,
                step=0,
                version=1,
                started_at=now,
                updated_at=now,
            )
            uow.sessions.save(session)
            screen = await self._screen_for(uow, learner, session, found)
            await uow.commit()
        return screen

    async def press(self, learner: Learner, token_data: str) -> PressResult:
        """Handle a review button; a stale, foreign or forged press raises StaleAction."""
        token = parse_token(token_data)
        if token.subject is not Subject.REVIEW:
            raise StaleAction(texts.OLD_BUTTON)
        try:
            async with self._store.unit_of_work() as uow:
                session = await self._checked_session(
                    uow, learner, token.subject_id, token.version, token.action
                )
                if token.action is Action.SHOW:
                    result = await self._reveal(uow, session)
                elif (rating := token.action.rating) is not None:
                    result = await self._rate(uow, learner, session, Rating(rating))
                else:
                    raise StaleAction(texts.OLD_BUTTON)
                await uow.commit()
        except ConcurrencyConflict:
            # A second press raced the first one and lost: the first one counted.
            raise StaleAction(texts.ALREADY_RATED) from None
        return result

    async def _checked_session(
        self, uow: UnitOfWork, learner: Learner, session_id: int, version: int, action: Action
    ) -> ReviewSession:
        session = await uow.sessions.get(session_id)
        if session is None:
            raise StaleAction(texts.OLD_BUTTON)
        if session.learner_id != learner.id:
            raise StaleAction(texts.NOT_YOURS)
        if session.current_card_id is None:
            raise StaleAction(texts.OLD_BUTTON)  # finished, or replaced by a newer review
        if session.version != version:
            if version > session.version:
                raise StaleAction(texts.OLD_BUTTON)
            if action is Action.SHOW and session.revealed and version == session.version - 1:
                raise StaleAction(texts.ALREADY_SHOWN)
            raise StaleAction(texts.ALREADY_RATED if action.rating else texts.OLD_BUTTON)
        if action.rating is not None and not session.revealed:
            raise StaleAction(texts.NOT_REVEALED)
        if action is Action.SHOW and session.revealed:
            raise StaleAction(texts.ALREADY_SHOWN)
        return session

    async def _reveal(self, uow: UnitOfWork, session: ReviewSession) -> PressResult:
        card = await self._card(uow, session.current_card_id)
        revealed = _moved(session, session.current_card_id, True, session.step, self._clock.now())
        uow.sessions.save(revealed)
        return PressResult(answer_screen(revealed, card))

    async def _rate(
        self, uow: UnitOfWork, learner: Learner, session: ReviewSession, rating: Rating
    ) -> PressResult:
        now = self._clock.now()
        card = await self._card(uow, session.current_card_id)
        snapshot = await queue_snapshot(uow, learner, session.deck_ids, now)
        # The card on screen is usually the most overdue one, so the queue read already has it.
        previous = next((s for s in snapshot.due if s.card_id == card.id), None)
        if previous is None:
            previous = await uow.card_states.get(learner.id, card.id)
        graded = grade(
            learner,
            card.id,
            deck_id_of(card.id),
            previous,
            rating,
            now,
            self._random.random(),
            source=ReviewSource.REVIEW,
            source_id=session.id,
            step=session.step,
            chat_id=session.chat_id,
        )
        uow.card_states.save(graded.state)
        uow.reviews.append(graded.record)
        found = await next_card(
            uow, learner, session.deck_ids, now, just_rated=graded.state, snapshot=snapshot
        )
        advanced = _moved(session, found.card_id, False, session.step + 1, now)
        uow.sessions.save(advanced)
        zone = learner.settings.zone
        done = rated_screen(card, int(rating), graded.state.due_at, zone, now)
        return PressResult(done, await self._screen_for(uow, learner, advanced, found))

    async def _screen_for(
        self, uow: UnitOfWork, learner: Learner, session: ReviewSession, found: NextCard
    ) -> Screen:
        settings = learner.settings
        if found.card_id is None:
            return empty_screen(
                found,
                settings.zone,
                self._clock.now(),
                settings.new_cards_per_day,
                settings.max_reviews_per_day,
            )
        card = await self._card(uow, found.card_id)
        kind = texts.NEW_CARD if found.is_new else texts.DUE_CARD
        progress = texts.SESSION_PROGRESS.format(kind=kind, done=session.step)
        return question_screen(session, card, progress)

    @staticmethod
    async def _card(uow: UnitOfWork, card_id: str | None) -> Card:
        cards = await uow.decks.cards_by_id([card_id] if card_id else [])
        if card_id is None or card_id not in cards:
            raise StaleAction(texts.OLD_BUTTON)  # the card was removed from its deck
        return cards[card_id]


def _moved(
    session: ReviewSession, card_id: str | None, revealed: bool, step: int, now: datetime
) -> ReviewSession:
    """The session's next version, built field by field: `dataclasses.replace` is slow here."""
    return ReviewSession(
        id=session.id,
        learner_id=session.learner_id,
        chat_id=session.chat_id,
        deck_ids=session.deck_ids,
        current_card_id=card_id,
        revealed=revealed,
        step=step,
        version=session.version + 1,
        started_at=session.started_at,
        updated_at=now,
    )
