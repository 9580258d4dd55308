"""The service tests run on both SQL backends: SQLite on a file and PostgreSQL (skipped where
no server answers); a module about rules alone overrides `services` with the in-memory store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.storage.postgres.store import PostgresStore
from adapters.storage.sqlite.store import SqliteStore
from tests.conftest import Services, services_on
from tests.fakes import FakeClock


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def services(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Services]:
    store: SqliteStore | PostgresStore
    if request.param == "sqlite":
        store = await SqliteStore.open(tmp_path / "quizbot.db")
    else:
        store = await PostgresStore.open(request.getfixturevalue("postgres_url"))
    try:
        yield await services_on(store, clock)
    finally:
        await store.close()
