"""Deck file formats, one module each, read through `core.decks.importer.DeckImporter`."""
