"""A deck as an Anki package (genanki): one note per card with Front, Back and Note fields (the
note shows under the answer in Anki), the card key as the note's GUID, so importing the package
again gives the same cards and ids."""

from __future__ import annotations

import hashlib
import html
import io

import genanki  # type: ignore[import-untyped]

from core.decks.formats.anki_notes import NOTE_FIELD
from core.decks.model import Deck, card_key_of

__all__ = ["deck_to_apkg"]

_MODEL = genanki.Model(
    1_731_000_002,  # fixed, so Anki sees one note type however often decks are exported
    "Basic with note (quizbot)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": NOTE_FIELD}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": (
                "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
                "{{#Note}}<br><br><i>{{Note}}</i>{{/Note}}"
            ),
        }
    ],
)


def deck_to_apkg(deck: Deck, timestamp: float | None = None) -> bytes:
    """The package's bytes; `timestamp` fixes note and card times (for reproducible files)."""
    anki_deck = genanki.Deck(_anki_id(deck.id), deck.name, description=deck.description)
    for card in deck.cards:
        note = genanki.Note(
            model=_MODEL,
            fields=[_html(card.question), _html(card.answer), _html(card.note)],
            tags=list(card.tags),
            guid=card_key_of(card.id),
        )
        anki_deck.add_note(note)
    out = io.BytesIO()
    genanki.Package(anki_deck).write_to_file(out, timestamp=timestamp)
    return out.getvalue()


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _anki_id(deck_id: str) -> int:
    # Anki deck ids are positive 63-bit integers; a hash keeps them stable per deck.
    return int.from_bytes(hashlib.sha256(deck_id.encode()).digest()[:7], "big") + 1
