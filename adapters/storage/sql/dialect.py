"""Where SQLite and PostgreSQL differ in the shared statements: only a little.

The shared SQL keeps to what both engines take alike (standard types, `ON CONFLICT … DO UPDATE`
with `excluded`, `CAST`, `VALUES` in a CTE, no date functions: instants are integer milliseconds).
What is left is the placeholder style, the two-argument minimum, row locks (SQLite has none:
its writer's BEGIN IMMEDIATE serialises every write) and a LIMIT that names an outer row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["POSTGRES", "SQLITE", "Dialect", "numbered_placeholders"]


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    least: str  # the scalar minimum of two values: MIN(a, b), LEAST(a, b) in PostgreSQL
    # After a SELECT that picks rows to claim: concurrent claimers skip each other's rows.
    skip_locked: str = ""
    # Whether a correlated subquery's LIMIT may name the outer row's columns (SQLite's may not).
    correlated_limit: bool = False


SQLITE = Dialect(name="sqlite", least="MIN")
POSTGRES = Dialect(
    name="postgresql", least="LEAST", skip_locked=" FOR UPDATE SKIP LOCKED", correlated_limit=True
)


@lru_cache(maxsize=4096)
def numbered_placeholders(sql: str) -> str:
    """`?, ?` → `$1, $2` for PostgreSQL. The shared statements never hold a `?` inside a string
    literal or a comment, so each `?` is a parameter."""
    parts = sql.split("?")
    if len(parts) == 1:
        return sql
    numbered = [parts[0]]
    for number, part in enumerate(parts[1:], start=1):
        numbered.append(f"${number}{part}")
    return "".join(numbered)
