"""Paths of the deck-format fixtures and a helper to read them through the importer."""

from __future__ import annotations

from pathlib import Path

from core.decks.importer import DeckImporter
from core.decks.model import ImportResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decks"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(importer: DeckImporter, data: bytes, file_name: str = "cards.txt") -> ImportResult:
    return importer.read(data, file_name=file_name, deck_id="demo", deck_name="Demo", source="Demo")


def questions_and_answers(result: ImportResult) -> list[tuple[str, str]]:
    return [(card.question, card.answer) for card in result.deck.cards]
