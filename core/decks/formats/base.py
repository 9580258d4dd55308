"""What every deck-file format produces, and the two kinds of format the importer dispatches to.

A format turns a file into card drafts (text plus where it came from, for messages); the shared
`assemble_deck` applies the caps, refuses incomplete cards and merges repeats, so every format
reports bad input the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.decks.media import MediaFile
from core.decks.model import is_valid_slug

if TYPE_CHECKING:
    from core.decks.formats.anki_history import DeckHistory

__all__ = [
    "MAX_CARDS",
    "MAX_FIELD_CHARS",
    "MAX_IMPORT_BYTES",
    "CardDraft",
    "DraftDeck",
    "PackageFormat",
    "TextFormat",
    "key_for_guid",
]

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_CARDS = 20_000
MAX_FIELD_CHARS = 10_000
_MAX_GUID_KEY = 56  # leaves room for a ".12" card suffix within a 64-character key


@dataclass(frozen=True, slots=True)
class CardDraft:
    """One card as read from a file, before the deck-wide checks."""

    where: str  # "row 3", "line 12", "card 4", "note 7": follows the file name in messages
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    key: str | None = None  # a stable key (a GUID or an explicit id); default: the question
    note: str = ""


@dataclass(frozen=True, slots=True)
class DraftDeck:
    """The cards of a file, plus notices for the import summary (e.g. media not imported).

    `lenient`: cards with no question or answer are skipped with a warning instead of refusing
    the file, for packages made by apps that allow empty fields (Anki). `history`: the
    package's review history and card states, when it has any (Anki with scheduling).
    `media`: the files the cards' markers name (core.decks.media); `media_read`: the format
    carries media files, so a marker without its file was named in the notices already.
    """

    drafts: Iterable[CardDraft]
    notices: tuple[str, ...] = ()
    lenient: bool = False
    history: DeckHistory | None = None
    media: tuple[MediaFile, ...] = ()
    media_read: bool = False


class TextFormat(Protocol):
    """A format of text files; `recognises` scores the content: 0 no, 0.5 nearly (only used
    when nothing scores more; its reader then names the faulty card), 1 plausible, 2 certain."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    def recognises(self, text: str) -> float: ...

    def read(self, text: str, source: str) -> DraftDeck: ...


class PackageFormat(Protocol):
    """A binary format (e.g. Anki packages), recognised by its leading bytes."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    @property
    def max_bytes(self) -> int: ...

    def recognises(self, data: bytes) -> bool: ...

    def read(self, data: bytes, source: str) -> DraftDeck: ...


def key_for_guid(guid: str, card_number: int = 1) -> str:
    """A card key from a note's GUID: the GUID itself when it is a short slug (so our own exports
    come back with their keys), else a hash of it; card 2+ of one note gets a ".N" suffix."""
    guid = guid.strip()
    base = guid if is_valid_slug(guid) and len(guid) <= _MAX_GUID_KEY else _hash_key(guid)
    return base if card_number == 1 else f"{base}.{card_number}"


def _hash_key(guid: str) -> str:
    return "g-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:16]
