"""Pending Anki history offers (`core.decks.history_offers`), both backends."""

from __future__ import annotations

from datetime import datetime

from adapters.storage.sql.codec import instant_from_sql, instant_to_sql, placeholders
from adapters.storage.sql.execution import Reader, Write
from core.decks.history_offers import HistoryOffer

__all__ = ["SqlHistoryOfferRepository"]

_COLUMNS = "id, learner_id, deck_id, deck_name, file_name, data, created_at"


class SqlHistoryOfferRepository:
    def __init__(self, reader: Reader, staged: list[Write]) -> None:
        self._reader = reader
        self._staged = staged

    async def get(self, offer_id: int) -> HistoryOffer | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM history_offers WHERE id = ?", (offer_id,)
        )
        for row in rows:
            return HistoryOffer(
                row[0], row[1], row[2], row[3], row[4], bytes(row[5]), instant_from_sql(row[6])
            )
        return None

    def save(self, offer: HistoryOffer) -> None:
        params = (
            offer.id, offer.learner_id, offer.deck_id, offer.deck_name, offer.file_name,
            offer.data, instant_to_sql(offer.created_at),
        )  # fmt: skip
        sql = f"INSERT INTO history_offers ({_COLUMNS}) VALUES ({placeholders(7)})"
        self._staged.append(Write(sql, params, 1))

    def delete(self, offer_id: int) -> None:
        self._staged.append(Write("DELETE FROM history_offers WHERE id = ?", (offer_id,), 1))

    def delete_older_than(self, cutoff: datetime) -> None:
        self._staged.append(
            Write("DELETE FROM history_offers WHERE created_at < ?", (instant_to_sql(cutoff),))
        )
