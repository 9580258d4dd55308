"""Decks and their cards in SQLite.

A re-save upserts the deck and every card by id (so learners' progress on kept cards survives),
stamps them with the deck's new revision, and deletes the deck's cards left on an older revision.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from adapters.storage.sqlite_codec import placeholders, strings_from_sql, strings_to_sql
from adapters.storage.sqlite_reader import Reader
from adapters.storage.sqlite_writer import Write
from core.decks.model import Card, Deck
from core.ports import DeckInfo

__all__ = ["CardCache", "SqliteDeckRepository"]

_DECK_INFO = (
    "SELECT d.id, d.name, d.description,"
    " (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id), d.owner_chat_id FROM decks d"
)
_CARD_COLUMNS = "id, question, answer, note, tags"
_UPSERT_DECK = (
    "INSERT INTO decks (id, name, description, owner_chat_id, revision, updated_at)"
    " VALUES (?, ?, ?, ?, 1, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " owner_chat_id = excluded.owner_chat_id, revision = decks.revision + 1,"
    " updated_at = excluded.updated_at"
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
_CHUNK = 500


def _info(row: Any) -> DeckInfo:
    return DeckInfo(
        id=row[0], name=row[1], description=row[2], card_count=row[3], owner_chat_id=row[4]
    )


def _card(row: Any) -> Card:
    return Card(
        id=row[0], question=row[1], answer=row[2], note=row[3], tags=strings_from_sql(row[4])
    )


class CardCache:
    """Cards by id, shared by a store's units of work: every shown card is read again when
    revealed and rated, and cards change only when a deck is saved.

    A deck save clears it after commit. A read that started before the clear must not put its
    (possibly old) rows back, hence the generation check.
    """

    def __init__(self, max_cards: int = 50_000) -> None:
        self._cards: dict[str, Card] = {}
        self._max_cards = max_cards
        self.generation = 0

    def get(self, card_id: str) -> Card | None:
        return self._cards.get(card_id)

    def put(self, cards: Sequence[Card], generation: int) -> None:
        if generation != self.generation:
            return
        if len(self._cards) + len(cards) > self._max_cards:
            self._cards.clear()  # rare, and cheaper than tracking recency on every hit
        self._cards.update((card.id, card) for card in cards)

    def clear(self) -> None:
        self._cards.clear()
        self.generation += 1


class SqliteDeckRepository:
    def __init__(self, reader: Reader, staged: list[Write], cache: CardCache) -> None:
        self._reader = reader
        self._staged = staged
        self._cache = cache
        self.saved = False  # the unit clears the cache once its deck writes are committed

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

    async def cards(self, deck_id: str) -> tuple[Card, ...]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE deck_id = ? ORDER BY position", (deck_id,)
        )
        return tuple(_card(row) for row in rows)

    async def cards_by_id(self, card_ids: Sequence[str]) -> dict[str, Card]:
        found: dict[str, Card] = {}
        wanted = []
        for card_id in dict.fromkeys(card_ids):
            cached = self._cache.get(card_id)
            if cached is None:
                wanted.append(card_id)
            else:
                found[card_id] = cached
        generation = self._cache.generation
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = await self._reader.execute_fetchall(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE id IN ({placeholders(len(chunk))})",
                chunk,
            )
            cards = [_card(row) for row in rows]
            self._cache.put(cards, generation)
            found.update((card.id, card) for card in cards)
        return found

    def save(self, deck: Deck, owner_chat_id: int | None) -> None:
        self.saved = True
        updated_at = time.time_ns() // 1_000_000
        self._staged.append(
            Write(_UPSERT_DECK, (deck.id, deck.name, deck.description, owner_chat_id, updated_at))
        )
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
