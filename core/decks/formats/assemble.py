"""From card drafts to a deck: caps, incomplete cards and repeated questions, the same for every
format, so a bad file is refused with a message naming the file and the row, card or note."""

from __future__ import annotations

from collections.abc import Iterable

from core.decks.formats.base import MAX_CARDS, MAX_FIELD_CHARS, CardDraft, DraftDeck
from core.decks.formats.html_text import IMAGE, SOUND, has_media
from core.decks.media import image_marker, sound_marker
from core.decks.model import (
    Card,
    Deck,
    ImportResult,
    card_key_for,
    is_valid_slug,
    make_card_id,
    question_key_for,
    tidy_text,
)
from core.errors import DeckImportError
from core.texts import plural

__all__ = ["assemble_deck"]

IMAGE_MARKER = image_marker("…")
SOUND_MARKER = sound_marker("…")
_MAX_LISTED_WARNINGS = 10  # the rest is summed up, so the reply fits in one chat message


def assemble_deck(draft: DraftDeck, *, deck_id: str, deck_name: str, source: str) -> ImportResult:
    """The deck of `draft`, or `DeckImportError` naming `source` and the faulty card.

    `deck_id` must be a valid slug and `deck_name` non-blank: a ValueError otherwise (a bug).
    """
    if not is_valid_slug(deck_id) or not deck_name.strip():
        raise ValueError(f"bad deck id {deck_id!r} or name {deck_name!r}")
    cards, repeats, skipped = _cards(draft.drafts, deck_id, source, lenient=draft.lenient)
    if not cards:
        raise DeckImportError(f"{source}: the file has no cards")
    warnings = (
        *_summed(repeats, f"{source}: {{more}} skipped", "more repeated question"),
        *_summed(skipped, f"{source}: {{more}} without question or answer skipped", "more card"),
        *draft.notices,
        *(() if draft.media_read else _media_notice(cards, source)),
    )
    deck = Deck(deck_id, deck_name.strip(), tuple(cards))
    return ImportResult(deck, warnings, draft.history, draft.media)


def _cards(
    drafts: Iterable[CardDraft], deck_id: str, source: str, *, lenient: bool
) -> tuple[list[Card], list[str], list[str]]:
    cards: list[Card] = []
    first_of: dict[str, str] = {}  # card id or question key -> where it was first seen
    repeats: list[str] = []
    skipped: list[str] = []
    for draft in drafts:
        card = _card(draft, deck_id, source, lenient=lenient)
        if card is None:
            skipped.append(f"{source} {draft.where}: no question or no answer; skipped")
            continue
        question_key = "?" + question_key_for(card.question)
        first = first_of.get(card.id) or first_of.get(question_key)
        if first is not None:
            repeats.append(f"{source} {draft.where}: same question as {first}; skipped")
            continue
        if len(cards) == MAX_CARDS:
            raise DeckImportError(f"{source}: the file has more than {MAX_CARDS:,} cards")
        first_of[card.id] = first_of[question_key] = draft.where
        cards.append(card)
    return cards, repeats, skipped


def _card(draft: CardDraft, deck_id: str, source: str, *, lenient: bool) -> Card | None:
    longest = max(len(draft.question), len(draft.answer), len(draft.note))
    if longest > MAX_FIELD_CHARS:
        raise DeckImportError(
            f"{source} {draft.where}: a field has {longest:,} characters; "
            f"the limit is {MAX_FIELD_CHARS:,}"
        )
    question, answer = tidy_text(draft.question.strip()), tidy_text(draft.answer.strip())
    for value, what in ((question, "question"), (answer, "answer")):
        if not value:
            if lenient:
                return None
            raise DeckImportError(f"{source} {draft.where}: no {what}")
    key = draft.key if draft.key is not None else card_key_for(question)
    if not is_valid_slug(key):
        raise DeckImportError(
            f"{source} {draft.where}: the id {key!r} is not valid; use a-z, 0-9, '-', '.' or '_'"
        )
    tags = tuple(dict.fromkeys(tag for tag in draft.tags if tag))
    return Card(make_card_id(deck_id, key), question, answer, tidy_text(draft.note), tags)


def _media_notice(cards: list[Card], source: str) -> tuple[str, ...]:
    if not any(has_media(card.question) or has_media(card.answer) for card in cards):
        return ()
    return (
        f"{source}: this file carries no images or sounds; cards name them "
        f"({IMAGE_MARKER}, {SOUND_MARKER}) or show {IMAGE} / {SOUND}",
    )


def _summed(messages: list[str], more: str, noun: str) -> list[str]:
    listed = messages[:_MAX_LISTED_WARNINGS]
    if len(messages) > _MAX_LISTED_WARNINGS:
        listed.append(more.format(more=plural(len(messages) - _MAX_LISTED_WARNINGS, noun)))
    return listed
