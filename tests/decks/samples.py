"""Paths of the deck-format fixtures and a helper to read them through the importer."""

from __future__ import annotations

import sqlite3
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


def database_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: "nothing was written" means this did not change."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        ]
        rows = {table: sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr) for table in tables}
    db.close()
    return rows
