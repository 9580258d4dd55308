"""Deck files that need the file system or SQLite: Anki packages in and out."""

from adapters.deckfiles.apkg import MAX_PACKAGE_BYTES, AnkiPackageFormat

__all__ = ["MAX_PACKAGE_BYTES", "AnkiPackageFormat"]
