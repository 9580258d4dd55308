"""Exports: CSV, Anki package and bundled TOML; importing an export gives the same cards and ids."""

from __future__ import annotations

import pytest

from adapters.deckfiles import deck_to_apkg
from core.decks.export import deck_to_csv, deck_to_toml
from core.decks.model import Card, Deck
from tests.conftest import Services
from tests.decks.samples import fixture

TRICKY = Deck(
    "tricky",
    "Tricky text",
    (
        Card("tricky:k1", "Quotes \" and ''' and \\ back", "a, b; c", "a note", ("x", "y")),
        Card("tricky:k2", "Two\nlines & <b>not bold</b>", "ends with '", tags=("z",)),
        Card("tricky:k3", "Ünïcödé — “quotes” 🙂", "line 1\nline 2\n\nline 4"),
    ),
)
EXPORTERS = {
    "csv": deck_to_csv,
    "apkg": deck_to_apkg,
    "toml": lambda deck: deck_to_toml(deck).encode("utf-8"),
}


@pytest.mark.parametrize("format_", sorted(EXPORTERS))
@pytest.mark.parametrize("source", ["anki-current.apkg", "site-export.txt", "tricky"])
async def test_export_then_import_gives_the_same_cards_and_ids(
    services: Services, format_: str, source: str
) -> None:
    chat = await services.chat("g", group=True)
    if source == "tricky":
        imported = await services.library.import_deck(
            deck_to_toml(TRICKY).encode(), "Deck", chat.id, "t.toml"
        )
    else:
        imported = await services.library.import_deck(fixture(source), "Deck", chat.id, source)
    deck = await services.library.deck_with_cards(imported.deck)
    again = await services.library.import_deck(
        EXPORTERS[format_](deck), "Deck", chat.id, f"Deck.{format_}"
    )

    assert again.deck.id == deck.id
    assert await services.library.deck_with_cards(again.deck) == deck
