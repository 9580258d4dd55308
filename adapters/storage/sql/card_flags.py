"""Leech rescue (`core.leeches`), both backends: hints, suspensions and the pending hint prompt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from adapters.storage.sql.codec import instant_from_sql, instant_to_sql, placeholders
from adapters.storage.sql.execution import Reader, Write
from core.leeches.model import HintPrompt, SuspendedCard

__all__ = ["NOT_SUSPENDED", "SqlCardFlagRepository"]

# A clause for queue queries on card ids `{card}`: the learner `?` has not suspended the card.
NOT_SUSPENDED = (
    "NOT EXISTS (SELECT 1 FROM card_flags f WHERE f.learner_id = ? AND f.card_id = {card}"
    " AND f.suspended_at IS NOT NULL)"
)
_SET_HINT = (
    "INSERT INTO card_flags (learner_id, card_id, hint) VALUES (?, ?, ?)"
    " ON CONFLICT (learner_id, card_id) DO UPDATE SET hint = excluded.hint"
)
_SUSPEND = (
    "INSERT INTO card_flags (learner_id, card_id, suspended_at) VALUES (?, ?, ?)"
    " ON CONFLICT (learner_id, card_id) DO UPDATE SET suspended_at = excluded.suspended_at"
)
_OPEN_PROMPT = (
    "INSERT INTO hint_prompts (learner_id, card_id, chat_id, expires_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (learner_id) DO UPDATE SET card_id = excluded.card_id,"
    " chat_id = excluded.chat_id, expires_at = excluded.expires_at"
)


class SqlCardFlagRepository:
    """`inline` answers the review path's hint lookups (a primary-key read per shown card)."""

    def __init__(self, reader: Reader, staged: list[Write], inline: Reader | None = None) -> None:
        self._reader = reader
        self._staged = staged
        self._inline = inline or reader

    async def hint(self, learner_id: int, card_id: str) -> str | None:
        rows = await self._inline.execute_fetchall(
            "SELECT hint FROM card_flags WHERE learner_id = ? AND card_id = ?",
            (learner_id, card_id),
        )
        return next((row[0] for row in rows), None)

    async def lapses(
        self, learner_ids: Sequence[int], card_ids: Sequence[str], at_least: int
    ) -> dict[tuple[int, str], int]:
        if not learner_ids or not card_ids:
            return {}
        rows = await self._reader.execute_fetchall(
            "SELECT learner_id, card_id, lapses FROM card_states"
            f" WHERE learner_id IN ({placeholders(len(learner_ids))})"
            f" AND card_id IN ({placeholders(len(card_ids))}) AND lapses >= ?",
            (*learner_ids, *card_ids, at_least),
        )
        return {(int(row[0]), row[1]): int(row[2]) for row in rows}

    async def leech_count(self, learner_id: int, threshold: int) -> int:
        rows = await self._reader.execute_fetchall(
            "SELECT COUNT(*) FROM card_states s WHERE s.learner_id = ? AND s.lapses >= ? AND "
            + NOT_SUSPENDED.format(card="s.card_id"),
            (learner_id, threshold, learner_id),
        )
        return int(next(iter(rows))[0])

    async def suspended(self, learner_id: int) -> list[SuspendedCard]:
        rows = await self._reader.execute_fetchall(
            "SELECT f.card_id, c.question, f.suspended_at FROM card_flags f"
            " JOIN cards c ON c.id = f.card_id"
            " WHERE f.learner_id = ? AND f.suspended_at IS NOT NULL"
            " ORDER BY f.suspended_at DESC, f.card_id",
            (learner_id,),
        )
        return [SuspendedCard(row[0], row[1], instant_from_sql(row[2])) for row in rows]

    async def suspended_count(self, learner_id: int) -> int:
        rows = await self._reader.execute_fetchall(
            "SELECT COUNT(*) FROM card_flags WHERE learner_id = ? AND suspended_at IS NOT NULL",
            (learner_id,),
        )
        return int(next(iter(rows))[0])

    async def reviewed_card(self, learner_id: int, session_id: int, step: int) -> str | None:
        rows = await self._reader.execute_fetchall(
            "SELECT card_id FROM review_log WHERE source = 'review' AND source_id = ?"
            " AND learner_id = ? AND step = ?",
            (session_id, learner_id, step),
        )
        return next((row[0] for row in rows), None)

    async def prompt(self, learner_id: int) -> HintPrompt | None:
        rows = await self._reader.execute_fetchall(
            "SELECT learner_id, card_id, chat_id, expires_at FROM hint_prompts"
            " WHERE learner_id = ?",
            (learner_id,),
        )
        return next(
            (HintPrompt(row[0], row[1], row[2], instant_from_sql(row[3])) for row in rows), None
        )

    def set_hint(self, learner_id: int, card_id: str, hint: str | None) -> None:
        self._staged.append(Write(_SET_HINT, (learner_id, card_id, hint), 1))

    def suspend(self, learner_id: int, card_id: str, at: datetime) -> None:
        self._staged.append(Write(_SUSPEND, (learner_id, card_id, instant_to_sql(at)), 1))

    def restore(self, learner_id: int, card_id: str) -> None:
        self._staged.append(
            Write(
                "UPDATE card_flags SET suspended_at = NULL WHERE learner_id = ? AND card_id = ?",
                (learner_id, card_id),
            )
        )

    def open_prompt(self, prompt: HintPrompt) -> None:
        params = (
            prompt.learner_id,
            prompt.card_id,
            prompt.chat_id,
            instant_to_sql(prompt.expires_at),
        )
        self._staged.append(Write(_OPEN_PROMPT, params, 1))

    def close_prompt(self, learner_id: int) -> None:
        self._staged.append(Write("DELETE FROM hint_prompts WHERE learner_id = ?", (learner_id,)))
