"""Exports: CSV, Anki package and bundled TOML; importing an export gives the same cards and ids."""

from __future__ import annotations

import io
import sqlite3
import tomllib
import zipfile
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from adapters.deckfiles import deck_to_apkg
from bot.wiring import deck_importer
from core.decks.bundled import parse_bundled_deck
from core.decks.export import deck_to_csv, deck_to_toml
from core.decks.model import Card, Deck
from core.permissions import OPERATOR
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
            deck_to_toml(TRICKY).encode(), "Deck", chat.id, "t.toml", role=OPERATOR
        )
    else:
        imported = await services.library.import_deck(
            fixture(source), "Deck", chat.id, source, role=OPERATOR
        )
    deck = await services.library.deck_with_cards(imported.deck)
    again = await services.library.import_deck(
        EXPORTERS[format_](deck), "Deck", chat.id, f"Deck.{format_}", role=OPERATOR
    )

    assert again.deck.id == deck.id
    assert await services.library.deck_with_cards(again.deck) == deck


def _without_note(card: Card) -> Card:
    return Card(card.id, card.question, card.answer, "", card.tags)


def test_the_toml_export_is_a_valid_bundled_deck() -> None:
    text = deck_to_toml(TRICKY)
    parsed = parse_bundled_deck(text, "tricky.toml")
    assert parsed.id == "tricky-text"
    assert [card.id.replace("tricky-text:", "tricky:") for card in parsed.cards] == [
        card.id for card in TRICKY.cards
    ]
    assert [(c.question, c.answer, c.note, c.tags) for c in parsed.cards] == [
        (c.question, c.answer, c.note, c.tags) for c in TRICKY.cards
    ]
    assert tomllib.loads(text)["cards"][2]["answer"] == "line 1\nline 2\n\nline 4"


def test_the_csv_export_has_a_header_and_a_bom() -> None:
    data = deck_to_csv(TRICKY)
    assert data.startswith(b"\xef\xbb\xbfquestion,answer,tags,id,note\r\n")
    assert b'"a, b; c",x y,k1,a note\r\n' in data


def test_the_apkg_export_is_an_anki_package(tmp_path: Path) -> None:
    data = deck_to_apkg(TRICKY, timestamp=1_700_000_000)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.namelist() == ["collection.anki2", "media"]
        collection = package.read("collection.anki2")
    path = f"{tmp_path}/c.anki2"
    with open(path, "wb") as file:
        file.write(collection)
    with sqlite3.connect(path) as db:
        notes = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    db.close()
    assert notes[1] == (
        "k2",
        "Two<br>lines &amp; &lt;b&gt;not bold&lt;/b&gt;\x1fends with '\x1f",  # no note
        " z ",
    )
    assert notes[0][1].endswith("\x1fa note")  # Front, Back, Note
    assert [guid for guid, _, _ in notes] == ["k1", "k2", "k3"]


async def test_tabs_survive_a_csv_round_trip(services: Services) -> None:
    deck = Deck("tabs", "Tabs", (Card("tabs:k", "a\tb", "c\td"),))
    again = await services.library.import_deck(
        deck_to_csv(deck), "Tabs", None, "t.csv", role=OPERATOR
    )
    assert (await services.library.deck_with_cards(again.deck)).cards == deck.cards


def test_anki_opens_the_exported_package_and_its_own_export_keeps_the_ids(
    tmp_path: Path,
) -> None:
    """Through Anki and back: quizbot → .apkg → Anki → current .apkg → quizbot, same ids."""
    deck = Deck("tricky", "Tricky text", tuple(_without_note(card) for card in TRICKY.cards))
    package = tmp_path / "quizbot.apkg"
    package.write_bytes(deck_to_apkg(deck))
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions()
        request = ImportAnkiPackageRequest(package_path=str(package), options=options)
        col.import_anki_package(request)
        guids = sorted(col.get_note(note_id).guid for note_id in col.find_notes(""))
        assert guids == ["k1", "k2", "k3"] and col.card_count() == 3
        again = tmp_path / "from-anki.apkg"
        export = ExportAnkiPackageOptions(with_scheduling=False, with_media=False, legacy=False)
        col.export_anki_package(out_path=str(again), options=export, limit=None)
    finally:
        col.close()
    result = deck_importer().read(
        again.read_bytes(), file_name="a.apkg", deck_id="tricky", deck_name="T", source="T"
    )
    assert result.deck.cards == deck.cards
