"""Many capped card counts in a few statements: a claim batch's due and unseen cards.

Suspended cards are left out by subtraction, not probed card by card: they are few, so a batch
counts them grouped by learner and deck and takes them off. Unseen cards are each deck's cards
less the learner's states in it (`count_unseen`). Each due count is the per-learner lookup with
its LIMIT (the first `limit` rows it would give, counted, not returned). SQLite joins one
subquery per count by UNION ALL, each row tagged with its count's position. PostgreSQL would
spend about as long planning such a statement as running it (README, Benchmarks), so there the
counts that share their decks are rows of a VALUES list, and one correlated subquery, planned
once, runs for each (its LIMIT may name the row's own cap there; SQLite's may not).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from adapters.storage.sql.codec import instant_to_sql, placeholders
from adapters.storage.sql.dialect import Dialect
from adapters.storage.sql.execution import Reader, rows_for_ids
from core.card_state import CardCountQuery

__all__ = ["count_due", "count_unseen"]

# Well within both engines' limits (SQLite: 500 compound SELECTs, 32,766 parameters).
_COUNTS_PER_STATEMENT = 100
_PARAMETERS_PER_STATEMENT = 10_000


# The lookup of one count: (learner expression, cap expression, deck count) → SQL.
_Lookup = Callable[[str, str, int], str]


def _due_lookup(learner: str, cap: str, decks: int) -> str:
    return (
        f"SELECT 1 FROM card_states WHERE learner_id = {learner} AND due_at <= ?"
        f" AND deck_id IN ({placeholders(decks)}) LIMIT {cap}"
    )


# Grouped counts by (learner, deck): the learners' placeholders first, then the due instant
# where there is one, then the decks'.
_SUSPENDED_DUE = (
    "SELECT s.learner_id, s.deck_id, COUNT(*) FROM card_flags f JOIN card_states s"
    " ON s.learner_id = f.learner_id AND s.card_id = f.card_id WHERE f.learner_id {learners}"
    " AND f.suspended_at IS NOT NULL AND s.due_at <= ? AND s.deck_id {decks}"
    " GROUP BY s.learner_id, s.deck_id"
)
_STATES = (
    "SELECT learner_id, deck_id, COUNT(*) FROM card_states WHERE learner_id {learners}"
    " AND deck_id {decks} GROUP BY learner_id, deck_id"
)
_SUSPENDED_UNSEEN = (
    "SELECT f.learner_id, c.deck_id, COUNT(*) FROM card_flags f JOIN cards c ON c.id = f.card_id"
    " WHERE f.learner_id {learners} AND f.suspended_at IS NOT NULL AND c.deck_id {decks}"
    " AND NOT EXISTS (SELECT 1 FROM card_states s WHERE s.learner_id = f.learner_id"
    " AND s.card_id = f.card_id) GROUP BY f.learner_id, c.deck_id"
)

_Grouped = dict[tuple[int, str], int]


async def count_due(
    reader: Reader, dialect: Dialect, queries: Sequence[CardCountQuery], now: datetime
) -> list[int]:
    """Due cards, suspended ones left out by subtraction: each lookup counts that many further
    (they are few) and they are taken off, so no due card is probed for a suspension."""
    at = instant_to_sql(now)
    suspended = await _grouped(reader, queries, (_SUSPENDED_DUE,), (at,))
    widened = [replace(q, limit=q.limit + _total(suspended, q)) if q.limit else q for q in queries]
    if dialect.correlated_limit:
        counts = await _by_decks(reader, widened, _due_lookup, lambda decks: (at, *decks))
    else:
        counts = await _by_union(
            reader, widened, _due_lookup, lambda q: (q.learner_id, at, *q.deck_ids)
        )
    return [
        min(q.limit, max(0, n - _total(suspended, q))) for q, n in zip(queries, counts, strict=True)
    ]


async def count_unseen(reader: Reader, queries: Sequence[CardCountQuery]) -> list[int]:
    """Unseen cards by subtraction: each deck's cards less the learner's states in it (and
    any card suspended before it had one), three grouped counts for the whole batch. Looked
    up card by card, a learner's cards already seen were each probed before an unseen one
    turned up: the claim's costliest read."""
    counts = [0] * len(queries)
    asked = _asked(queries)
    if not asked:
        return counts
    decks = list(dict.fromkeys(deck for i in asked for deck in queries[i].deck_ids))
    rows = await reader.execute_fetchall(
        f"SELECT deck_id, COUNT(*) FROM cards WHERE deck_id IN ({placeholders(len(decks))})"
        " GROUP BY deck_id",
        decks,
    )
    totals = {row[0]: int(row[1]) for row in rows}
    taken = await _grouped(reader, queries, (_STATES, _SUSPENDED_UNSEEN))
    for i in asked:
        query = queries[i]
        unseen = sum(totals.get(deck, 0) for deck in dict.fromkeys(query.deck_ids))
        counts[i] = min(query.limit, max(0, unseen - _total(taken, query)))
    return counts


