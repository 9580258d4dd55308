"""Imported media in the store: files content-addressed in a folder, the deck's list in SQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from adapters.deckfiles import deck_to_apkg
from adapters.media.folder import MediaFolder
from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.decks.export import deck_to_csv
from core.errors import DeckImportError
from core.library import DeckLibrary
from core.permissions import OPERATOR
from tests.decks.samples import database_rows, fixture


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_an_import_keeps_the_named_files_once_each_by_content(
    store: SqliteStore, tmp_path: Path
) -> None:
    folder = MediaFolder(tmp_path / "media")
    library = DeckLibrary(store, deck_importer(), media=folder)
    await library.import_deck(fixture("anki-media.apkg"), "Anatomy", None, "a.apkg", role=OPERATOR)
    media = await library.deck_media("anatomy")
    assert sorted(media) == ["heart.png", "hola.mp3", "left.png", "lub.wav", "right.png"]
    heart = media["heart.png"]
    assert heart.media_type == "image/png"
    assert folder.get(heart.content_id) == fixture_file("anki-media.apkg", "heart.png")
    assert heart.content_id == hashlib.sha256(folder.get(heart.content_id) or b"").hexdigest()
    assert folder.location(heart.content_id) == str(
        tmp_path / "media" / heart.content_id[:2] / heart.content_id
    )
    # The same pictures in another deck are stored once; no file is named as the package did.
    await library.import_deck(fixture("genanki-media.apkg"), "Other", None, "o.apkg", role=OPERATOR)
    other = await library.deck_media("other")
    assert other["heart.png"] == heart
    files = _files(tmp_path / "media")
    assert len(files) == 5
    assert all(path.name in {ref.content_id for ref in media.values()} for path in files)


def fixture_file(package: str, name: str) -> bytes:
    result = deck_importer().read(
        fixture(package), file_name=package, deck_id="x", deck_name="x", source="x"
    )
    return next(file.data for file in result.media if file.name == name)


async def test_a_re_import_replaces_the_decks_media_list(
    store: SqliteStore, tmp_path: Path
) -> None:
    library = DeckLibrary(store, deck_importer(), media=MediaFolder(tmp_path / "media"))
    await library.import_deck(fixture("genanki-media.apkg"), "Deck", None, "d.apkg", role=OPERATOR)
    await library.import_deck(
        fixture("genanki-missing-media.apkg"), "Deck", None, "d.apkg", role=OPERATOR
    )
    assert sorted(await library.deck_media("deck")) == ["heart.png"]


async def test_a_lying_file_writes_nothing_to_the_database_or_the_media_folder(
    store: SqliteStore, tmp_path: Path
) -> None:
    library = DeckLibrary(store, deck_importer(), media=MediaFolder(tmp_path / "media"))
    before = database_rows(store.path)
    with pytest.raises(DeckImportError, match=r"heart\.png"):
        await library.import_deck(
            fixture("genanki-lying-media.apkg"), "Deck", None, "d.apkg", role=OPERATOR
        )
    assert database_rows(store.path) == before
    assert _files(tmp_path / "media") == []


def test_the_folder_refuses_anything_but_a_content_id_as_a_name(tmp_path: Path) -> None:
    folder = MediaFolder(tmp_path)
    content_id = folder.put(b"GIF89a")
    assert folder.exists(content_id) and folder.put(b"GIF89a") == content_id
    assert not folder.exists("0" * 64) and folder.get("0" * 64) is None
    with pytest.raises(ValueError, match="not a content id"):
        folder.get("../../etc/passwd")
    assert [p.name for p in _files(tmp_path)] == [content_id]  # no temporary file left


async def test_an_apkg_export_carries_the_media_back_and_csv_keeps_the_names(
    store: SqliteStore, tmp_path: Path
) -> None:
    library = DeckLibrary(store, deck_importer(), media=MediaFolder(tmp_path / "media"))
    summary = await library.import_deck(
        fixture("anki-media.apkg"), "Anatomy", None, "a.apkg", role=OPERATOR
    )
    deck = await library.deck_with_cards(summary.deck)
    package = deck_to_apkg(deck, media=await library.media_files(deck.id))
    again = deck_importer().read(
        package, file_name="a.apkg", deck_id="anatomy", deck_name="Anatomy", source="Anatomy"
    )
    assert [(c.id, c.question, c.answer) for c in again.deck.cards] == [
        (c.id, c.question, c.answer) for c in deck.cards
    ]
    assert {f.name: f.data for f in again.media} == {
        name: fixture_file("anki-media.apkg", name)
        for name in ("heart.png", "hola.mp3", "left.png", "right.png", "lub.wav")
    }
    assert again.warnings == ()
    csv = deck_to_csv(deck).decode("utf-8")
    assert "[image: heart.png]" in csv and "[sound: hola.mp3]" in csv
