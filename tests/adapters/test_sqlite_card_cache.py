"""The card cache across processes: two stores on one SQLite file stand for `quizbot run` and a
`quizbot deck import` next to it."""

from __future__ import annotations

from pathlib import Path

from adapters.storage.sqlite.store import SqliteStore
from core.decks.model import Card, Deck


def _deck(question: str, *extra: Card) -> Deck:
    return Deck("shared", "Shared", (Card("shared:a", question, "An answer"), *extra))


async def _question(store: SqliteStore, card_id: str = "shared:a") -> str | None:
    async with store.unit_of_work() as uow:
        card = (await uow.decks.cards_by_id([card_id])).get(card_id)
    return None if card is None else card.question


async def _save(store: SqliteStore, deck: Deck) -> None:
    async with store.unit_of_work() as uow:
        uow.decks.save(deck, owner_chat_id=None)
        await uow.commit()


async def test_a_deck_saved_by_another_store_is_seen_by_the_next_unit(db_path: Path) -> None:
    async with await SqliteStore.open(db_path) as bot, await SqliteStore.open(db_path) as cli:
        await _save(bot, _deck("Old question?"))
        assert await _question(bot) == "Old question?"  # now cached in the bot's store

        await _save(cli, _deck("New question?"))

        assert await _question(bot) == "New question?"


async def test_a_card_dropped_by_another_store_is_gone_for_the_next_unit(db_path: Path) -> None:
    extra = Card("shared:b", "Second?", "Yes")
    async with await SqliteStore.open(db_path) as bot, await SqliteStore.open(db_path) as cli:
        await _save(bot, _deck("Old question?", extra))
        assert await _question(bot, "shared:b") == "Second?"

        await _save(cli, _deck("Old question?"))

        assert await _question(bot, "shared:b") is None
        assert await _question(bot) == "Old question?"


async def test_a_unit_that_read_a_card_sees_its_own_re_save(db_path: Path) -> None:
    async with await SqliteStore.open(db_path) as store:
        await _save(store, _deck("Old question?"))
        async with store.unit_of_work() as uow:
            assert (await uow.decks.cards_by_id(["shared:a"]))[
                "shared:a"
            ].question == "Old question?"
            uow.decks.save(_deck("New question?"), owner_chat_id=None)
            await uow.commit()
            assert (await uow.decks.cards_by_id(["shared:a"]))[
                "shared:a"
            ].question == "New question?"
