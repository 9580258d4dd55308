"""StatsService day logic on an in-memory store, with fixed UTC instants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import TracebackType
from typing import Self

import pytest

from core.learners import Chat, Learner, LearnerSettings
from core.ports import DeckInfo
from core.scheduling.model import SchedulerSettings
from core.stats.figures import CardCounts, DeckMastery, LeaderboardEntry
from core.stats.repository import ChatReviewCount, FollowedRating, StateCount
from core.stats.service import StatsService

NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass(frozen=True)
class Review:
    at: datetime
    rating: int = 4
    learner_id: int = 1
    chat_id: int | None = None


@dataclass(frozen=True)
class State:
    deck_id: str
    interval_days: int
    due_at: datetime
    reps: int = 1
    learner_id: int = 1


@dataclass
class FakeStats:
    """The StatsRepository contract over plain lists, instants compared exactly."""

    reviews: list[Review] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    followed: list[FollowedRating] = field(default_factory=list)  # learner 1's
    followed_since: list[datetime] = field(default_factory=list)
    review_count_calls: int = 0

    def _mine(self, learner_id: int) -> list[Review]:
        return [r for r in self.reviews if r.learner_id == learner_id]

    async def review_total(self, learner_id: int) -> int:
        return len(self._mine(learner_id))

    async def review_counts(self, learner_id: int, boundaries: Sequence[datetime]) -> list[int]:
        self.review_count_calls += 1
        mine = self._mine(learner_id)
        return [sum(lo <= r.at < hi for r in mine) for lo, hi in pairwise(boundaries)]

    async def rating_counts(self, learner_id: int, since: datetime) -> Mapping[int, int]:
        counts: dict[int, int] = {}
        for r in self._mine(learner_id):
            if r.at >= since:
                counts[r.rating] = counts.get(r.rating, 0) + 1
        return counts

    async def state_counts(self, learner_id: int) -> list[StateCount]:
        groups: dict[tuple[str, int, bool], int] = {}
        for s in self.states:
            if s.learner_id == learner_id:
                key = (s.deck_id, s.interval_days, s.reps == 0)
                groups[key] = groups.get(key, 0) + 1
        return [StateCount(d, i, f, n) for (d, i, f), n in groups.items()]

    async def due_by(self, learner_id: int, cutoffs: Sequence[datetime]) -> list[int]:
        mine = [s for s in self.states if s.learner_id == learner_id]
        return [sum(s.due_at <= cutoff for s in mine) for cutoff in cutoffs]

    async def followed_ratings(self, learner_id: int, since: datetime) -> list[FollowedRating]:
        self.followed_since.append(since)
        return list(self.followed) if learner_id == 1 else []

    async def review_counts_in(
        self, chat_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[ChatReviewCount]:
        groups: dict[int, list[int]] = {}
        for r in self.reviews:
            if r.chat_id in chat_ids and since <= r.at < until:
                groups.setdefault(r.learner_id, []).append(r.rating)
        return [ChatReviewCount(i, len(rs), sum(rs)) for i, rs in groups.items()]


class FakeDecks:
    def __init__(self, decks: Sequence[DeckInfo]) -> None:
        self._decks = {deck.id: deck for deck in decks}

    async def get(self, deck_id: str) -> DeckInfo | None:
        return self._decks.get(deck_id)


class FakeChats:
    def __init__(self, chats: Sequence[Chat]) -> None:
        self._chats = {chat.id: chat for chat in chats}

    async def get(self, chat_id: int) -> Chat | None:
        return self._chats.get(chat_id)

    async def in_community(self, platform: str, community: str) -> list[int]:
        return [
            c.id for c in self._chats.values() if (c.platform, c.community) == (platform, community)
        ]


class FakeLearners:
    def __init__(self, learners: Sequence[Learner]) -> None:
        self._learners = {learner.id: learner for learner in learners}

    async def get_many(self, learner_ids: Sequence[int]) -> dict[int, Learner]:
        return {i: self._learners[i] for i in learner_ids if i in self._learners}


class FakeParameters:
    """No learner has personal parameters here (tests/services/test_personal_schedule.py)."""

    async def get(self, learner_id: int) -> None:
        return None


@dataclass
class FakeUnitOfWork:
    stats: FakeStats
    decks: FakeDecks
    learners: FakeLearners
    chats: FakeChats
    parameters: FakeParameters = field(default_factory=lambda: FakeParameters())
    card_flags: FakeCardFlags = field(default_factory=lambda: FakeCardFlags())

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


@dataclass
class FakeCardFlags:
    suspended: int = 0
    lapses: tuple[int, ...] = ()  # of the learner's cards in their reviews

    async def suspended_count(self, learner_id: int) -> int:
        return self.suspended

    async def leech_count(self, learner_id: int, threshold: int) -> int:
        return sum(n >= threshold for n in self.lapses)


@dataclass
class FakeStore:
    stats: FakeStats = field(default_factory=FakeStats)
    decks: list[DeckInfo] = field(default_factory=list)
    learners: list[Learner] = field(default_factory=list)
    chats: list[Chat] = field(default_factory=list)
    card_flags: FakeCardFlags = field(default_factory=lambda: FakeCardFlags())

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(
            self.stats,
            FakeDecks(self.decks),
            FakeLearners(self.learners),
            FakeChats(self.chats),
            card_flags=self.card_flags,
        )


@dataclass
class FixedClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


def learner(
    zone: str = "UTC", day_start: time = time(4, 0), learner_id: int = 1, name: str = "Ada"
) -> Learner:
    settings = LearnerSettings(time_zone=zone, day_start=day_start)
    return Learner(learner_id, "console", str(learner_id), name, settings)


async def stats_at(now: datetime, store: FakeStore, who: Learner, deck_ids: Sequence[str] = ()):
    return await StatsService(store, FixedClock(now)).for_learner(who, deck_ids)


# --- streaks -------------------------------------------------------------------------------


async def test_streak_spans_the_spring_forward_night_in_berlin() -> None:
    # 2026-03-29: 02:00 CET -> 03:00 CEST, so day 29 begins at 02:00Z, not 03:00Z.
    store = FakeStore(
        FakeStats(
            reviews=[
                Review(utc(2026, 3, 27, 22, 0)),  # 23:00 CET, day 27
                Review(utc(2026, 3, 28, 23, 30)),  # 00:30 CET on the 29th: still day 28
                Review(utc(2026, 3, 29, 2, 30)),  # 04:30 CEST: day 29 (03:30 if DST were ignored)
            ]
        )
    )
    berlin = learner("Europe/Berlin")
    stats = await stats_at(utc(2026, 3, 30, 1, 59), store, berlin)  # 03:59 CEST, still day 29
    assert stats.today == date(2026, 3, 29)
    assert (stats.reviews_today, stats.streak_days) == (1, 3)
    assert stats.reviews_per_day_30d[-3:] == (1, 1, 1)

    later = await stats_at(utc(2026, 3, 30, 2, 0), store, berlin)  # 04:00 CEST: day 30
    assert (later.today, later.reviews_today, later.streak_days) == (date(2026, 3, 30), 0, 3)


async def test_streak_in_a_utc_plus_13_zone_follows_local_days_not_utc_dates() -> None:
    # Tonga is UTC+13 all year: day D starts at 15:00Z on D - 1.
    store = FakeStore(
        FakeStats(
            reviews=[
                Review(utc(2026, 1, 10, 14, 0)),  # 03:00 on the 11th local: day 10
                Review(utc(2026, 1, 10, 16, 0)),  # 05:00 on the 11th local: day 11
                Review(utc(2026, 1, 11, 20, 0)),  # 09:00 on the 12th local: day 12
            ]
        )
    )
    stats = await stats_at(utc(2026, 1, 12, 10, 0), store, learner("Pacific/Tongatapu"))
    assert stats.today == date(2026, 1, 12)
    assert (stats.reviews_today, stats.streak_days) == (1, 3)
    assert stats.reviews_per_day_30d[-4:] == (0, 1, 1, 1)


async def test_a_streak_survives_until_the_day_without_a_review_is_over() -> None:
    store = FakeStore(
        FakeStats(reviews=[Review(utc(2026, 1, 13, 12)), Review(utc(2026, 1, 14, 12))])
    )
    ada = learner()
    assert (await stats_at(utc(2026, 1, 15, 3, 59), store, ada)).streak_days == 2  # still day 14
    assert (
        await stats_at(utc(2026, 1, 15, 23, 0), store, ada)
    ).streak_days == 2  # day 15, none yet
    assert (await stats_at(utc(2026, 1, 16, 4, 0), store, ada)).streak_days == 0  # day 15 is over


async def test_a_streak_longer_than_a_year_is_followed_back_window_by_window() -> None:
    days = 500
    reviews = [Review(utc(2026, 1, 15, 9) - timedelta(days=i)) for i in range(days)]
    reviews.append(Review(utc(2026, 1, 15, 9) - timedelta(days=days + 1)))  # before a gap
    store = FakeStore(FakeStats(reviews=reviews))
    stats = await stats_at(NOW, store, learner())
    assert stats.streak_days == days
    assert stats.reviews_per_day_30d == (1,) * 30
    assert store.stats.review_count_calls == 3  # 60 recent days, then two years back


async def test_a_learner_with_no_reviews_has_empty_figures() -> None:
    stats = await stats_at(NOW, FakeStore(), learner())
    assert (stats.reviews_total, stats.reviews_today, stats.streak_days) == (0, 0, 0)
    assert stats.retention_30d is None
    assert stats.reviews_per_day_30d == (0,) * 30
    assert stats.forecast_7d == (0,) * 7
    assert (stats.due_now, stats.cards, stats.decks) == (0, CardCounts(), ())


# --- retention -----------------------------------------------------------------------------


async def test_retention_covers_the_last_30_learner_days_only() -> None:
    # Today is 2026-01-15 (UTC, 04:00 start): the window opens at 2025-12-17 04:00Z.
    store = FakeStore(
        FakeStats(
            reviews=[
                Review(utc(2025, 12, 17, 3, 59), rating=1),  # day 16: outside
                Review(utc(2025, 12, 17, 4, 0), rating=1),
                Review(utc(2026, 1, 1), rating=3),
                Review(utc(2026, 1, 15, 9), rating=5),
                Review(utc(2026, 1, 15, 9, 30), rating=2),
            ]
        )
    )
    stats = await stats_at(NOW, store, learner())
    assert stats.retention_30d == 2 / 4
    assert stats.reviews_total == 5
    assert sum(stats.reviews_per_day_30d) == 4


async def test_retention_is_none_when_the_only_ratings_are_older_than_30_days() -> None:
    store = FakeStore(FakeStats(reviews=[Review(utc(2025, 11, 1), rating=5)]))
    stats = await stats_at(NOW, store, learner())
    assert stats.retention_30d is None
    assert stats.reviews_total == 1


# --- due cards and forecast ----------------------------------------------------------------


async def test_forecast_buckets_follow_the_0400_day_start_and_day_0_keeps_the_overdue() -> None:
    # Berlin in January is UTC+1: learner day D starts at 03:00Z on D. Now is 11:00 local, day 15.
    states = [
        State("d", 5, utc(2026, 1, 10, 3)),  # overdue
        State("d", 5, utc(2026, 1, 15, 3)),  # due today, from 04:00
        State("d", 5, utc(2026, 1, 15, 10, 30)),  # later today: not due yet
        State("d", 5, utc(2026, 1, 16, 2, 59, 59)),  # 03:59:59 on the 16th: still day 15
        State("d", 5, utc(2026, 1, 16, 3)),  # day 16
        State("d", 5, utc(2026, 1, 21, 3)),  # day 21, the 7th day
        State("d", 5, utc(2026, 1, 22, 3)),  # day 22: beyond the forecast
    ]
    store = FakeStore(FakeStats(states=states))
    stats = await stats_at(NOW, store, learner("Europe/Berlin"))
    assert stats.due_now == 2
    assert stats.forecast_7d == (4, 1, 0, 0, 0, 0, 1)


async def test_forecast_at_0359_local_still_counts_the_evening_before_as_today() -> None:
    states = [State("d", 1, utc(2026, 1, 15, 3)), State("d", 1, utc(2026, 1, 16, 3))]
    store = FakeStore(FakeStats(states=states))
    stats = await stats_at(utc(2026, 1, 15, 2, 59), store, learner("Europe/Berlin"))
    assert stats.today == date(2026, 1, 14)
    assert (stats.due_now, stats.forecast_7d[:3]) == (0, (0, 1, 1))


# --- cards and decks -----------------------------------------------------------------------


async def test_card_stages_and_mastery_cover_asked_and_touched_decks() -> None:
    due = utc(2026, 2, 1, 4)
    states = [
        State("verbs", 2, due),
        State("verbs", 30, due, reps=0),  # learning
        State("verbs", 7, due),
        State("verbs", 20, due),  # review
        State("verbs", 21, due),
        State("verbs", 90, due),  # mastered
        State("nouns", 25, due),  # touched, not asked about
        State("gone", 25, due),  # deck no longer exists
    ]
    decks = [
        DeckInfo("verbs", "Verbs", "", 10, None),
        DeckInfo("nouns", "nouns", "", 4, None),
        DeckInfo("adjectives", "Adjectives", "", 3, None),
        DeckInfo("empty", "Empty", "", 0, None),
    ]
    store = FakeStore(FakeStats(states=states), decks=decks)
    stats = await stats_at(NOW, store, learner(), ["adjectives", "empty", "unknown"])
    assert stats.cards == CardCounts(new=3 + 4 + 3, learning=2, review=2, mastered=3)
    assert stats.decks == (
        DeckMastery("adjectives", "Adjectives", 0, 3),
        DeckMastery("empty", "Empty", 0, 0),
        DeckMastery("nouns", "nouns", 1, 4),
        DeckMastery("verbs", "Verbs", 2, 10),
    )
    assert stats.decks[3].share == 0.2
    assert stats.decks[1].share is None


# --- leaderboard ---------------------------------------------------------------------------


async def test_leaderboard_counts_the_last_seven_days_in_the_chat_by_reviews_then_name() -> None:
    reviews = [
        *[Review(NOW - timedelta(hours=h), rating=5, learner_id=1, chat_id=7) for h in (1, 2)],
        *[Review(NOW - timedelta(hours=h), rating=3, learner_id=2, chat_id=7) for h in (1, 2)],
        Review(NOW - timedelta(days=1), rating=4, learner_id=3, chat_id=7),
        Review(NOW - timedelta(days=1), rating=2, learner_id=3, chat_id=7),
        Review(NOW - timedelta(days=1), rating=3, learner_id=3, chat_id=7),
        Review(NOW - timedelta(days=7), rating=5, learner_id=4, chat_id=7),  # just inside
        Review(NOW - timedelta(days=7, seconds=1), learner_id=5, chat_id=7),  # too old
        Review(NOW - timedelta(hours=1), learner_id=6, chat_id=8),  # another chat
        Review(NOW - timedelta(hours=1), learner_id=9, chat_id=7),  # unknown learner
    ]
    people = [
        learner(learner_id=1, name="Zoe"),
        learner(learner_id=2, name="ben"),
        learner(learner_id=3, name="Cy"),
        learner(learner_id=4, name="Dee"),
    ]
    store = FakeStore(FakeStats(reviews=reviews), learners=people)
    board = await StatsService(store, FixedClock(NOW)).leaderboard(7)
    assert (board.since, board.until, board.days) == (NOW - timedelta(days=7), NOW, 7)
    assert board.entries == (
        LeaderboardEntry(3, "Cy", 3, 3.0),
        LeaderboardEntry(2, "ben", 2, 3.0),
        LeaderboardEntry(1, "Zoe", 2, 5.0),
        LeaderboardEntry(4, "Dee", 1, 5.0),
        LeaderboardEntry(9, "Someone", 1, 4.0),
    )
    top = await StatsService(store, FixedClock(NOW)).leaderboard(7, days=1, limit=2)
    assert [e.learner_id for e in top.entries] == [3, 2]


async def test_a_server_channels_leaderboard_counts_the_whole_server() -> None:
    channels = [
        Chat(7, "discord", "c7", "#general", True, community="g1"),
        Chat(8, "discord", "c8", "#study", True, community="g1"),
        Chat(9, "discord", "c9", "#elsewhere", True, community="g2"),
    ]
    reviews = [
        Review(NOW - timedelta(hours=1), rating=4, learner_id=1, chat_id=7),
        Review(NOW - timedelta(hours=1), rating=2, learner_id=1, chat_id=8),
        Review(NOW - timedelta(hours=1), rating=5, learner_id=2, chat_id=9),  # another server
    ]
    store = FakeStore(FakeStats(reviews=reviews), learners=[learner()], chats=channels)
    board = await StatsService(store, FixedClock(NOW)).leaderboard(8)
    assert board.entries == (LeaderboardEntry(1, "Ada", 2, 3.0),)


async def test_leaderboard_refuses_an_empty_window() -> None:
    with pytest.raises(ValueError, match="positive"):
        await StatsService(FakeStore(), FixedClock(NOW)).leaderboard(7, days=0)


# --- calibration ---------------------------------------------------------------------------


async def test_calibration_covers_90_learner_days_at_the_learners_desired_retention() -> None:
    day = date(2026, 1, 1)
    followed = [FollowedRating(4, day, "fsrs", 5, 4, day + timedelta(days=5))] * 2
    store = FakeStore(FakeStats(followed=followed))
    settings = LearnerSettings(
        scheduler=SchedulerSettings(desired_retention=0.8),
        time_zone="America/New_York",
        day_start=time(4, 0),
    )
    who = Learner(1, "console", "1", "Ada", settings)
    stats = await stats_at(NOW, store, who)  # 05:00 in New York on Jan 15: that learner day
    # Day 1 of the 90 is Oct 18, 2025 (EDT), starting at 04:00 local = 08:00Z.
    assert store.stats.followed_since == [utc(2025, 10, 18, 8, 0)]
    four = stats.calibration.rows[3]
    assert (four.samples, four.recalled) == (2, 2)
    assert four.predicted == pytest.approx(0.8)


async def test_leeches_are_counted_at_the_learners_own_threshold() -> None:
    store = FakeStore(card_flags=FakeCardFlags(lapses=(2, 5, 6, 9)))
    ada = learner()
    at_default = await stats_at(NOW, store, ada)
    own = replace(ada, settings=replace(ada.settings, leech_threshold=5))
    at_five = await stats_at(NOW, store, own)
    assert (at_default.leeches, at_default.leech_threshold) == (2, 6)
    assert (at_five.leeches, at_five.leech_threshold) == (3, 5)
