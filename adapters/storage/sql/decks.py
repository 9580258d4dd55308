"""Decks and their cards.

A re-save upserts the deck and every card by id (so learners' progress on kept cards survives),
stamps them with the deck's new revision, and deletes the deck's cards left on an older revision.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from adapters.storage.sql.codec import placeholders, strings_from_sql, strings_to_sql
from adapters.storage.sql.execution import IDS_PER_STATEMENT, Reader, Write, rows_for_ids
from core.decks.content_hash import deck_content_hash
from core.decks.media import MediaRef
from core.decks.model import Card, Deck
from core.ports import DeckInfo

__all__ = ["CardCache", "SqlDeckRepository"]

_DECK_INFO = (
    "SELECT d.id, d.name, d.description,"
    " (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id), d.owner_chat_id FROM decks d"
)
_CARD_COLUMNS = "id, question, answer, note, tags"
_UPSERT_DECK = (
    "INSERT INTO decks (id, name, description, owner_chat_id, revision, updated_at, content_hash)"
    " VALUES (?, ?, ?, ?, 1, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " owner_chat_id = excluded.owner_chat_id, revision = decks.revision + 1,"
    " updated_at = excluded.updated_at, content_hash = excluded.content_hash"
)
_UPSERT_CARD = (
    "INSERT INTO cards (id, deck_id, position, question, answer, note, tags, revision)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT revision FROM decks WHERE id = ?))"
    " ON CONFLICT (id) DO UPDATE SET deck_id = excluded.deck_id, position = excluded.position,"
    " question = excluded.question, answer = excluded.answer, note = excluded.note,"
    " tags = excluded.tags, revision = excluded.revision"
)
_DELETE_DROPPED_CARDS = (
    "DELETE FROM cards WHERE deck_id = ? AND revision <> (SELECT revision FROM decks WHERE id = ?)"
)
_DELETE_MEDIA = "DELETE FROM deck_media WHERE deck_id = ?"
_INSERT_MEDIA = "INSERT INTO deck_media (deck_id, name, content_id, media_type) VALUES (?, ?, ?, ?)"


def _info(row: Any) -> DeckInfo:
    return DeckInfo(
        id=row[0], name=row[1], description=row[2], card_count=row[3], owner_chat_id=row[4]
    )


def _card(row: Any) -> Card:
    return Card(
        id=row[0], question=row[1], answer=row[2], note=row[3], tags=strings_from_sql(row[4])
    )


class CardCache:
    """Cards by id with the deck revision they were read at, shared by a store's units of work:
    every shown card is read again when revealed and rated.

    Another process (a `quizbot deck import` beside `quizbot run`) may save a deck at any time,
    so an entry is only used while its deck is still at that revision: each unit of work reads
    the revisions of the decks it hits once (a primary-key lookup) instead of the cards.
    """

    def __init__(self, max_cards: int = 50_000) -> None:
        self._cards: dict[str, tuple[str, int, Card]] = {}  # card id -> deck id, revision, card
        self._max_cards = max_cards

    def get(self, card_id: str) -> tuple[str, int, Card] | None:
        return self._cards.get(card_id)

    def put(self, entries: Sequence[tuple[str, int, Card]]) -> None:
        if len(self._cards) + len(entries) > self._max_cards:
            self._cards.clear()  # rare, and cheaper than tracking recency on every hit
        self._cards.update(
            (card.id, (deck_id, revision, card)) for deck_id, revision, card in entries
        )


class SqlDeckRepository:
    def __init__(
        self, reader: Reader, inline: Reader, staged: list[Write], cache: CardCache
    ) -> None:
        self._reader = reader
        self._inline = inline
        self._staged = staged
        self._cache = cache
        self._revisions: dict[str, int | None] = {}  # deck revisions read in this unit of work
        self.saved = False  # the unit forgets those revisions once its deck writes are committed

    def forget_revisions(self) -> None:
        self._revisions.clear()

    async def get(self, deck_id: str) -> DeckInfo | None:
        rows = await self._reader.execute_fetchall(f"{_DECK_INFO} WHERE d.id = ?", (deck_id,))
        return next((_info(row) for row in rows), None)

    async def visible_in(self, chat_id: int | None) -> list[DeckInfo]:
        params: tuple[object, ...]
        if chat_id is None:
            where, params = "d.owner_chat_id IS NULL", ()
        else:
            where, params = "d.owner_chat_id IS NULL OR d.owner_chat_id = ?", (chat_id,)
        rows = await self._reader.execute_fetchall(
            f"{_DECK_INFO} WHERE {where} ORDER BY d.name, d.id", params
        )
        return [_info(row) for row in rows]

    async def visible_ids_in(self, chat_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        wanted = list(dict.fromkeys(chat_ids))
        visible: dict[int, list[str]] = {chat_id: [] for chat_id in wanted}
        for start in range(0, len(wanted), IDS_PER_STATEMENT):
            chunk = wanted[start : start + IDS_PER_STATEMENT]
            # Ordered as `visible_in` orders (the database's collation, not Python's): each
            # chat's list keeps that order, a bundled deck going into every chat's.
            rows = await self._reader.execute_fetchall(
                "SELECT d.id, d.owner_chat_id FROM decks d WHERE d.owner_chat_id IS NULL"
                f" OR d.owner_chat_id IN ({placeholders(len(chunk))}) ORDER BY d.name, d.id",
                chunk,
            )
            for deck_id, owner in rows:
                for chat_id in chunk if owner is None else (int(owner),):
                    visible[chat_id].append(deck_id)
        return {chat_id: tuple(deck_ids) for chat_id, deck_ids in visible.items()}

    async def names_of(self, deck_ids: Sequence[str]) -> dict[str, str]:
        sql = "SELECT id, name FROM decks WHERE id IN ({ids})"
        return {deck_id: name for deck_id, name in await rows_for_ids(self._reader, sql, deck_ids)}

    async def cards(self, deck_id: str) -> tuple[Card, ...]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE deck_id = ? ORDER BY position", (deck_id,)
        )
        return tuple(_card(row) for row in rows)

    async def cards_by_id(self, card_ids: Sequence[str]) -> dict[str, Card]:
        hits: list[tuple[str, int, Card]] = []
        wanted: list[str] = []
        for card_id in dict.fromkeys(card_ids):
            entry = self._cache.get(card_id)
            if entry is None:
                wanted.append(card_id)
            else:
                hits.append(entry)
        found: dict[str, Card] = {}
        if hits:
            revisions = await self._deck_revisions({deck_id for deck_id, _, _ in hits})
            for deck_id, revision, card in hits:
                if revisions[deck_id] == revision:
                    found[card.id] = card
                else:
                    wanted.append(card.id)
        if wanted:
            sql = f"SELECT {_CARD_COLUMNS}, deck_id, revision FROM cards WHERE id IN ({{ids}})"
            rows = await rows_for_ids(self._reader, sql, wanted)
            # Each row carries the revision it was read at, so a read racing a save is harmless.
            entries = [(row[5], row[6], _card(row)) for row in rows]
            self._cache.put(entries)
            found.update((card.id, card) for _, _, card in entries)
        return found

    async def _deck_revisions(self, deck_ids: set[str]) -> dict[str, int | None]:
        """Current revisions (None: the deck is gone), read once per unit of work."""
        unknown = [deck_id for deck_id in deck_ids if deck_id not in self._revisions]
        if unknown:
            self._revisions.update(dict.fromkeys(unknown))
            rows = await self._inline.execute_fetchall(
                f"SELECT id, revision FROM decks WHERE id IN ({placeholders(len(unknown))})",
                unknown,
            )
            self._revisions.update((row[0], row[1]) for row in rows)
        return self._revisions

    async def content_hash(self, deck_id: str) -> str | None:
        rows = await self._reader.execute_fetchall(
            "SELECT content_hash FROM decks WHERE id = ?", (deck_id,)
        )
        return next((row[0] for row in rows), None)

    def save(self, deck: Deck, owner_chat_id: int | None) -> None:
        self.saved = True
        updated_at = time.time_ns() // 1_000_000
        deck_row = (deck.id, deck.name, deck.description, owner_chat_id, updated_at)
        self._staged.append(Write(_UPSERT_DECK, (*deck_row, deck_content_hash(deck))))
        for position, card in enumerate(deck.cards):
            params = (
                card.id,
                deck.id,
                position,
                card.question,
                card.answer,
                card.note,
                strings_to_sql(card.tags),
                deck.id,
            )
            self._staged.append(Write(_UPSERT_CARD, params))
        self._staged.append(Write(_DELETE_DROPPED_CARDS, (deck.id, deck.id)))

    def save_media(self, deck_id: str, media: Sequence[MediaRef]) -> None:
        self._staged.append(Write(_DELETE_MEDIA, (deck_id,)))
        for ref in media:
            row = (deck_id, ref.name, ref.content_id, ref.media_type)
            self._staged.append(Write(_INSERT_MEDIA, row))

    async def media(self, deck_id: str) -> dict[str, MediaRef]:
        rows = await self._reader.execute_fetchall(
            "SELECT name, content_id, media_type FROM deck_media WHERE deck_id = ?", (deck_id,)
        )
        return {row[0]: MediaRef(row[0], row[1], row[2]) for row in rows}

    async def media_in_use(self) -> set[str]:
        rows = await self._reader.execute_fetchall("SELECT DISTINCT content_id FROM deck_media")
        return {row[0] for row in rows}
