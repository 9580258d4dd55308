"""Anki packages made by Anki itself and by genanki, and the crafted ones a bot must refuse."""

from __future__ import annotations

import io
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
import zstandard

from adapters.deckfiles.apkg import AnkiPackageFormat
from adapters.deckfiles.package_zip import MAX_ENTRIES, SafeZip
from bot.wiring import deck_importer
from core.decks.importer import DECK_FILE_EXTENSIONS, TEXT_FORMATS
from core.errors import DeckImportError
from tests.decks.samples import fixture, questions_and_answers, read

IMPORTER = deck_importer()
GLOROT = "Glorot initialisation keeps variance steady"
ANKI_CARDS = [
    ("What is MNIST?", "A dataset of handwritten digits"),
    ("Capital of France?", "Paris\non the Seine"),
    ("hola", "hello & welcome"),
    ("hello & welcome", "hola"),
    ("[...] initialisation keeps variance steady", GLOROT),
    ("Glorot initialisation keeps [a statistic] steady", GLOROT),
    ("Which picture?[image: cat.png]", "[sound: meow.mp3] a cat"),
]
ANKI_IDS = ["fixture-guid-0", "fixture-guid-1", "fixture-guid-2", "fixture-guid-2.2"]


@pytest.mark.parametrize(
    "name", ["anki-current.apkg", "anki-legacy.apkg", "anki-collection.colpkg"]
)
def test_packages_written_by_anki(name: str) -> None:
    result = read(IMPORTER, fixture(name), name)
    assert questions_and_answers(result) == ANKI_CARDS
    assert [card.id for card in result.deck.cards][:4] == [f"demo:{key}" for key in ANKI_IDS]
    assert result.deck.cards[4].id == "demo:fixture-guid-3"
    assert result.deck.cards[0].tags == ("basic", "fixture")
    assert result.warnings == (
        "Demo: the cards refer to 2 media files the package lacks: cat.png, meow.mp3",
    )


def test_a_current_package_is_read_from_anki21b_not_its_dummy() -> None:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-current.apkg"))) as package:
        names = package.namelist()
        dummy = package.read("collection.anki2")
    assert "collection.anki21b" in names and b"Please update" in dummy
    assert len(read(IMPORTER, fixture("anki-current.apkg"), "x.apkg").deck.cards) == 7
    only_dummy = _zip({"collection.anki2": dummy})
    assert _error(only_dummy).startswith("Demo: the package holds only Anki’s “please update”")


def test_a_package_written_by_genanki() -> None:
    result = read(IMPORTER, fixture("genanki-legacy.apkg"), "genanki.apkg")
    assert questions_and_answers(result) == [
        ("Largest planet?", "Jupiter"),
        ("2 + 2?", "4\nfour"),
        ("[...] is in Italy", "Rome is in Italy"),
        ("Rome is in [...]", "Rome is in Italy"),
    ]
    assert [card.id for card in result.deck.cards] == [
        "demo:gen-0",
        "demo:gen-1",
        "demo:gen-c",
        "demo:gen-c.2",
    ]
    assert result.warnings == ()


