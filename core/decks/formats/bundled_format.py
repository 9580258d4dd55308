"""The bundled TOML format as an import: a deck made for `decks/` can be tried in a chat first."""

from __future__ import annotations

import re

from core.decks.bundled import parse_bundled_deck
from core.decks.formats.base import CardDraft, DraftDeck
from core.decks.model import deck_id_of
from core.errors import DeckFormatError, DeckImportError

__all__ = ["BundledFormat"]

_CARDS_TABLE = re.compile(r"^\s*\[\[\s*cards\s*\]\]", re.MULTILINE)


class BundledFormat:
    name = "quizbot TOML"
    suffixes = (".toml",)

    def recognises(self, text: str) -> float:
        return 2 if _CARDS_TABLE.search(text) else 0

    def read(self, text: str, source: str) -> DraftDeck:
        try:
            deck = parse_bundled_deck(text, source)
        except DeckFormatError as exc:
            raise DeckImportError(str(exc)) from exc
        drafts = [
            CardDraft(
                f"card {number}",
                card.question,
                card.answer,
                card.tags,
                card.id[len(deck_id_of(card.id)) + 1 :],
                card.note,
            )
            for number, card in enumerate(deck.cards, start=1)
        ]
        return DraftDeck(drafts)
