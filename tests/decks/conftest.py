"""Fixtures shared by the deck tests: a real SQLite store on a file under tmp_path."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from adapters.storage.sqlite.store import SqliteStore


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    store = await SqliteStore.open(tmp_path / "quizbot.db")
    try:
        yield store
    finally:
        await store.close()
