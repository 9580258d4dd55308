"""Fuzzing every importer: arbitrary bytes and mutated valid files may only ever raise the
project's `DeckImportError`, and a failed import leaves every database row as it was."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.decks.export import deck_to_csv, deck_to_toml
from core.decks.model import Card, Deck
from core.errors import DeckImportError
from core.library import DeckLibrary
from core.permissions import OPERATOR
from tests.decks.samples import database_rows, fixture, read

IMPORTER = deck_importer()
FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,  # the same examples on every CI run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAMPLES = {
    "cards.csv": b'question,answer,tags\nhola,hello,es\n"two\nlines","a, b"\nadios,bye\n',
    "anki.txt": fixture("anki-notes.txt"),
    "quizlet.txt": b"hola\thello;adios\tgoodbye;gato\tcat",
    "site.txt": fixture("site-export.txt")[:1500],
    "notes.md": b"# Spanish\n## Greetings\n### hola\nhello\n\nQ: adios\nA: bye\n",
    "deck.json": b'{"cards": [{"question": "hola", "answer": "hello", "tags": ["es"], "id": "k"}]}',
    "deck.toml": (
        b'id = "x"\nname = "X"\n[[cards]]\nid = "k"\nquestion = "hola"\nanswer = """\nhello\n"""\n'
    ),
}


def _legacy_collection() -> bytes:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-legacy.apkg"))) as package:
        return package.read("collection.anki21")


def _current_collection() -> bytes:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-current.apkg"))) as package:
        compressed = package.read("collection.anki21b")
    return zstandard.ZstdDecompressor().decompressobj().decompress(compressed)


LEGACY_COLLECTION = _legacy_collection()
CURRENT_COLLECTION = _current_collection()


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few random edits: flips, deletions, insertions, repeats, truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


def _only_import_errors(data: bytes, file_name: str) -> None:
    try:
        read(IMPORTER, data, file_name)
    except DeckImportError as error:
        assert str(error).startswith("Demo")
        event("refused")  # see --hypothesis-show-statistics
    else:
        event("imported")


@pytest.mark.parametrize("file_name", sorted(SAMPLES))
@FUZZ
@given(data=st.data())
def test_text_importers_raise_only_import_errors(file_name: str, data: st.DataObject) -> None:
    blob = data.draw(st.one_of(st.binary(max_size=512), mutated(SAMPLES[file_name])))
    _only_import_errors(blob, file_name)
    text = data.draw(st.text(max_size=300))
    _only_import_errors(text.encode("utf-8", "surrogatepass"), file_name)


@FUZZ
@given(blob=st.one_of(st.binary(max_size=512), mutated(fixture("anki-current.apkg"))))
def test_package_importer_raises_only_import_errors_for_mutated_zips(blob: bytes) -> None:
    _only_import_errors(blob, "deck.apkg")


def _zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(name, content)
    return buffer.getvalue()


@settings(FUZZ, max_examples=200)
@given(collection=mutated(LEGACY_COLLECTION))
def test_package_importer_raises_only_import_errors_for_mutated_collections(
    collection: bytes,
) -> None:
    _only_import_errors(_zipped("collection.anki21", collection), "deck.apkg")


@settings(FUZZ, max_examples=200)
@given(collection=mutated(CURRENT_COLLECTION))
def test_package_importer_raises_only_import_errors_for_mutated_current_collections(
    collection: bytes,
) -> None:
    """Mutations inside the zstd layer reach the current schema's protobuf configs."""
    compressed = zstandard.ZstdCompressor().compress(collection)
    _only_import_errors(_zipped("collection.anki21b", compressed), "deck.apkg")


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as loop:
        yield loop


@pytest.fixture
def library(tmp_path: Path, runner: asyncio.Runner) -> Iterator[DeckLibrary]:
    store = runner.run(SqliteStore.open(tmp_path / "fuzz.db"))
    library = DeckLibrary(store, deck_importer())
    runner.run(library.import_deck(SAMPLES["cards.csv"], "Fuzz", None, "cards.csv", role=OPERATOR))
    yield library
    runner.run(store.close())


EXPORTED = Deck("x", "X", (Card("x:k1", "hola", "hello", "informal", ("es",)),))
VALID_FILES = {
    **SAMPLES,
    "deck.apkg": fixture("genanki-legacy.apkg"),
    "export.csv": deck_to_csv(EXPORTED),
    "export.toml": deck_to_toml(EXPORTED).encode(),
}


@settings(FUZZ, max_examples=150, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_failed_import_leaves_the_database_unchanged(
    library: DeckLibrary, runner: asyncio.Runner, tmp_path: Path, data: st.DataObject
) -> None:
    file_name = data.draw(st.sampled_from(sorted(VALID_FILES)))
    blob = data.draw(mutated(VALID_FILES[file_name]))
    before = database_rows(tmp_path / "fuzz.db")
    try:
        runner.run(library.import_deck(blob, "Fuzz", None, file_name, role=OPERATOR))
    except DeckImportError:
        assert database_rows(tmp_path / "fuzz.db") == before
        event("refused")
    else:
        event("imported")
