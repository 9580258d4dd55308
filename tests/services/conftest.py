"""The service tests run on both SQL backends: SQLite on a file and PostgreSQL (skipped where
no server answers); a module about rules alone overrides `services` with the in-memory store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.storage.sqlite.store import SqliteStore
from tests.conftest import Services, services_on, services_on_postgres
from tests.fakes import FakeClock


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def services(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Services]:
    if request.param == "postgres":
        async with services_on_postgres(request.getfixturevalue("postgres_url"), clock) as on_pg:
            yield on_pg
        return
    store = await SqliteStore.open(tmp_path / "quizbot.db")
    try:
        yield await services_on(store, clock)
    finally:
        await store.close()
