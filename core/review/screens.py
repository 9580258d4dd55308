"""The screens of a review: question, answer with rating buttons, rated, nothing due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from core import texts
from core.actions import Action, ActionToken, LeechAction, LeechToken, Subject
from core.decks.model import Card
from core.review.card_text import text_blocks
from core.review.queue import NextCard
from core.review.session import ReviewSession
from core.screens import Block, Button, Screen, Style

__all__ = [
    "answer_blocks",
    "answer_screen",
    "card_blocks",
    "empty_screen",
    "hint_blocks",
    "question_screen",
    "rated_screen",
    "rating_buttons",
]


def _token(session: ReviewSession, action: Action) -> str:
    return ActionToken(Subject.REVIEW, session.id, session.version, action).encode()


def card_blocks(card: Card) -> list[Block]:
    """The question side of a card: the question, and its note when it has one."""
    blocks = text_blocks(card.question, Style.BOLD)
    if card.note:
        blocks.extend(text_blocks(card.note, Style.ITALIC))
    return blocks


def answer_blocks(card: Card) -> list[Block]:
    """The answer side of a card, its formulas as `text_blocks` makes them."""
    return text_blocks(card.answer, Style.PLAIN)


def hint_blocks(hint: str | None) -> list[Block]:
    """The learner's own hint for a card (core.leeches), under the question."""
    return [Block(texts.HINT_LABEL.format(hint=hint), Style.ITALIC)] if hint else []


def question_screen(
    session: ReviewSession, card: Card, progress: str, hint: str | None = None
) -> Screen:
    blocks = [Block(progress, Style.MUTED), *card_blocks(card), *hint_blocks(hint)]
    show = Button(texts.SHOW_ANSWER, _token(session, Action.SHOW), primary=True)
    return Screen(tuple(blocks), ((show,),), card_id=card.id)


def rating_buttons(make_token: Callable[[Action], str]) -> tuple[tuple[Button, ...], ...]:
    """One row of five buttons, 1 (not at all) to 5 (perfectly)."""
    return (tuple(Button(texts.RATING_LABELS[r], make_token(Action.rate(r))) for r in range(1, 6)),)


def answer_screen(session: ReviewSession, card: Card, hint: str | None = None) -> Screen:
    blocks = [
        *card_blocks(card),
        *hint_blocks(hint),
        *answer_blocks(card),
        Block(f"{texts.RATING_PROMPT} ({texts.RATING_LEGEND})", Style.MUTED),
    ]
    buttons = rating_buttons(lambda action: _token(session, action))
    return Screen(tuple(blocks), buttons, card_id=card.id, answer_shown=True)


def rated_screen(
    card: Card,
    rating: int,
    due_at: datetime,
    zone: tzinfo,
    now: datetime,
    leech: LeechToken | None = None,
    lapses: int = 0,
) -> Screen:
    """The rated card; when the rating made it a leech, the two ways out (`leech` names the
    review that flagged it, its action set per button)."""
    when = texts.format_local(due_at, zone, now)
    blocks = [
        *card_blocks(card),
        *answer_blocks(card),
        Block(texts.RATED.format(rating=rating, when=when), Style.MUTED),
    ]
    if leech is None:
        return Screen(tuple(blocks), card_id=card.id, answer_shown=True)
    blocks.append(Block(texts.LEECH_FLAGGED.format(lapses=lapses), Style.BOLD))
    hint = LeechToken(LeechAction.HINT, leech.session_id, leech.step).encode()
    suspend = LeechToken(LeechAction.SUSPEND, leech.session_id, leech.step).encode()
    buttons = (
        (Button(texts.LEECH_HINT_BUTTON, hint), Button(texts.LEECH_SUSPEND_BUTTON, suspend)),
    )
    return Screen(tuple(blocks), buttons, card_id=card.id, answer_shown=True)


def empty_screen(
    found: NextCard, zone: tzinfo, now: datetime, new_limit: int, review_limit: int
) -> Screen:
    if found.limit_reached:
        return Screen(
            (Block(texts.LIMIT_REACHED.format(reviews=texts.plural(review_limit, "review"))),)
        )
    lines = [texts.nothing_due(found.next_due_at, zone, now)]
    if found.new_left == 0:
        lines.insert(0, texts.NEW_CARDS_DONE.format(new_cards=texts.plural(new_limit, "new card")))
    return Screen(tuple(Block(line) for line in lines))
