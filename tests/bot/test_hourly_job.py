"""The hourly job `quizbot run` schedules: the weekly refits and the media prune, in one run, on
a real SQLite file and media folder."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from adapters.media.folder import MediaFolder
from adapters.storage.sqlite.store import SqliteStore
from bot.run import hourly_job
from bot.wiring import deck_importer
from core.library import DeckLibrary
from core.personal.service import PersonalScheduleService
from tests.fakes import FakeClock
from tests.review_history import log_synthetic_reviews

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


async def test_the_hourly_job_refits_learners_and_prunes_unused_media(
    store: SqliteStore, tmp_path: Path
) -> None:
    clock = FakeClock(NOW)
    async with store.unit_of_work() as uow:
        learner = await uow.learners.ensure("test", "ada", "Ada")
    await log_synthetic_reviews(store, learner.id, 500, deck_id="geo")
    folder = MediaFolder(tmp_path / "media")
    unused = folder.put(b"GIF89a that no deck names")
    old = (NOW - timedelta(hours=2)).timestamp()
    os.utime(folder.location(unused), (old, old))
    personal = PersonalScheduleService(store, clock)
    library = DeckLibrary(store, deck_importer(), clock=clock, media=folder)

    await hourly_job(personal, library)()

    row = await personal.status(learner.id)
    assert row is not None and row.parameters is not None
    assert (row.fitted_on, row.reviews_used) == (date(2026, 11, 2), 500)
    assert not Path(folder.location(unused)).exists()
