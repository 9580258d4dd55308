"""The review path's reads stay on the event loop's thread (SQLite's inline reader).

Every read sent to the SQLite thread costs a press a future, a wake-up and a turn of the loop
(README, Benchmarks); exam plans and hints were read that way on every press once they came.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from adapters.storage.sqlite.store import SqliteStore
from core.planning.model import ExamPlan
from tests.conftest import services_on
from tests.fakes import FakeClock
from tests.services.test_review_service import rate, show

DECK = "neural-nets"


async def test_a_reveal_and_a_rating_send_no_read_to_the_sqlite_thread(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = await SqliteStore.open(tmp_path / "quizbot.db")
    try:
        services = await services_on(store, clock)
        ada = await services.learner("ada")
        async with store.unit_of_work() as uow:
            (first, second, *_) = await uow.decks.cards(DECK)
            exam = clock.now().date() + timedelta(days=30)
            uow.exam_plans.save(ExamPlan(ada.id, DECK, exam, 10, 0.93, 90))
            uow.card_flags.set_hint(ada.id, second.id, "think of digits")
            await uow.commit()
        screen = await services.reviews.start(ada, None, [DECK])
        assert screen.card_id == first.id
        async with store.unit_of_work() as uow:  # cards come from the cache once read
            await uow.decks.cards_by_id([first.id, second.id])
        batched = store._reader  # the reader on the SQLite thread
        sent = batched.batches_sent
        answer = (await services.reviews.press(ada, show(screen))).updated
        follow = (await services.reviews.press(ada, rate(answer, 4))).follow_up
        assert follow is not None and "think of digits" in follow.text  # the hint was read
        assert batched.batches_sent == sent
    finally:
        await store.close()