def test_a_bare_collection_file_is_read_too(tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-legacy.apkg"))) as package:
        collection = package.read("collection.anki21")
    assert questions_and_answers(read(IMPORTER, collection, "c.anki21")) == ANKI_CARDS


# --- refused -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            package.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _error(data: bytes) -> str:
    with pytest.raises(DeckImportError) as caught:
        read(IMPORTER, data, "deck.apkg")
    return str(caught.value)


def _legacy_collection() -> bytes:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-legacy.apkg"))) as package:
        return package.read("collection.anki21")


def test_a_zip_bomb_is_refused_before_reading() -> None:
    huge = _zip({"collection.anki2": bytes(51 * 1024 * 1024)})
    assert len(huge) < 200_000
    assert _error(huge) == "Demo: the package unpacks to 51 MB; the limit is 50 MB"
    dense = _zip({"collection.anki2": bytes(2 * 1024 * 1024)})
    assert "compressed suspiciously well" in _error(dense)


def test_a_zstd_bomb_inside_the_package_is_refused() -> None:
    bomb = zstandard.ZstdCompressor().compress(bytes(60 * 1024 * 1024))
    assert _error(_zip({"collection.anki21b": bomb})) == (
        "Demo: the collection unpacks to more than 50 MB; it may be a zip bomb"
    )


@pytest.mark.parametrize("name", ["../collection.anki2", "/etc/cron.d/x", "C:\\evil", "a/../../b"])
def test_path_traversal_entries_are_refused(name: str) -> None:
    data = _zip({"collection.anki21": _legacy_collection(), name: b"x"})
    assert _error(data).startswith("Demo: the package holds an unsafe path")


def test_link_entries_are_refused() -> None:
    data = _zip({"collection.anki21": _legacy_collection()}, link="media")
    assert _error(data) == "Demo: the package holds a link ('media')"


def test_sqlite_that_is_not_an_anki_collection(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (x)")
    db.close()
    data = _zip({"collection.anki2": path.read_bytes()})
    assert _error(data) == "Demo: the file is not an Anki collection"


def test_a_corrupt_collection_is_refused() -> None:
    collection = bytearray(_legacy_collection())
    collection[1024 : len(collection)] = b"\xa5" * (len(collection) - 1024)
    assert _error(_zip({"collection.anki21": bytes(collection)})).startswith(
        "Demo: the Anki collection is damaged or not one"
    )
    not_sqlite = _zip({"collection.anki21": b"hello"})
    assert _error(not_sqlite) == "Demo: the package holds no Anki collection"


def test_a_truncated_package_is_refused() -> None:
    data = fixture("anki-legacy.apkg")
    assert _error(data[: len(data) // 2]).startswith("Demo: the package")


def test_a_collection_crafted_to_run_forever_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "endless.anki2"
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE col (models TEXT)")
        db.execute("INSERT INTO col VALUES ('{}')")
        db.execute(f"CREATE VIEW cards AS {endless} AS nid, 0 AS ord FROM n")
        db.execute(f"CREATE VIEW notes AS {endless} AS id FROM n")
    db.close()
    data = _zip({"collection.anki2": path.read_bytes()})
    assert _error(data) == "Demo: the Anki collection is damaged or not one"


def test_a_package_with_too_many_entries_is_refused() -> None:
    members = {"collection.anki21": _legacy_collection(), "0": b"a", "1": b"b", "2": b"c"}
    with pytest.raises(DeckImportError) as caught:
        SafeZip(_zip(members), "Demo", max_entries=3)
    assert str(caught.value) == "Demo: the package holds more than 3 files; the limit is 3"
    assert SafeZip(_zip(members), "Demo", max_entries=4).has("collection.anki21")


def test_a_file_named_like_a_package_that_is_not_one() -> None:
    assert _error(b"hola,hello\n") == "Demo: the file is not an Anki package (or it is damaged)"
    assert _error(bytes(range(256))) == "Demo: the file is not an Anki package (or it is damaged)"


def _edited(collection: bytes, tmp_path: Path, sql: str, *params: object) -> bytes:
    path = tmp_path / "edited.anki2"
    path.write_bytes(collection)
    with sqlite3.connect(path) as db:
        db.execute(sql, params)
    db.close()
    return path.read_bytes()


def _current_collection() -> bytes:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-current.apkg"))) as package:
        compressed = package.read("collection.anki21b")
    return zstandard.ZstdDecompressor().decompressobj().decompress(compressed)


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("UPDATE col SET models = ?", "[]"),  # AttributeError escaped
        ("UPDATE col SET models = ?", "[" * 100_000 + "]" * 100_000),  # RecursionError
        (
            "UPDATE col SET models = ?",
            '{"1": {"id": 1e999, "name": "x", "flds": [], "tmpls": []}}',
        ),  # Overflow
    ],
)
def test_crafted_legacy_note_types_are_refused_as_damaged(
    tmp_path: Path, sql: str, value: str
) -> None:
    collection = _edited(_legacy_collection(), tmp_path, sql, value)
    assert _error(_zip({"collection.anki21": collection})) == (
        "Demo: the Anki collection is damaged or not one"
    )


def test_a_config_that_is_a_huge_integer_allocates_nothing(tmp_path: Path) -> None:
    """`bytes(config)` of the integer 10**12 tried to allocate a terabyte."""
    collection = _edited(_current_collection(), tmp_path, "UPDATE notetypes SET config = ?", 10**12)
    package = _zip({"collection.anki21b": zstandard.ZstdCompressor().compress(collection)})
    assert _error(package) == "Demo: the Anki collection is damaged or not one"


def test_fields_stored_as_blobs_are_read_as_text(tmp_path: Path) -> None:
    collection = _edited(
        _legacy_collection(),
        tmp_path,
        "UPDATE notes SET flds = ? WHERE guid = ?",
        b"hola\x1fhello",
        "fixture-guid-0",
    )
    result = read(IMPORTER, _zip({"collection.anki21": collection}), "deck.apkg")
    assert questions_and_answers(result)[0] == ("hola", "hello")


def test_several_anki_decks_are_merged_tagged_and_named_in_the_summary() -> None:
    """An .apkg of a deck with subdecks, and a .colpkg of a whole collection, were imported as
    one deck with no word about it; the learner now sees which decks were merged."""
    subdecks = read(IMPORTER, fixture("anki-subdecks.apkg"), "Spanish.apkg")
    assert [(card.question, card.tags) for card in subdecks.deck.cards] == [
        ("hola", ("spanish",)),
        ("comer", ("spanish-verbs",)),
        ("beber", ("spanish-verbs",)),
    ]
    assert subdecks.warnings == (
        "Demo: the file holds 2 Anki decks, merged into this deck: Spanish (1), "
        "Spanish::Verbs (2); each card is tagged with its Anki deck (e.g. spanish); "
        "export a single deck from Anki to import it alone",
    )
    collection = read(IMPORTER, fixture("anki-several-decks.colpkg"), "all.colpkg")
    assert len(collection.deck.cards) == 4 and collection.deck.cards[3].tags == ("biology",)
    assert (
        "3 Anki decks, merged into this deck: Biology (1), Spanish (1)" in (collection.warnings[0])
    )
    one_deck = read(IMPORTER, fixture("anki-collection.colpkg"), "one.colpkg")
    assert "merged" not in " ".join(one_deck.warnings)


def test_chat_uploads_accept_every_suffix_a_format_claims() -> None:
    """Uploads filter on DECK_FILE_EXTENSIONS, which lacked .anki2, .anki21 and .tab."""
    claimed = {suffix for fmt in (*TEXT_FORMATS, AnkiPackageFormat()) for suffix in fmt.suffixes}
    assert claimed <= {f".{extension}" for extension in DECK_FILE_EXTENSIONS}


def test_a_package_of_countless_entries_is_refused_before_zipfile_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """zipfile builds an object per entry before any count can be checked, so countless tiny
    entries cost memory and time (README, Benchmarks); the end record tells first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr("collection.anki21", b"x")
        for number in range(MAX_ENTRIES):
            package.writestr(str(number), b"")
    data = buffer.getvalue()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile parsed the archive")

    monkeypatch.setattr("adapters.deckfiles.package_zip.zipfile.ZipFile", refuse)
    assert _error(data) == ("Demo: the package holds more than 100,000 files; the limit is 100,000")
