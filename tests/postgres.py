"""A PostgreSQL server for the tests: fresh databases of this run's own, dropped at the end.

The server is the one CI and this machine run on 127.0.0.1:5432 (trust auth), or the admin URL in
QUIZBOT_TEST_POSTGRES_URL. Every database made here is named `quizbot_test_<pid>_<random>_<n>`, so
a run never touches another database, nor another run's. Where no server answers, the tests that
need one are skipped with the reason (the README's test command shows skip reasons).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import asyncpg

__all__ = ["ADMIN_URL", "PostgresServer"]

ADMIN_URL = os.environ.get(
    "QUIZBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

T = TypeVar("T")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on a loop of its own in another thread (a test's loop may be running)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


class PostgresServer:
    def __init__(self, admin_url: str = ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.prefix = f"quizbot_test_{os.getpid()}_{secrets.token_hex(4)}"
        self._created: list[str] = []

    def unreachable_reason(self) -> str | None:
        """Why no test can use the server, or None when it answers."""
        try:
            run_apart(self._ping())
        except (TimeoutError, OSError, asyncpg.PostgresError) as error:
            host = self.admin_url.split("@")[-1].split("/")[0]
            return f"PostgreSQL is not reachable at {host} ({type(error).__name__}: {error})"
        return None

    def url(self, database: str) -> str:
        """The admin URL pointed at `database` instead."""
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{database}"

    def create_database(self) -> str:
        """A new empty database of this run; its URL (dropped by `drop_all`)."""
        name = f"{self.prefix}_{len(self._created)}"
        self._created.append(name)
        run_apart(self._admin(f'CREATE DATABASE "{name}"'))
        return self.url(name)

    def drop_all(self) -> None:
        for name in reversed(self._created):
            run_apart(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.clear()

    async def _ping(self) -> None:
        db = await asyncpg.connect(self.admin_url, timeout=3)
        await db.close()

    async def _admin(self, statement: str) -> None:
        db = await asyncpg.connect(self.admin_url, timeout=10)
        try:
            await db.execute(statement)
        finally:
            await db.close()


async def empty_tables(database_url: str) -> None:
    """Every table but `schema_version` emptied, identities restarted: a clean migrated store."""
    db = await asyncpg.connect(database_url)
    try:
        tables = await db.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'schema_version'"
        )
        if tables:
            names = ", ".join(f'"{row[0]}"' for row in tables)
            await db.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await db.close()
