"""Decks and cards: the data model, the bundled TOML format, and deck files in and out
(`importer.DeckImporter` over one module per format in `formats/`; `export`)."""

from core.decks.bundled import parse_bundled_deck
from core.decks.csv_import import parse_csv_deck
from core.decks.model import (
    Card,
    Deck,
    ImportResult,
    card_key_for,
    is_valid_slug,
    make_card_id,
    slugify,
    tidy_text,
)

__all__ = [
    "Card",
    "Deck",
    "ImportResult",
    "card_key_for",
    "is_valid_slug",
    "make_card_id",
    "parse_bundled_deck",
    "parse_csv_deck",
    "slugify",
    "tidy_text",
]
