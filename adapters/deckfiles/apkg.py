"""Anki packages (.apkg, .colpkg) and bare collection files as a deck format for the importer.

A current package holds `collection.anki21b` (zstd-compressed SQLite) plus a dummy
`collection.anki2` whose only note asks to update Anki; older ones hold `collection.anki21` or
`collection.anki2`. The newest present is read. The media files the cards refer to come along
(adapters.deckfiles.package_media); a bare collection file has none, and the summary says so.

A package may hold several Anki decks (an .apkg of a deck with subdecks, a whole-collection
.colpkg). They become one quizbot deck, as the learner named it: each card is tagged with its
Anki deck (`spanish-verbs` for "Spanish::Verbs") and the import summary names the decks merged.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import zstandard

from adapters.deckfiles.anki_collection import SQLITE_MAGIC, AnkiCollection, read_collection
from adapters.deckfiles.package_media import PackageMedia, package_media
from adapters.deckfiles.package_zip import MAX_UNCOMPRESSED_BYTES, SafeZip
from core.decks.formats.anki_decks import anki_deck_tag, merged_decks_notice
from core.decks.formats.anki_notes import note_drafts
from core.decks.formats.base import CardDraft, DraftDeck
from core.decks.media import media_names
from core.errors import DeckImportError

__all__ = ["MAX_PACKAGE_BYTES", "AnkiPackageFormat"]

MAX_PACKAGE_BYTES = 20 * 1024 * 1024  # what a Telegram bot may download
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_ZIP_MAGIC = b"PK\x03\x04"


class AnkiPackageFormat:
    name = "Anki package"
    suffixes = (".apkg", ".colpkg", ".anki2", ".anki21")
    max_bytes = MAX_PACKAGE_BYTES

    def recognises(self, data: bytes) -> bool:
        if data.startswith(SQLITE_MAGIC):
            return True
        if not data.startswith(_ZIP_MAGIC):
            return False
        # A zip that holds none of Anki's collection names is some other archive.
        return any(name.encode() in data for name in _COLLECTIONS)

    def read(self, data: bytes, source: str) -> DraftDeck:
        package = None if data.startswith(SQLITE_MAGIC) else SafeZip(data, source)
        collection = data if package is None else _collection_of(package, source)
        read = read_collection(collection, source)
        drafts = _drafts(read, source)
        media = PackageMedia((), ())
        if package is not None:
            media = package_media(package, _references(drafts), source)
        return DraftDeck(
            drafts,
            notices=(*merged_decks_notice(_card_counts(read), source), *media.notices),
            lenient=True,
            history=read.history,
            media=media.files,
            media_read=package is not None,
        )


def _references(drafts: list[CardDraft]) -> list[str]:
    return [
        name
        for draft in drafts
        for text in (draft.question, draft.answer, draft.note)
        for name in media_names(text)
    ]


def _collection_of(package: SafeZip, source: str) -> bytes:
    name = next((name for name in _COLLECTIONS if package.has(name)), None)
    if name is None:
        raise DeckImportError(f"{source}: the package holds no Anki collection")
    content = package.read(name)
    return _unzstd(content, source) if name.endswith("b") else content


def _unzstd(content: bytes, source: str) -> bytes:
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(content))
        with reader:
            collection = reader.read(MAX_UNCOMPRESSED_BYTES + 1)
    except zstandard.ZstdError as exc:
        raise DeckImportError(f"{source}: the package is damaged (collection.anki21b)") from exc
    if len(collection) > MAX_UNCOMPRESSED_BYTES:
        raise DeckImportError(
            f"{source}: the collection unpacks to more than "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB; it may be a zip bomb"
        )
    return collection


def _drafts(collection: AnkiCollection, source: str) -> list[CardDraft]:
    several = len(_card_counts(collection)) > 1
    drafts: list[CardDraft] = []
    for note, decks in zip(collection.notes, collection.card_decks, strict=True):
        note_type = collection.note_types.get(note.type_id)
        if note_type is None:
            raise DeckImportError(f"{source} {note.where}: its note type is missing")
        if not several:
            drafts.extend(note_drafts(note_type, note))
            continue
        ordinals = note.ordinals or ()
        for deck in dict.fromkeys(decks):  # the note's cards, by deck
            in_deck = tuple(o for o, d in zip(ordinals, decks, strict=True) if d == deck)
            tagged = replace(note, ordinals=in_deck, tags=(*note.tags, anki_deck_tag(deck)))
            drafts.extend(note_drafts(note_type, tagged))
    return drafts


def _card_counts(collection: AnkiCollection) -> Counter[str]:
    return Counter(deck for decks in collection.card_decks for deck in decks)
