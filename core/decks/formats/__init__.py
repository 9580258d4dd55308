"""Deck file formats, one module each, read through `core.decks.importer.DeckImporter`."""

from core.decks.formats.base import (
    MAX_CARDS,
    MAX_FIELD_CHARS,
    MAX_IMPORT_BYTES,
    CardDraft,
    DraftDeck,
    PackageFormat,
    TextFormat,
    key_for_guid,
)

__all__ = [
    "MAX_CARDS",
    "MAX_FIELD_CHARS",
    "MAX_IMPORT_BYTES",
    "CardDraft",
    "DraftDeck",
    "PackageFormat",
    "TextFormat",
    "key_for_guid",
]
