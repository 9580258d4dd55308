"""Daily-push subscriptions; the minutely tick leases due ones (found through an index on
`next_push_at`) and moves each on by a versioned save once it went out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.storage.sql.codec import (
    date_from_sql,
    date_to_sql,
    instant_from_sql,
    instant_to_sql,
    placeholders,
    time_from_sql,
    time_to_sql,
)
from adapters.storage.sql.dialect import Dialect
from adapters.storage.sql.execution import Reader, Submitter, Write
from core.reminders.model import Subscription

__all__ = ["SqlSubscriptionRepository"]

_COLUMNS = (
    "id, chat_id, learner_id, local_time, time_zone, next_push_at, last_sent_day, version, deck_id"
)
_INSERT = f"INSERT INTO subscriptions ({_COLUMNS}) VALUES ({placeholders(9)})"
_UPDATE = (
    "UPDATE subscriptions SET chat_id = ?, learner_id = ?, local_time = ?, time_zone = ?,"
    " next_push_at = ?, last_sent_day = ?, version = ?, deck_id = ?,"
    " lease_owner = NULL, lease_until = NULL WHERE id = ? AND version = ?"
)  # a save ends any lease: the push went out, was skipped, or the chat chose another time


def _values(subscription: Subscription) -> tuple[object, ...]:
    last_sent = subscription.last_sent_day
    return (
        subscription.chat_id, subscription.learner_id, time_to_sql(subscription.local_time),
        subscription.time_zone, instant_to_sql(subscription.next_push_at),
        None if last_sent is None else date_to_sql(last_sent), subscription.version,
        subscription.deck_id,
    )  # fmt: skip


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row[0], chat_id=row[1], learner_id=row[2], local_time=time_from_sql(row[3]),
        time_zone=row[4], next_push_at=instant_from_sql(row[5]),
        last_sent_day=None if row[6] is None else date_from_sql(row[6]), version=row[7],
        deck_id=row[8],
    )  # fmt: skip


class SqlSubscriptionRepository:
    def __init__(
        self, reader: Reader, writer: Submitter, staged: list[Write], dialect: Dialect
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._staged = staged
        # One statement picks and leases the rows. PostgreSQL locks what it picked and skips what
        # another worker's claim holds; on SQLite the writer's BEGIN IMMEDIATE serialises claims.
        self._claim = (
            "UPDATE subscriptions SET lease_owner = ?, lease_until = ? WHERE id IN ("
            " SELECT id FROM subscriptions WHERE next_push_at <= ?"
            " AND (lease_until IS NULL OR lease_until <= ?)"
            f" ORDER BY next_push_at, id LIMIT ?{dialect.skip_locked})"
        )

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE next_push_at <= ?"
            " ORDER BY next_push_at, id LIMIT ?",
            (instant_to_sql(now), limit),
        )
        return [_subscription(row) for row in rows]

    async def claim_due(
        self, now: datetime, limit: int, claim: str, lease_until: datetime
    ) -> list[Subscription]:
        at = instant_to_sql(now)
        params = (claim, instant_to_sql(lease_until), at, at, limit)
        await self._writer.submit([Write(self._claim, params)])
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE lease_owner = ? ORDER BY next_push_at, id",
            (claim,),
        )
        return [_subscription(row) for row in rows]

    async def for_chat(self, chat_id: int, learner_id: int | None) -> Subscription | None:
        params: tuple[object, ...]
        if learner_id is None:
            where, params = "chat_id = ? AND learner_id IS NULL", (chat_id,)
        else:
            where, params = "chat_id = ? AND learner_id = ?", (chat_id, learner_id)
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE {where}", params
        )
        return next((_subscription(row) for row in rows), None)

    def save(self, subscription: Subscription) -> None:
        if subscription.version == 1:
            params = (subscription.id, *_values(subscription))
            self._staged.append(Write(_INSERT, params, 1))
        else:
            params = (*_values(subscription), subscription.id, subscription.version - 1)
            self._staged.append(Write(_UPDATE, params, 1))

    def delete(self, subscription_id: int) -> None:
        self._staged.append(Write("DELETE FROM subscriptions WHERE id = ?", (subscription_id,)))
