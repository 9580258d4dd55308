"""Deck files that need the file system or SQLite: Anki packages in and out."""

from adapters.deckfiles.apkg import MAX_PACKAGE_BYTES, AnkiPackageFormat
from adapters.deckfiles.apkg_export import deck_to_apkg

__all__ = ["MAX_PACKAGE_BYTES", "AnkiPackageFormat", "deck_to_apkg"]
