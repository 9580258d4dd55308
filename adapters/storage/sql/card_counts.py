"""Many capped card counts in one statement: a claim batch's due and unseen cards.

Each count is its own subquery with its own LIMIT (the first `limit` rows the per-learner
lookup would give, counted, not returned), and the subqueries are joined by UNION ALL, each
row tagged with its query's position: one round trip for up to `_QUERIES_PER_STATEMENT`
learners instead of one each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from adapters.storage.sql.card_flags import NOT_SUSPENDED
from adapters.storage.sql.codec import instant_to_sql, placeholders
from adapters.storage.sql.execution import Reader
from core.card_state import CardCountQuery

__all__ = ["count_due", "count_unseen"]

# Both engines take far more (SQLite 500 compound SELECTs, 32,766 parameters); smaller
# statements keep each one's planning short.
_QUERIES_PER_STATEMENT = 100
_PARAMETERS_PER_STATEMENT = 10_000

# One query's subquery and its parameters.
_Part = Callable[[CardCountQuery], tuple[str, tuple[object, ...]]]


async def count_due(reader: Reader, queries: Sequence[CardCountQuery], now: datetime) -> list[int]:
    at = instant_to_sql(now)

    def part(query: CardCountQuery) -> tuple[str, tuple[object, ...]]:
        sql = (
            "SELECT 1 FROM card_states WHERE learner_id = ? AND due_at <= ?"
            f" AND deck_id IN ({placeholders(len(query.deck_ids))})"
            f" AND {NOT_SUSPENDED.format(card='card_states.card_id')} LIMIT ?"
        )
        return sql, (query.learner_id, at, *query.deck_ids, query.learner_id, query.limit)

    return await _counts(reader, queries, part)


async def count_unseen(reader: Reader, queries: Sequence[CardCountQuery]) -> list[int]:
    def part(query: CardCountQuery) -> tuple[str, tuple[object, ...]]:
        sql = (
            f"SELECT 1 FROM cards c WHERE c.deck_id IN ({placeholders(len(query.deck_ids))})"
            " AND NOT EXISTS"
            " (SELECT 1 FROM card_states s WHERE s.learner_id = ? AND s.card_id = c.id)"
            f" AND {NOT_SUSPENDED.format(card='c.id')} LIMIT ?"
        )
        return sql, (*query.deck_ids, query.learner_id, query.learner_id, query.limit)

    return await _counts(reader, queries, part)


async def _counts(reader: Reader, queries: Sequence[CardCountQuery], part: _Part) -> list[int]:
    counts = [0] * len(queries)
    # A query with no decks or no room counts nothing: no subquery for it.
    asked = [i for i, query in enumerate(queries) if query.limit > 0 and query.deck_ids]
    for chunk in _chunks(asked, queries):
        selects, params = [], []
        for i in chunk:
            sql, values = part(queries[i])
            # The position is a literal: a parameter in a select list has no type in PostgreSQL.
            selects.append(f"SELECT {int(i)}, COUNT(*) FROM ({sql}) AS q{int(i)}")
            params.extend(values)
        for row in await reader.execute_fetchall(" UNION ALL ".join(selects), params):
            counts[int(row[0])] = int(row[1])
    return counts


def _chunks(indexes: list[int], queries: Sequence[CardCountQuery]) -> list[list[int]]:
    """The queries' positions in statements of bounded size."""
    chunks: list[list[int]] = []
    size = 0
    for i in indexes:
        needed = len(queries[i].deck_ids) + 4
        full = size + needed > _PARAMETERS_PER_STATEMENT
        if not chunks or full or len(chunks[-1]) >= _QUERIES_PER_STATEMENT:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += needed
    return chunks
