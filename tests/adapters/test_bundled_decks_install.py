"""Installing the bundled decks at start-up, on a real SQLite file: a start with unchanged files
writes nothing (concurrent `quizbot` processes do not race, caches stay valid); a changed file is
saved once and keeps learners' progress."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from adapters.storage.sqlite.store import SqliteStore
from bot.settings import Settings
from bot.wiring import open_app
from core.decks.model import Card, Deck
from core.library import DeckLibrary
from tests.adapters import samples
from tests.adapters.conftest import World


def _dump(db_path: Path) -> list[str]:
    """Every row of every table, through a plain sqlite3 connection."""
    with closing(sqlite3.connect(db_path)) as db:
        return list(db.iterdump())


def _deck_row(db_path: Path, deck_id: str) -> tuple[int, int]:
    with closing(sqlite3.connect(db_path)) as db:
        row = db.execute("SELECT revision, updated_at FROM decks WHERE id = ?", (deck_id,))
        revision, updated_at = row.fetchone()
    return int(revision), int(updated_at)


async def test_a_second_start_with_the_same_bundled_decks_writes_nothing(db_path: Path) -> None:
    settings = Settings(database_url=str(db_path), _env_file=None)  # type: ignore[call-arg]
    async with open_app(settings):
        pass
    before = _dump(db_path)
    neural_nets = _deck_row(db_path, "neural-nets")

    with closing(sqlite3.connect(db_path)) as watcher:
        # data_version moves whenever another connection commits a change to the file.
        version = watcher.execute("PRAGMA data_version").fetchone()[0]
        async with open_app(settings) as app:
            assert isinstance(app.store, SqliteStore)
            assert app.store.transactions_committed == 0
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == version

    assert _deck_row(db_path, "neural-nets") == neural_nets
    assert _dump(db_path) == before


async def test_a_changed_bundled_deck_is_saved_once_and_keeps_progress(
    store: SqliteStore, world: World, db_path: Path
) -> None:
    first = Deck("shipped", "Shipped", (Card("shipped:a", "Old question?", "An answer"),))
    changed = replace(first, cards=(replace(first.cards[0], question="New question?"),))
    await DeckLibrary(store).install_bundled([first])
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, "shipped:a", deck_id="shipped"))
        await uow.commit()
    revision, _ = _deck_row(db_path, "shipped")
    committed = store.transactions_committed

    await DeckLibrary(store).install_bundled([first])
    assert store.transactions_committed == committed
    assert _deck_row(db_path, "shipped")[0] == revision

    await DeckLibrary(store).install_bundled([changed])
    await DeckLibrary(store).install_bundled([changed])
    assert store.transactions_committed == committed + 1
    assert _deck_row(db_path, "shipped")[0] == revision + 1
    async with store.unit_of_work() as uow:
        cards = await uow.decks.cards_by_id(["shipped:a"])
        state = await uow.card_states.get(world.ann, "shipped:a")
    assert cards["shipped:a"].question == "New question?"
    assert state is not None


async def test_a_deck_saved_before_content_hashes_is_saved_once_more(
    store: SqliteStore, db_path: Path
) -> None:
    deck = samples.deck("shipped")
    await DeckLibrary(store).install_bundled([deck])
    with closing(sqlite3.connect(db_path)) as db:  # as a database from before migration 0004
        db.execute("UPDATE decks SET content_hash = NULL")
        db.commit()
    committed = store.transactions_committed

    await DeckLibrary(store).install_bundled([deck])
    await DeckLibrary(store).install_bundled([deck])

    assert store.transactions_committed == committed + 1
