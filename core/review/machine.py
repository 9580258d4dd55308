"""The rules of a review session as pure steps: state + event + now → new state and effects.

A session shows one card at a time: question → reveal → rate → the next question (or "nothing
due"). Each transition bumps the version, so a button made for an older version is refused. The
service reads what an event needs (the card's state, the next card), calls `step` and applies the
effects in one unit of work; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core import texts
from core.actions import Action
from core.card_state import CardState, ReviewRecord, ReviewSource
from core.decks.model import deck_id_of
from core.learners import Learner
from core.leeches.model import just_became_leech
from core.review.grading import grade
from core.review.queue import NextCard
from core.review.session import ReviewSession
from core.scheduling.model import Rating

__all__ = [
    "AppendReview",
    "Effect",
    "Event",
    "Rate",
    "Refused",
    "Reveal",
    "SaveCardState",
    "SaveSession",
    "ShowAnswer",
    "ShowNothingDue",
    "ShowQuestion",
    "ShowRated",
    "Stepped",
    "begin",
    "refusal",
    "step",
]


# Events: what happened to a running session.


@dataclass(frozen=True, slots=True)
class Reveal:
    """The learner pressed "show answer" on a button made for `version`."""

    learner_id: int
    version: int


@dataclass(frozen=True, slots=True)
class Rate:
    """The learner rated the card on screen, with what rating it needs read beforehand.

    `previous` is the card's state before this rating (None for a new card), `fuzz` the random
    draw for the interval's fuzz, and `next_card` the card to show afterwards, chosen with this
    one skipped and counted (`queue.next_card(rated=…)`).
    """

    learner: Learner
    version: int
    rating: Rating
    previous: CardState | None
    fuzz: float
    next_card: NextCard

    @property
    def learner_id(self) -> int:
        return self.learner.id


Event = Reveal | Rate


# Effects: what the service does with a step's outcome, in this order, in one unit of work.


@dataclass(frozen=True, slots=True)
class SaveSession:
    session: ReviewSession


@dataclass(frozen=True, slots=True)
class SaveCardState:
    state: CardState


@dataclass(frozen=True, slots=True)
class AppendReview:
    record: ReviewRecord


@dataclass(frozen=True, slots=True)
class ShowQuestion:
    """The question of `session`'s current card, with buttons for its version."""

    session: ReviewSession
    is_new: bool


@dataclass(frozen=True, slots=True)
class ShowAnswer:
    """The answer of `session`'s current card, with rating buttons for its version."""

    session: ReviewSession


@dataclass(frozen=True, slots=True)
class ShowRated:
    """The rated card saying when it comes back; when this rating made it a leech (`leech_lapses`
    set), with the leech's buttons for the review `session_id` rated it in at `step`."""

    card_id: str
    rating: Rating
    due_at: datetime
    leech_lapses: int | None = None
    session_id: int = 0
    step: int = 0


@dataclass(frozen=True, slots=True)
class ShowNothingDue:
    """No card to show: the daily limit is reached, or nothing is due until `found.next_due_at`."""

    found: NextCard


Effect = (
    SaveSession
    | SaveCardState
    | AppendReview
    | ShowQuestion
    | ShowAnswer
    | ShowRated
    | ShowNothingDue
)


@dataclass(frozen=True, slots=True)
class Stepped:
    session: ReviewSession
    effects: tuple[Effect, ...]


@dataclass(frozen=True, slots=True)
class Refused:
    """The press changes nothing; `message` tells the learner why."""

    message: str