async def _grouped(
    reader: Reader,
    queries: Sequence[CardCountQuery],
    statements: Sequence[str],
    extra: tuple[object, ...] = (),
) -> _Grouped:
    """The rows of `statements` (learner, deck, count) over the asked queries' learners and
    decks, summed by (learner, deck)."""
    asked = _asked(queries)
    found: _Grouped = defaultdict(int)
    if not asked:
        return found
    decks = list(dict.fromkeys(deck for i in asked for deck in queries[i].deck_ids))
    learners = [queries[i].learner_id for i in asked]
    in_decks = f"IN ({placeholders(len(decks))})"
    for statement in statements:
        sql = statement.format(learners="IN ({ids})", decks=in_decks)
        for row in await rows_for_ids(reader, sql, learners, after=[*extra, *decks]):
            found[(int(row[0]), row[1])] += int(row[2])
    return found


def _total(grouped: _Grouped, query: CardCountQuery) -> int:
    return sum(grouped.get((query.learner_id, deck), 0) for deck in dict.fromkeys(query.deck_ids))


def _asked(queries: Sequence[CardCountQuery]) -> list[int]:
    """Positions of the counts to read: one with no decks or no room counts nothing."""
    return [i for i, query in enumerate(queries) if query.limit > 0 and query.deck_ids]


async def _by_union(
    reader: Reader,
    queries: Sequence[CardCountQuery],
    lookup: _Lookup,
    values: Callable[[CardCountQuery], tuple[object, ...]],
) -> list[int]:
    """One subquery per count (its parameters: `values`, then the cap), UNION ALL."""
    counts = [0] * len(queries)
    for chunk in _chunks(_asked(queries), queries):
        selects, params = [], []
        for i in chunk:
            sql = lookup("?", "?", len(queries[i].deck_ids))
            # The position is a literal: a parameter in a select list has no type in PostgreSQL.
            selects.append(f"SELECT {int(i)}, COUNT(*) FROM ({sql}) AS q{int(i)}")
            params.extend((*values(queries[i]), queries[i].limit))
        for row in await reader.execute_fetchall(" UNION ALL ".join(selects), params):
            counts[int(row[0])] = int(row[1])
    return counts


async def _by_decks(
    reader: Reader,
    queries: Sequence[CardCountQuery],
    lookup: _Lookup,
    values: Callable[[tuple[str, ...]], tuple[object, ...]],
) -> list[int]:
    """One statement per set of decks: its counts are VALUES rows (position, learner, cap),
    each counted by the same correlated lookup (its other parameters: `values` of the decks)."""
    counts = [0] * len(queries)
    by_decks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in _asked(queries):
        by_decks[queries[i].deck_ids].append(i)
    for deck_ids, asked in by_decks.items():
        for start in range(0, len(asked), _PARAMETERS_PER_STATEMENT // 2):
            chunk = asked[start : start + _PARAMETERS_PER_STATEMENT // 2]
            rows = ", ".join(f"({int(i)}, CAST(? AS BIGINT), CAST(? AS BIGINT))" for i in chunk)
            sql = (
                f"WITH q (i, learner_id, cap) AS (VALUES {rows}) SELECT q.i, (SELECT COUNT(*)"
                f" FROM ({lookup('q.learner_id', 'q.cap', len(deck_ids))}) AS x) FROM q"
            )
            params = [v for i in chunk for v in (queries[i].learner_id, queries[i].limit)]
            params.extend(values(deck_ids))
            for row in await reader.execute_fetchall(sql, params):
                counts[int(row[0])] = int(row[1])
    return counts


def _chunks(indexes: list[int], queries: Sequence[CardCountQuery]) -> list[list[int]]:
    """The counts' positions in statements of bounded size."""
    chunks: list[list[int]] = []
    size = 0
    for i in indexes:
        needed = len(queries[i].deck_ids) + 4
        full = size + needed > _PARAMETERS_PER_STATEMENT
        if not chunks or full or len(chunks[-1]) >= _COUNTS_PER_STATEMENT:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += needed
    return chunks
