"""Note types, notes and cards out of an Anki collection file, opened read-only from a private
temporary copy; legacy (`col.models` JSON) and current (notetypes tables, protobuf) schemas.
Also the review history (`revlog`, the cards' scheduling) when the package has one; the core's
`anki_history` checks it."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.deckfiles.protobuf import ProtobufError, proto_fields
from core.decks.formats.anki_history import (
    MAX_REVIEWS,
    AnkiCardRow,
    AnkiReviewRow,
    DeckHistory,
    deck_history,
)
from core.decks.formats.anki_notes import AnkiNote, AnkiNoteType
from core.decks.formats.base import MAX_CARDS
from core.errors import DeckImportError

__all__ = ["SQLITE_MAGIC", "AnkiCollection", "read_collection"]

SQLITE_MAGIC = b"SQLite format 3\x00"
_UPDATE_ANKI = "Please update to the latest Anki version"
# × 1,000 SQLite steps: far more than the largest allowed import takes; a crafted file stops.
_STEP_BUDGET = 100_000
_MAX_CARD_ROWS = 2 * MAX_CARDS  # repeats may still be merged; beyond this it is too many anyway
# What reading a crafted collection can raise: a `models` JSON that is a list (AttributeError),
# nested 100,000 deep (RecursionError) or holds 1e999 as an id (OverflowError), …
_DAMAGED = (
    sqlite3.Error,
    ProtobufError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
)


@dataclass(frozen=True, slots=True)
class AnkiCollection:
    notes: list[AnkiNote]  # each with its card ordinals
    note_types: dict[int, AnkiNoteType]
    card_decks: list[tuple[str, ...]]  # per note, the Anki deck of each card (by ordinal)
    history: DeckHistory | None = None  # None: no card was ever answered


def read_collection(data: bytes, source: str) -> AnkiCollection:
    """The notes, note types and the decks of the cards in a collection file."""
    if not data.startswith(SQLITE_MAGIC):
        raise DeckImportError(f"{source}: the package holds no Anki collection")
    try:
        with _private_copy(data) as path, closing(_open_read_only(path)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not {"notes", "cards"} <= tables or not ({"col"} <= tables or "notetypes" in tables):
                raise DeckImportError(f"{source}: the file is not an Anki collection")
            note_types = _note_types(db, tables)
            notes, card_decks = _notes(db, source, _deck_names(db, tables))
            history = _history(db, tables, source)
    except _DAMAGED as exc:
        raise DeckImportError(f"{source}: the Anki collection is damaged or not one") from exc
    if len(notes) == 1 and _UPDATE_ANKI in notes[0].fields[0]:
        raise DeckImportError(
            f"{source}: the package holds only Anki’s “please update” placeholder; "
            "export it again from Anki with “Support older Anki versions” ticked"
        )
    return AnkiCollection(notes, note_types, card_decks, history)


@contextmanager
def _private_copy(data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="quizbot-deck-") as folder:  # mode 0700
        path = Path(folder) / "collection.sqlite"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        yield path


def _open_read_only(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    ticks = 0

    def budget() -> int:
        nonlocal ticks
        ticks += 1
        return 1 if ticks > _STEP_BUDGET else 0  # non-zero interrupts the statement

    db.set_progress_handler(budget, 1000)
    db.execute("PRAGMA trusted_schema = OFF")
    return db


def _note_types(db: sqlite3.Connection, tables: set[str]) -> dict[int, AnkiNoteType]:
    if "notetypes" in tables:
        return _current_note_types(db)
    [(models,)] = db.execute("SELECT models FROM col LIMIT 1").fetchall()
    found: dict[int, AnkiNoteType] = {}
    for model in json.loads(models).values():
        fields = sorted(model["flds"], key=lambda field: int(field["ord"]))
        templates = sorted(model["tmpls"], key=lambda template: int(template["ord"]))
        found[int(model["id"])] = AnkiNoteType(
            str(model["name"]),
            int(model.get("type", 0)) == 1,
            tuple(str(field["name"]) for field in fields),
            tuple((str(t["qfmt"]), str(t["afmt"])) for t in templates),
        )
    return found


def _current_note_types(db: sqlite3.Connection) -> dict[int, AnkiNoteType]:
    fields: dict[int, list[str]] = defaultdict(list)
    for type_id, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields[type_id].append(str(name))
    templates: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for type_id, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        parsed = proto_fields(_blob(config))
        templates[type_id].append((_proto_text(parsed, 1), _proto_text(parsed, 2)))
    found: dict[int, AnkiNoteType] = {}
    for type_id, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = proto_fields(_blob(config)).get(1, [0])[0]
        found[type_id] = AnkiNoteType(
            str(name), kind == 1, tuple(fields[type_id]), tuple(templates[type_id])
        )
    return found


def _blob(value: object) -> bytes:
    # bytes(n) of a crafted integer would allocate n bytes (gigabytes).
    if not isinstance(value, bytes):
        raise TypeError(f"a config that is not a blob: {type(value).__name__}")
    return value


def _text(value: object) -> str:
    """A text column as text (a crafted file may store a blob where Anki stores text)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _proto_text(parsed: dict[int, list[Any]], number: int) -> str:
    value = parsed.get(number, [b""])[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _deck_names(db: sqlite3.Connection, tables: set[str]) -> dict[int, str]:
    if "decks" in tables:  # the current schema separates deck levels with \x1f, not "::"
        rows = db.execute("SELECT id, name FROM decks").fetchall()
        return {int(deck_id): _text(name).replace("\x1f", "::") for deck_id, name in rows}
    [(decks,)] = db.execute("SELECT decks FROM col LIMIT 1").fetchall()
    return {int(deck_id): str(deck["name"]) for deck_id, deck in json.loads(decks).items()}


def _notes(
    db: sqlite3.Connection, source: str, deck_names: dict[int, str]
) -> tuple[list[AnkiNote], list[tuple[str, ...]]]:
    [(card_rows,)] = db.execute("SELECT COUNT(*) FROM cards").fetchall()
    if card_rows > _MAX_CARD_ROWS:
        raise DeckImportError(f"{source}: the file has more than {MAX_CARDS:,} cards")
    ordinals: dict[int, dict[int, str]] = defaultdict(dict)
    cards = db.execute("SELECT nid, ord, did, odid FROM cards ORDER BY nid, ord")
    for note_id, ordinal, deck_id, original_deck_id in cards:
        # A card in a filtered deck belongs to its original deck.
        deck = original_deck_id or deck_id
        ordinals[note_id].setdefault(int(ordinal), deck_names.get(deck, f"deck {deck}"))
    notes = []
    card_decks = []
    rows = db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
    for number, (note_id, guid, type_id, tags, fields) in enumerate(rows, start=1):
        if note_id not in ordinals:
            continue
        notes.append(
            AnkiNote(
                f"note {number}",
                _text(guid),
                tuple(_text(fields).split("\x1f")),
                tuple(_text(tags).split()),
                tuple(ordinals[note_id]),
                type_id=int(type_id),
            )
        )
        card_decks.append(tuple(ordinals[note_id].values()))
    return notes, card_decks


def _history(db: sqlite3.Connection, tables: set[str], source: str) -> DeckHistory | None:
    if not {"revlog", "col"} <= tables:
        return None
    # One row more than allowed tells "too many" without reading a crafted million rows.
    revlog = db.execute(
        "SELECT id, cid, ease, ivl, type FROM revlog ORDER BY id LIMIT ?", (MAX_REVIEWS + 1,)
    ).fetchall()
    # A card in a filtered deck keeps its own due day in odue.
    cards = db.execute(
        "SELECT c.id, n.guid, c.ord, c.type,"
        " CASE WHEN c.odid != 0 AND c.odue != 0 THEN c.odue ELSE c.due END,"
        " c.ivl, c.reps, c.lapses, c.data FROM cards c JOIN notes n ON n.id = c.nid"
        " WHERE c.type != 0 LIMIT ?",
        (_MAX_CARD_ROWS + 1,),
    ).fetchall()
    if not revlog and not cards:
        return None
    [(created_at,)] = db.execute("SELECT crt FROM col LIMIT 1").fetchall()
    return deck_history(
        [AnkiReviewRow(*row) for row in revlog],
        [AnkiCardRow(row[0], _text(row[1]), *row[2:]) for row in cards],
        created_at,
        source,
    )
