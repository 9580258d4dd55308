"""Imports through the library on a real SQLite file: progress survives a re-import, and a bad
file of any format leaves every table as it was."""

from __future__ import annotations

import sqlite3

import pytest

from core.errors import DeckImportError
from core.learners import Learner
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.decks.samples import database_rows, fixture


async def rate_every_card(services: Services, learner: Learner, deck_id: str) -> int:
    screen = await services.reviews.start(learner, None, [deck_id])
    rated = 0
    while screen.buttons and len(screen.buttons[0]) == 1:
        answer = (await services.reviews.press(learner, screen.buttons[0][0].action)).updated
        result = await services.reviews.press(learner, answer.buttons[0][3].action)  # rated 4
        rated += 1
        if result.follow_up is None:
            break
        screen = result.follow_up
    return rated


def progress(services: Services, deck_id: str) -> dict[str, tuple[object, ...]]:
    with sqlite3.connect(services.store.path) as db:
        rows = db.execute(
            "SELECT * FROM card_states WHERE card_id LIKE ? ORDER BY card_id", (f"{deck_id}:%",)
        ).fetchall()
    db.close()
    return {row[1]: row for row in rows}


def review_log(services: Services) -> list[tuple[object, ...]]:
    with sqlite3.connect(services.store.path) as db:
        rows = db.execute("SELECT * FROM review_log ORDER BY id").fetchall()
    db.close()
    return rows


async def test_reimporting_a_changed_package_keeps_progress(services: Services) -> None:
    ada, bob = await services.learner("ada"), await services.learner("bob")
    first = await services.library.import_deck(
        fixture("anki-current.apkg"), "Anki", None, "Anki.apkg", role=OPERATOR
    )
    deck_id = first.deck.id
    assert first.deck.card_count == 7
    assert await rate_every_card(services, ada, deck_id) == 7
    assert await rate_every_card(services, bob, deck_id) == 7
    before, log_before = progress(services, deck_id), review_log(services)
    assert len(before) == 7 and len(log_before) == 14

    again = await services.library.import_deck(
        fixture("anki-current-changed.apkg"), "Anki", None, "Anki.apkg", role=OPERATOR
    )

    assert again.deck.id == deck_id and again.deck.card_count == 7
    after = progress(services, deck_id)
    dropped, added = f"{deck_id}:fixture-guid-4", f"{deck_id}:fixture-guid-5"
    assert set(after) == set(before) - {dropped}  # the new card has no progress yet
    assert {card_id: after[card_id] for card_id in after} == {
        card_id: row for card_id, row in before.items() if card_id != dropped
    }
    assert review_log(services) == log_before
    async with services.store.unit_of_work() as uow:
        cards = {card.id: card for card in await uow.decks.cards(deck_id)}
    assert cards[f"{deck_id}:fixture-guid-1"].answer == "Paris (changed)"  # updated in place
    assert added in cards and dropped not in cards


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bad.apkg", fixture("anki-current.apkg")[:20_000]),
        ("bad.csv", b"question,answer\nhola,hello\nadios,\n"),
        ("bad.json", b'[{"question": "hola", "answer": "hello"}, {"question": "x"}]'),
        ("bad.txt", b'#separator:tab\n#html:true\n"unclosed\tx\n'),
        ("bad.md", b"## hola\nhello\n## adios\n"),
        ("garbage.bin", bytes(range(256)) * 8),
    ],
)
async def test_a_failed_import_leaves_every_table_unchanged(
    services: Services, name: str, data: bytes
) -> None:
    chat = await services.chat("g", group=True)
    await services.library.import_deck(
        fixture("anki-legacy.apkg"), "Mine", chat.id, "m.apkg", role=OPERATOR
    )
    await rate_every_card(services, await services.learner("ada"), f"c{chat.id}.mine")
    before = database_rows(services.store.path)
    with pytest.raises(DeckImportError):
        await services.library.import_deck(data, "Mine", chat.id, name, role=OPERATOR)
    assert database_rows(services.store.path) == before


async def test_decks_with_non_latin_names_do_not_replace_each_other(services: Services) -> None:
    """Both names slugified to "deck": importing "日本語" deleted "Русский" and its progress."""
    chat = await services.chat("g", group=True)
    russian = await services.library.import_deck(
        b"privet,hello\n", "Русский", chat.id, "r.csv", role=OPERATOR
    )
    japanese = await services.library.import_deck(
        b"konnichiwa,hi\n", "日本語", chat.id, "j.csv", role=OPERATOR
    )
    again = await services.library.import_deck(
        b"privet,hi\n", " Русский ", chat.id, "r.csv", role=OPERATOR
    )
    assert len({russian.deck.id, japanese.deck.id}) == 2 and again.deck.id == russian.deck.id
    names = {deck.name for deck in await services.library.visible(chat.id)}
    assert {"Русский", "日本語"} <= names
    assert (
        await services.library.import_deck(b"a,b\n", "Spanish", chat.id, "s.csv", role=OPERATOR)
    ).deck.id == (
        f"c{chat.id}.spanish"  # Latin names keep the ids they had
    )
    long_name = "Ελληνικά " + "x" * 80
    assert (
        len(
            (
                await services.library.import_deck(b"a,b\n", long_name, chat.id, role=OPERATOR)
            ).deck.id
        )
        <= 64
    )
