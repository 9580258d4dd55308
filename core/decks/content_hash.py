"""A deck's content hash: equal hashes mean a re-save would store exactly the same rows."""

from __future__ import annotations

import hashlib
import json

from core.decks.model import Deck

__all__ = ["deck_content_hash"]

# Bump when what a save stores changes, so every stored deck is saved again once.
_LAYOUT = 1


def deck_content_hash(deck: Deck) -> str:
    """SHA-256 over every stored field of the deck and its cards, in card order."""
    content = [
        _LAYOUT,
        deck.id,
        deck.name,
        deck.description,
        [[card.id, card.question, card.answer, card.note, list(card.tags)] for card in deck.cards],
    ]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()
