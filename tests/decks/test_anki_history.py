"""An Anki package's review history (revlog, the cards' ivl/due/FSRS memory) read, mapped onto the
bot's ratings and added for a learner: counts, idempotency, warm card states, crafted rows."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import zstandard

from adapters.deckfiles import anki_collection
from adapters.deckfiles.apkg import AnkiPackageFormat
from core import texts
from core.decks.formats import anki_history
from core.decks.formats.anki_history import ANKI_EASE_RATING
from core.decks.history_import import HistoryCounts
from core.errors import DeckImportError
from core.permissions import OPERATOR
from core.scheduling.fsrs_scheduler import FSRS_GRADE, FsrsScheduler
from core.scheduling.model import Rating
from tests.conftest import Services
from tests.decks.samples import database_rows, fixture
from tests.decks.test_library_import import rate_every_card

ANKI_DAY = date(2026, 12, 2)  # when make_fixtures.py answered the cards
AFTER = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _history(name: str) -> anki_history.DeckHistory:
    history = AnkiPackageFormat().read(fixture(name), "History").history
    assert history is not None
    return history


def test_anki_buttons_map_onto_the_ratings_fsrs_reads_back_as_the_same_button() -> None:
    assert ANKI_EASE_RATING == {
        1: Rating.NOT_AT_ALL,
        2: Rating.FAIR,
        3: Rating.GOOD,
        4: Rating.PERFECTLY,
    }
    # Again/Hard/Good/Easy are fsrs grades 1–4, as Anki's ease 1–4.
    assert {ease: FSRS_GRADE[rating] for ease, rating in ANKI_EASE_RATING.items()} == {
        1: 1,
        2: 2,
        3: 3,
        4: 4,
    }


@pytest.mark.parametrize("name", ["anki-history.apkg", "anki-history.colpkg"])
def test_the_revlog_and_card_states_of_a_package_are_read(name: str) -> None:
    history = _history(name)
    # Easy; Good, Good; Again; then "set due date" (no answer, skipped) and Good.
    assert [(r.card_key, r.rating) for r in history.reviews] == [
        ("history-0", Rating.PERFECTLY),
        ("history-1", Rating.GOOD),
        ("history-1", Rating.GOOD),
        ("history-2", Rating.NOT_AT_ALL),
        ("history-0", Rating.GOOD),
    ]
    assert all(r.reviewed_at.date() == ANKI_DAY for r in history.reviews)
    assert len({r.import_key for r in history.reviews}) == 5
    cards = {card.card_key: card for card in history.cards}
    assert sorted(cards) == ["history-0", "history-1", "history-2"]  # new and suspended: new
    assert cards["history-0"].due_day == date(2026, 12, 10)  # Anki's due 8 after crt
    assert cards["history-1"].due_day == date(2026, 12, 4)
    assert cards["history-2"].due_day is None  # still learning
    assert (cards["history-0"].stability, cards["history-0"].difficulty) == (8.2956, 1.0)


def test_a_package_without_scheduling_has_no_history() -> None:
    assert AnkiPackageFormat().read(fixture("anki-current.apkg"), "x").history is None


async def test_history_is_added_once_and_counted_on_reimport(services: Services) -> None:
    services.clock.set(AFTER)
    ada = await services.learner("ada")

    async def imported() -> HistoryCounts | None:
        summary = await services.library.import_deck(
            fixture("anki-history.apkg"),
            "History",
            None,
            "h.apkg",
            role=OPERATOR,
            history_for=ada,
            now=services.clock.now(),
        )
        return summary.history

    assert await imported() == HistoryCounts(5, 0, 3, 0)
    rows = database_rows(services.store.path)
    assert await imported() == HistoryCounts(0, 5, 0, 3)
    assert database_rows(services.store.path)["review_log"] == rows["review_log"]
    with sqlite3.connect(services.store.path) as db:
        log = db.execute(
            "SELECT card_id, rating, source, import_key FROM review_log ORDER BY reviewed_at"
        ).fetchall()
        states = dict(
            db.execute("SELECT card_id, due_day || ' ' || stability FROM card_states").fetchall()
        )
    db.close()
    assert [(card, rating, source) for card, rating, source, _ in log] == [
        ("history:history-0", 5, "anki"),
        ("history:history-1", 4, "anki"),
        ("history:history-1", 4, "anki"),
        ("history:history-2", 1, "anki"),
        ("history:history-0", 4, "anki"),
    ]
    assert states == {
        "history:history-0": "2026-12-10 8.2956",  # Anki's due day and FSRS memory
        "history:history-1": "2026-12-04 2.3065",
        "history:history-2": "2026-12-03 0.212",  # learning: due the next day
    }


async def test_imported_cards_start_warm_where_anki_left_them(services: Services) -> None:
    services.clock.set(AFTER)
    ada = await services.learner("ada")
    await services.library.import_deck(
        fixture("anki-history.apkg"),
        "History",
        None,
        "h.apkg",
        role=OPERATOR,
        history_for=ada,
        now=services.clock.now(),
    )
    async with services.store.unit_of_work() as uow:
        state = await uow.card_states.get(ada.id, "history:history-0")
        due_now = await uow.card_states.due(ada.id, ["history"], AFTER, 10)
    assert state is not None
    assert state.memory.last_review_day == ANKI_DAY
    assert state.due_at == datetime(2026, 12, 10, 4, 0, tzinfo=UTC)  # the day starts at 04:00
    assert [s.card_id for s in due_now] == ["history:history-2"]
    # Good on its due day goes further than a new card's Good: FSRS starts warm.
    warm = FsrsScheduler(fuzz_enabled=False).review(state.memory, Rating.GOOD, date(2026, 12, 10))
    cold = FsrsScheduler(fuzz_enabled=False).review(None, Rating.GOOD, date(2026, 12, 10))
    assert warm.interval_days > 20 > cold.interval_days


async def test_an_sm2_collection_gets_its_memory_from_replaying_the_revlog(
    services: Services,
) -> None:
    services.clock.set(AFTER)
    ada = await services.learner("ada")
    await services.library.import_deck(
        fixture("anki-history-sm2.apkg"),
        "History",
        None,
        "h.apkg",
        role=OPERATOR,
        history_for=ada,
        now=services.clock.now(),
    )
    async with services.store.unit_of_work() as uow:
        state = await uow.card_states.get(ada.id, "history:history-0")
    assert state is not None
    replayed = FsrsScheduler(fuzz_enabled=False).review(None, Rating.PERFECTLY, ANKI_DAY)
    replayed = FsrsScheduler(fuzz_enabled=False).review(replayed, Rating.GOOD, ANKI_DAY)
    assert (state.memory.stability, state.memory.difficulty) == (
        replayed.stability,
        replayed.difficulty,
    )
    assert state.memory.due_day == date(2026, 12, 12)  # Anki's due day, kept


async def test_asking_for_history_of_a_file_without_one_writes_nothing(
    services: Services,
) -> None:
    ada = await services.learner("ada")
    before = database_rows(services.store.path)
    with pytest.raises(DeckImportError) as caught:
        await services.library.import_deck(
            fixture("anki-current.apkg"),
            "Anki",
            None,
            "a.apkg",
            role=OPERATOR,
            history_for=ada,
            now=services.clock.now(),
        )
    assert str(caught.value) == texts.HISTORY_NONE
    assert database_rows(services.store.path) == before


def _collection() -> bytes:
    with zipfile.ZipFile(io.BytesIO(fixture("anki-history.apkg"))) as package:
        compressed = package.read("collection.anki21b")
    return zstandard.ZstdDecompressor().decompressobj().decompress(compressed)


def _edited(tmp_path: Path, sql: str, *params: object) -> bytes:
    path = tmp_path / "edited.anki21"
    path.write_bytes(_collection())
    with sqlite3.connect(path) as db:
        db.execute(sql, params)
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("sql", "params", "message"),
    [
        ("UPDATE revlog SET ease = ?", (9,), "review ease 9"),
        ("UPDATE revlog SET type = ?", ("learn",), "review type 'learn'"),
        ("UPDATE revlog SET ivl = ?", (1e30,), "review interval 1e+30"),
        ("UPDATE revlog SET cid = ?", (2.5,), "review card 2.5"),
        ("UPDATE revlog SET id = ? WHERE ease = 4", (10**18,), "review id"),
        ("UPDATE cards SET type = ? WHERE type = 2", (7,), "card type 7"),
        ("UPDATE cards SET due = ? WHERE type = 2", (b"x",), "card due b'x'"),
        ("UPDATE cards SET data = ? WHERE type = 2", ('{"s": -1, "d": 5}',), "FSRS memory"),
        ("UPDATE cards SET data = ? WHERE type = 2", ('{"s": 1e999, "d": 5}',), "FSRS memory"),
        ("UPDATE cards SET data = ? WHERE type = 2", ("{" * 5000,), "scheduling data"),
        ("UPDATE col SET crt = ?", ("yesterday",), "crt 'yesterday'"),
    ],
)
async def test_a_crafted_revlog_is_refused_and_nothing_is_written(
    services: Services, tmp_path: Path, sql: str, params: tuple[object, ...], message: str
) -> None:
    ada = await services.learner("ada")
    before = database_rows(services.store.path)
    with pytest.raises(DeckImportError) as caught:
        await services.library.import_deck(
            _edited(tmp_path, sql, *params),
            "History",
            None,
            "h.anki21",
            role=OPERATOR,
            history_for=ada,
            now=services.clock.now(),
        )
    assert str(caught.value).startswith("History: ")
    assert message in str(caught.value)
    assert database_rows(services.store.path) == before


def test_a_revlog_with_more_rows_than_allowed_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The real cap (500,000 rows) in miniature: the fixture has 6 revlog rows.
    monkeypatch.setattr(anki_collection, "MAX_REVIEWS", 5)
    monkeypatch.setattr(anki_history, "MAX_REVIEWS", 5)
    with pytest.raises(DeckImportError, match="more than 5 rows"):
        AnkiPackageFormat().read(fixture("anki-history.apkg"), "History")


def test_the_day_anki_counts_due_days_from() -> None:
    # crt is 04:00 local on the collection's first day; Hawaii to New Zealand's summer time.
    for offset in range(-10, 14):
        crt = datetime(2026, 12, 2, 4, 0, tzinfo=UTC) - timedelta(hours=offset)
        assert anki_history._created_day(int(crt.timestamp())) == date(2026, 12, 2), offset


async def test_anki_state_replaces_an_older_one_and_a_newer_one_stays(services: Services) -> None:
    ada = await services.learner("ada")
    plain = await services.library.import_deck(
        fixture("anki-history.apkg"), "History", None, "h.apkg", role=OPERATOR
    )
    assert await rate_every_card(services, ada, plain.deck.id) == 5  # on 2 November, in quizbot

    async def with_history() -> HistoryCounts | None:
        summary = await services.library.import_deck(
            fixture("anki-history.apkg"),
            "History",
            None,
            "h.apkg",
            role=OPERATOR,
            history_for=ada,
            now=services.clock.now(),
        )
        return summary.history

    services.clock.set(AFTER)
    # Anki's answers of 2 December are newer than quizbot's of 2 November: Anki's states win.
    assert await with_history() == HistoryCounts(5, 0, 3, 0)
    async with services.store.unit_of_work() as uow:
        anki = await uow.card_states.get(ada.id, "history:history-0")
        kept = await uow.card_states.get(ada.id, "history:history-3")  # new in Anki
    assert anki is not None and kept is not None
    assert (anki.memory.due_day, anki.version) == (date(2026, 12, 10), 2)
    assert kept.memory.last_review_day == date(2026, 11, 2)
    # Reviewed in quizbot after Anki: re-importing leaves quizbot's state alone.
    services.clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    assert await rate_every_card(services, ada, plain.deck.id) >= 1
    async with services.store.unit_of_work() as uow:
        reviewed = await uow.card_states.get(ada.id, "history:history-0")
    assert await with_history() == HistoryCounts(0, 5, 0, 3)
    async with services.store.unit_of_work() as uow:
        assert await uow.card_states.get(ada.id, "history:history-0") == reviewed