def begin(
    session_id: int,
    learner_id: int,
    chat_id: int | None,
    deck_ids: Sequence[str],
    found: NextCard,
    older: Sequence[ReviewSession],
    now: datetime,
) -> Stepped:
    """A new session on `found`; the learner's older sessions in the chat stop (their buttons go
    stale: one running review per learner and chat)."""
    retired = [_moved(s, None, False, s.step, now) for s in older]
    session = ReviewSession(
        id=session_id,
        learner_id=learner_id,
        chat_id=chat_id,
        deck_ids=tuple(deck_ids),
        current_card_id=found.card_id,
        revealed=False,
        step=0,
        version=1,
        started_at=now,
        updated_at=now,
    )
    effects: list[Effect] = [SaveSession(s) for s in retired]
    effects += [SaveSession(session), _show(session, found)]
    return Stepped(session, tuple(effects))


def refusal(
    session: ReviewSession | None, learner_id: int, version: int, action: Action
) -> Refused | None:
    """Why a press with `action` on a button made for `version` is refused, if it is."""
    if session is None:
        return Refused(texts.OLD_BUTTON)
    if session.learner_id != learner_id:
        return Refused(texts.NOT_YOURS)
    if session.current_card_id is None:
        return Refused(texts.OLD_BUTTON)  # finished, or replaced by a newer review
    if session.version != version:
        if version > session.version:
            return Refused(texts.OLD_BUTTON)
        if action is Action.SHOW and session.revealed and version == session.version - 1:
            return Refused(texts.ALREADY_SHOWN)
        return Refused(texts.ALREADY_RATED if action.rating else texts.OLD_BUTTON)
    if action.rating is not None and not session.revealed:
        return Refused(texts.NOT_REVEALED)
    if action is Action.SHOW and session.revealed:
        return Refused(texts.ALREADY_SHOWN)
    if action is not Action.SHOW and action.rating is None:
        return Refused(texts.OLD_BUTTON)  # a quiz's action in a review token: forged
    return None


def step(session: ReviewSession | None, event: Event, now: datetime) -> Stepped | Refused:
    """Apply `event` to `session` (None: not found) at `now`."""
    action = Action.SHOW if isinstance(event, Reveal) else Action.rate(int(event.rating))
    refused = refusal(session, event.learner_id, event.version, action)
    if refused is not None:
        return refused
    assert session is not None and session.current_card_id is not None  # refusal checked both
    if isinstance(event, Reveal):
        revealed = _moved(session, session.current_card_id, True, session.step, now)
        return Stepped(revealed, (SaveSession(revealed), ShowAnswer(revealed)))
    return _rate(session, session.current_card_id, event, now)


def _rate(session: ReviewSession, card_id: str, event: Rate, now: datetime) -> Stepped:
    graded = grade(
        event.learner,
        card_id,
        deck_id_of(card_id),
        event.previous,
        event.rating,
        now,
        event.fuzz,
        source=ReviewSource.REVIEW,
        source_id=session.id,
        step=session.step,
        chat_id=session.chat_id,
    )
    previous = event.previous.memory if event.previous else None
    threshold = event.learner.settings.leech_threshold
    leech = just_became_leech(previous, event.rating, graded.state.memory, threshold)
    rated = ShowRated(
        card_id,
        event.rating,
        graded.state.due_at,
        graded.state.memory.lapses if leech else None,
        session.id,
        session.step,
    )
    found = event.next_card
    if found.card_id is None and not found.limit_reached:
        # The queue could not see the staged state of the card just rated: it may come back first.
        later = [d for d in (found.next_due_at, graded.state.due_at) if d is not None]
        found = NextCard(
            None,
            new_left=found.new_left,
            reviews_left=found.reviews_left,
            next_due_at=min(later),
        )
    advanced = _moved(session, found.card_id, False, session.step + 1, now)
    return Stepped(
        advanced,
        (
            SaveCardState(graded.state),
            AppendReview(graded.record),
            SaveSession(advanced),
            rated,
            _show(advanced, found),
        ),
    )


def _show(session: ReviewSession, found: NextCard) -> ShowQuestion | ShowNothingDue:
    if found.card_id is None:
        return ShowNothingDue(found)
    return ShowQuestion(session, found.is_new)


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
