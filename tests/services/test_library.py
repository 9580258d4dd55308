"""Deck imports through the library: whole deck or nothing, and chats see their own decks."""

from __future__ import annotations

import pytest

from bot.wiring import deck_importer
from core.errors import DeckImportError, NotAllowed, NotFound
from core.library import DeckLibrary
from core.permissions import OPERATOR, ChatRole
from tests.conftest import Services
from tests.memory_store import MemoryStore


async def snapshot(services: Services, *chat_ids: int) -> list[tuple[object, ...]]:
    """Every deck visible anywhere or in these chats, card by card, read through the store."""
    rows: list[tuple[object, ...]] = []
    async with services.store.unit_of_work() as uow:
        decks = {d.id: d for chat in (None, *chat_ids) for d in await uow.decks.visible_in(chat)}
        for deck in sorted(decks.values(), key=lambda d: d.id):
            cards = await uow.decks.cards(deck.id)
            rows += [(deck.id, deck.name, c.id, c.question, c.answer) for c in cards]
            rows += [] if cards else [(deck.id, deck.name, None, None, None)]
    return rows


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no cards"),
        (bytes(range(256)) * 40, "not UTF-8 text"),
        (b"question,answer\nq1,a1\nq2,a2,tag,extra\n", "row 3"),
        (b"q,a\n" + b"x" * (10 * 1024 * 1024), "limit is 5 MB"),
    ],
)
async def test_bad_files_write_nothing(services: Services, content: bytes, reason: str) -> None:
    chat = await services.chat("g", group=True)
    before = await snapshot(services, chat.id)
    with pytest.raises(DeckImportError, match=reason):
        await services.library.import_deck(content, "Broken", chat.id, role=OPERATOR)
    assert await snapshot(services, chat.id) == before


async def test_import_is_owned_by_its_chat_and_reimport_keeps_ids(services: Services) -> None:
    mine, other = await services.chat("mine", group=True), await services.chat("other", group=True)
    first = await services.library.import_deck(
        b"hola,hello\nadios,goodbye\n", "Spanish", mine.id, role=OPERATOR
    )
    assert first.deck.card_count == 2
    assert (await services.library.find("spanish", mine.id)).id == first.deck.id
    with pytest.raises(NotFound):
        await services.library.find("Spanish", other.id)
    before = {row[2] for row in await snapshot(services, mine.id) if row[0] == first.deck.id}
    again = await services.library.import_deck(
        b"adios,goodbye!\nhola,hello\n", "Spanish", mine.id, role=OPERATOR
    )
    after = {row[2] for row in await snapshot(services, mine.id) if row[0] == again.deck.id}
    assert again.deck.id == first.deck.id and after == before


async def test_an_import_may_not_replace_a_bundled_deck(services: Services) -> None:
    before = await snapshot(services)
    with pytest.raises(DeckImportError, match="already called"):
        await services.library.import_deck(b"q,a\n", "Neural nets", None, role=OPERATOR)
    with pytest.raises(DeckImportError, match="Give the deck a name"):
        await services.library.import_deck(b"q,a\n", "  ", None, role=OPERATOR)
    assert await snapshot(services) == before


async def test_in_a_group_only_its_admins_choose_or_import_and_a_refusal_writes_nothing(
    services: Services,
) -> None:
    group = await services.chat("club", group=True)
    member = ChatRole(in_group=True, admins="the club's admins")
    with pytest.raises(NotAllowed) as refused:
        await services.library.set_active(group.id, "neural-nets", role=member)
    assert str(refused.value) == "Only the club's admins can change the deck here."
    with pytest.raises(NotAllowed) as refused:
        await services.library.import_deck(b"q,a\n", "Mine", group.id, role=member)
    assert str(refused.value) == "Only the club's admins can import decks here."
    assert await services.library.active_deck_ids(group.id) == ["neural-nets"]  # all it sees
    assert [deck.name for deck in await services.library.visible(group.id)] == [
        deck.name for deck in await services.library.visible(None)
    ]
    admin = ChatRole(in_group=True, is_admin=True)
    await services.library.import_deck(b"q,a\n", "Mine", group.id, role=admin)
    await services.library.set_active(group.id, f"c{group.id}.mine", role=admin)
    assert await services.library.active_deck_ids(group.id) == [f"c{group.id}.mine"]


async def test_a_quiz_plays_the_named_the_active_or_the_first_deck_and_says_when_there_is_none(
    services: Services,
) -> None:
    group = await services.chat("study-group", group=True)
    assert (await services.library.quiz_deck(None, group.id)).id == "neural-nets"
    assert (await services.library.quiz_deck("Neural nets and deep learning", group.id)).id == (
        "neural-nets"
    )
    with pytest.raises(NotFound, match="I know no deck called"):
        await services.library.quiz_deck("Klingon", group.id)
    empty = DeckLibrary(MemoryStore(), deck_importer())  # no bundled decks: nothing to play
    with pytest.raises(NotFound, match="There are no decks here yet"):
        await empty.quiz_deck(None, group.id)
