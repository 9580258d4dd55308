"""SqlStatsRepository on a real SQLite file: exact figures through StatsService, and SQL
boundaries to the millisecond."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest_asyncio

from adapters.storage.sqlite.store import SqliteStore
from core.card_state import CardState, ReviewRecord, ReviewSource
from core.decks.model import Card, Deck
from core.learners import Learner, LearnerSettings
from core.scheduling.days import day_start_instant, learner_day
from core.scheduling.model import Memory, Rating, SchedulerKind
from core.stats.figures import CardCounts, DeckMastery, LeaderboardEntry
from core.stats.repository import ChatReviewCount, StateCount
from core.stats.service import StatsService
from tests.fakes import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # 11:00 in Berlin, learner day 2026-01-15
TODAY = date(2026, 1, 15)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ms(instant: datetime, milliseconds: int) -> datetime:
    return instant + timedelta(milliseconds=milliseconds)


@dataclass(frozen=True)
class Seeded:
    store: SqliteStore
    ann: Learner
    bob: Learner
    group: int
    other: int


def make_deck(deck_id: str, name: str, keys: str) -> Deck:
    cards = tuple(Card(f"{deck_id}:{key}", f"Q {key}?", f"A {key}") for key in keys)
    return Deck(deck_id, name, cards)


def state(
    who: Learner,
    card_id: str,
    interval: int,
    due_day: date,
    *,
    reps: int = 1,
    due_at: datetime | None = None,
) -> CardState:
    memory = Memory(
        kind=SchedulerKind.FSRS,
        reps=reps,
        lapses=0 if reps else 1,
        interval_days=interval,
        last_review_day=due_day - timedelta(days=interval),
        due_day=due_day,
        stability=float(interval),
        difficulty=5.0,
    )
    zone, start = who.settings.zone, who.settings.day_start
    at = due_at or day_start_instant(due_day, zone, start)
    return CardState(who.id, card_id, card_id.split(":")[0], memory, at, 1)


class Reviews:
    """Review records with distinct idempotency keys."""

    def __init__(self) -> None:
        self._next = 0

    def __call__(
        self,
        who: Learner,
        at: datetime,
        rating: int,
        chat_id: int | None = None,
        card_id: str = "verbs:a",
    ) -> ReviewRecord:
        self._next += 1
        return ReviewRecord(
            learner_id=who.id,
            card_id=card_id,
            deck_id=card_id.split(":")[0],
            rating=Rating(rating),
            reviewed_at=at,
            review_day=learner_day(at, who.settings.zone, who.settings.day_start),
            scheduler=SchedulerKind.FSRS,
            interval_days=1,
            source=ReviewSource.REVIEW,
            source_id=self._next,
            step=0,
            chat_id=chat_id,
        )


@pytest_asyncio.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Seeded]:
    store = await SqliteStore.open(tmp_path / "q.db")
    try:
        yield await _seed(store)
    finally:
        await store.close()


async def _seed(store: SqliteStore) -> Seeded:
    berlin = LearnerSettings(time_zone="Europe/Berlin", day_start=time(4, 0))
    async with store.unit_of_work() as uow:
        ann = await uow.learners.ensure("telegram", "1", "Ann")
        bob = await uow.learners.ensure("discord", "2", "Bob")
        group = (await uow.chats.ensure("telegram", "-10", "Group", True)).id
        other = (await uow.chats.ensure("telegram", "-20", "Other", True)).id
        uow.learners.save_settings(ann.id, berlin)
        uow.decks.save(make_deck("verbs", "Verbs", "abcdef"), None)
        uow.decks.save(make_deck("nouns", "Nouns", "abc"), None)
        uow.decks.save(make_deck("idioms", "Idioms", "ab"), None)
        await uow.commit()
    async with store.unit_of_work() as uow:
        reloaded = await uow.learners.get(ann.id)
    assert reloaded is not None and reloaded.settings.zone == BERLIN
    ann = reloaded
    d = TODAY
    async with store.unit_of_work() as uow:
        for s in (
            state(ann, "verbs:a", 2, d - timedelta(days=5)),  # learning, overdue
            state(ann, "verbs:b", 30, d, reps=0),  # learning (lapsed), due today
            state(ann, "verbs:c", 10, d + timedelta(days=1)),  # review
            state(ann, "verbs:d", 25, d + timedelta(days=3)),  # mastered
            state(ann, "verbs:e", 21, d + timedelta(days=6)),  # mastered
            state(ann, "nouns:a", 40, d + timedelta(days=7)),  # mastered, beyond 7 days
            # due at the very last millisecond of today (03:59:59.999 local tomorrow)
            state(ann, "nouns:b", 5, d, due_at=ms(utc(2026, 1, 16, 3), -1)),
            state(bob, "verbs:a", 50, d),
        ):
            uow.card_states.save(s)
        review = Reviews()
        for record in (
            review(ann, utc(2026, 1, 15, 3), 4, group),  # 04:00:00.000 local: today
            review(ann, utc(2026, 1, 15, 9), 2, group),
            review(ann, ms(utc(2026, 1, 15, 3), -1), 5),  # 03:59:59.999: day 14
            review(ann, utc(2026, 1, 13, 12), 3, group),
            review(ann, utc(2026, 1, 11, 12), 1),  # day 12 has none
            review(ann, utc(2025, 12, 17, 3), 1),  # first ms of day today - 29
            review(ann, ms(utc(2025, 12, 17, 3), -1), 5),  # last ms before the window
            review(ann, utc(2025, 12, 1, 12), 5, group),  # old
            review(bob, NOW - timedelta(hours=1), 5, group),
            review(bob, NOW - timedelta(days=2), 5, group),
            review(bob, NOW - timedelta(days=7), 4, group),  # first ms of the window
            review(bob, ms(NOW - timedelta(days=7), -1), 1, group),  # just before it
            review(bob, NOW - timedelta(hours=2), 1, other),
        ):
            uow.reviews.append(record)
        await uow.commit()
    return Seeded(store, ann, bob, group, other)


async def test_learner_figures_are_exact(seeded: Seeded) -> None:
    service = StatsService(seeded.store, FakeClock(NOW))
    stats = await service.for_learner(seeded.ann, ["idioms"])
    assert stats.today == TODAY
    assert (stats.reviews_total, stats.reviews_today, stats.streak_days) == (8, 2, 3)
    assert stats.retention_30d == 3 / 6  # 4, 2, 5, 3, 1, 1 since 2025-12-17 04:00 local
    history = [0] * 30
    history[0], history[-5], history[-3], history[-2], history[-1] = 1, 1, 1, 1, 2
    assert stats.reviews_per_day_30d == tuple(history)
    assert stats.cards == CardCounts(new=4, learning=3, review=1, mastered=3)
    assert stats.due_now == 2
    assert stats.forecast_7d == (3, 1, 0, 1, 0, 0, 1)
    assert stats.decks == (
        DeckMastery("idioms", "Idioms", 0, 2),
        DeckMastery("nouns", "Nouns", 1, 3),
        DeckMastery("verbs", "Verbs", 2, 6),
    )


async def test_a_learner_without_anything_gets_zeros(seeded: Seeded) -> None:
    async with seeded.store.unit_of_work() as uow:
        cleo = await uow.learners.ensure("telegram", "3", "Cleo")
    stats = await StatsService(seeded.store, FakeClock(NOW)).for_learner(cleo, [])
    assert (stats.reviews_total, stats.streak_days, stats.retention_30d) == (0, 0, None)
    assert (stats.due_now, stats.forecast_7d, stats.cards, stats.decks) == (
        0,
        (0,) * 7,
        CardCounts(),
        (),
    )


async def test_leaderboard_is_the_last_seven_days_of_the_chat(seeded: Seeded) -> None:
    board = await StatsService(seeded.store, FakeClock(NOW)).leaderboard(seeded.group)
    assert board.entries == (
        LeaderboardEntry(seeded.ann.id, "Ann", 3, 3.0),
        LeaderboardEntry(seeded.bob.id, "Bob", 3, 14 / 3),
    )
    other = await StatsService(seeded.store, FakeClock(NOW)).leaderboard(seeded.other)
    assert other.entries == (LeaderboardEntry(seeded.bob.id, "Bob", 1, 1.0),)


async def test_repository_windows_are_half_open_to_the_millisecond(seeded: Seeded) -> None:
    start = utc(2026, 1, 15, 3)
    async with seeded.store.unit_of_work() as uow:
        repo, ann = uow.stats, seeded.ann.id
        assert await repo.review_counts(ann, [ms(start, -1), start, ms(start, 1)]) == [1, 1]
        # a boundary between two stored milliseconds rounds up, keeping `>=` exact
        half = start - timedelta(microseconds=500)
        assert await repo.review_counts(ann, [half, NOW]) == [2]
        assert await repo.review_counts(ann, [start]) == []
        assert await repo.rating_counts(ann, start) == {4: 1, 2: 1}
        tomorrow = utc(2026, 1, 16, 3)
        cutoffs = [start, ms(start, -1), ms(tomorrow, -1), tomorrow]
        assert await repo.due_by(ann, cutoffs) == [2, 1, 3, 4]
        assert await repo.review_counts_in([seeded.other], NOW - timedelta(days=1), NOW) == [
            ChatReviewCount(seeded.bob.id, 1, 1)
        ]


async def test_repository_state_counts_group_by_deck_interval_and_lapse(seeded: Seeded) -> None:
    async with seeded.store.unit_of_work() as uow:
        rows = await uow.stats.state_counts(seeded.ann.id)
    assert sorted(rows, key=lambda r: (r.deck_id, r.interval_days)) == [
        StateCount("nouns", 5, False, 1),
        StateCount("nouns", 40, False, 1),
        StateCount("verbs", 2, False, 1),
        StateCount("verbs", 10, False, 1),
        StateCount("verbs", 21, False, 1),
        StateCount("verbs", 25, False, 1),
        StateCount("verbs", 30, True, 1),
    ]


async def test_many_windows_are_split_across_statements(seeded: Seeded) -> None:
    first = utc(2024, 1, 1)
    boundaries = [first + timedelta(days=i) for i in range(1001)]
    async with seeded.store.unit_of_work() as uow:
        counts = await uow.stats.review_counts(seeded.ann.id, boundaries)
    assert len(counts) == 1000
    assert sum(counts) == 8
    assert counts[(date(2026, 1, 15) - date(2024, 1, 1)).days] == 3  # in the third statement
