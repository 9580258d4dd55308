"""Decks and cards as plain data, plus the rules that make their ids stable.

A card id is `f"{deck_id}:{key}"`. The key defaults to a hash of the question, so re-importing the
same question keeps the id, and with it every learner's progress on that card.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.decks.media import nameless_markers

if TYPE_CHECKING:
    from core.decks.formats.anki_history import DeckHistory
    from core.decks.media import MediaFile

__all__ = [
    "MAX_SLUG_LENGTH",
    "Card",
    "Deck",
    "ImportResult",
    "card_key_for",
    "card_key_of",
    "deck_id_of",
    "distinct_slug",
    "is_valid_slug",
    "make_card_id",
    "question_key_for",
    "slugify",
    "tidy_text",
]

MAX_SLUG_LENGTH = 64
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Card:
    """One question and its answer; `note` is extra context shown with the question."""

    id: str  # globally unique and stable across re-imports: make_card_id(deck_id, key)
    question: str
    answer: str
    note: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Loaders report bad input kindly before this; reaching it is a programming error.
        if not (self.id and self.question and self.answer):
            raise ValueError(f"card {self.id!r} needs an id, a question and an answer")


@dataclass(frozen=True, slots=True)
class Deck:
    """A named, ordered set of cards."""

    id: str  # a slug such as "neural-nets", see is_valid_slug
    name: str
    cards: tuple[Card, ...]
    description: str = ""

    def __post_init__(self) -> None:
        if not is_valid_slug(self.id):
            raise ValueError(f"deck id {self.id!r} is not a slug")
        if len({card.id for card in self.cards}) != len(self.cards):
            raise ValueError(f"deck {self.id!r} has duplicate card ids")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A complete deck from an import, plus messages about the rows that were skipped, and the
    file's review history when it has one (an Anki package with scheduling), and the media files
    its cards name (an Anki package)."""

    deck: Deck
    warnings: tuple[str, ...] = ()
    history: DeckHistory | None = None
    media: tuple[MediaFile, ...] = ()


def is_valid_slug(text: str) -> bool:
    """True for `[a-z0-9][a-z0-9._-]*` of at most 64 characters: deck ids and card keys."""
    return len(text) <= MAX_SLUG_LENGTH and _SLUG.fullmatch(text) is not None


def slugify(name: str) -> str:
    """A lowercase ASCII slug ("Neural nets!" -> "neural-nets"); "deck" if nothing is left."""
    # NFKD splits "é" into "e" plus an accent, which the ASCII encode then drops.
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG_CHARS.sub("-", ascii_name.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-") or "deck"


def distinct_slug(name: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`slugify(name)` cut to `max_length`, plus 8 hex characters of a hash of the name when it
    has letters or digits beyond ASCII, which slugify drops: "Русский" and "日本語" would both be
    "deck" (so importing one replaced the other). Equal names give equal slugs."""
    slug = slugify(name)
    if not any(c.isalnum() and not c.isascii() for c in unicodedata.normalize("NFKD", name)):
        return slug[:max_length].rstrip("-.")
    digest = hashlib.sha256(" ".join(name.split()).casefold().encode("utf-8")).hexdigest()[:8]
    return f"{slug[: max_length - 9].rstrip('-.')}-{digest}"


def card_key_for(question: str) -> str:
    """12 hex characters of SHA-256 of the question, ignoring case and whitespace differences
    and the file names in media markers (ids from before media was kept stay the same)."""
    return _question_hash(nameless_markers(question))


def question_key_for(question: str) -> str:
    """What makes two questions the same one (case and whitespace aside): unlike the card key,
    a picture's file name counts, so "Which structure is this? [image: a.png]" and the same with
    b.png are two questions."""
    return _question_hash(question)


def _question_hash(question: str) -> str:
    normalised = " ".join(question.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def make_card_id(deck_id: str, key: str) -> str:
    """The globally unique card id: the deck id makes equal keys in different decks distinct."""
    return f"{deck_id}:{key}"


def tidy_text(text: str) -> str:
    """Drop trailing whitespace of each line and blank lines around the text; keep inner lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def deck_id_of(card_id: str) -> str:
    """The deck a card belongs to: card ids are `make_card_id(deck_id, key)`."""
    return card_id.partition(":")[0]


def card_key_of(card_id: str) -> str:
    """The key part of a card id: what exports write, so a re-import gives the same id."""
    return card_id.partition(":")[2]
