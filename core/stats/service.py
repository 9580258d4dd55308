"""Gathers a learner's statistics and a chat's leaderboard in one read-only unit of work each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta, tzinfo
from types import TracebackType
from typing import Protocol, Self

from core.learners import Learner
from core.ports import (
    ChatRepository,
    Clock,
    DeckInfo,
    DeckRepository,
    LearnerRepository,
    ParametersRepository,
)
from core.scheduling.days import day_start_instant, learner_day
from core.stats import texts
from core.stats.calibration import CALIBRATION_DAYS, calibrate
from core.stats.figures import (
    FORECAST_DAYS,
    RETENTION_DAYS,
    ChatLeaderboard,
    DeckMastery,
    LeaderboardEntry,
    LearnerStats,
)
from core.stats.repository import ChatReviewCount, StateCount, StatsRepository
from core.stats.tally import (
    card_counts,
    day_boundaries,
    day_ends,
    forecast,
    leaderboard_order,
    mastered_by_deck,
    retention,
    trailing_run,
)

__all__ = ["LEADERBOARD_DAYS", "StatsService", "StatsStore", "StatsUnitOfWork"]

LEADERBOARD_DAYS = 7  # a chat's leaderboard counts the last week
# The first read covers the 30-day history and any streak shorter than this; a longer streak is
# followed back a year at a time, so a learner with years of daily reviews costs a few queries.
_RECENT_DAYS = 60
_OLDER_DAYS = 365


class SuspendedCards(Protocol):
    """The part of `core.leeches.repository.CardFlagRepository` the stats read."""

    async def suspended_count(self, learner_id: int) -> int: ...

    async def leech_count(self, learner_id: int, threshold: int) -> int: ...


class StatsUnitOfWork(Protocol):
    """The part of `core.ports.UnitOfWork` the stats need (read-only)."""

    @property
    def learners(self) -> LearnerRepository: ...

    @property
    def chats(self) -> ChatRepository: ...

    @property
    def decks(self) -> DeckRepository: ...

    @property
    def stats(self) -> StatsRepository: ...

    @property
    def parameters(self) -> ParametersRepository: ...

    @property
    def card_flags(self) -> SuspendedCards: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class StatsStore(Protocol):
    def unit_of_work(self) -> StatsUnitOfWork: ...


class StatsService:
    def __init__(self, store: StatsStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def for_learner(self, learner: Learner, deck_ids: Sequence[str]) -> LearnerStats:
        """The learner's figures now; `deck_ids` (e.g. the chat's active deck) join the decks
        they have rated cards of for the card stages and per-deck mastery."""
        now = self._clock.now()
        zone, day_start = learner.settings.zone, learner.settings.day_start
        today = learner_day(now, zone, day_start)
        first = today - timedelta(days=_RECENT_DAYS - 1)
        async with self._store.unit_of_work() as uow:
            repo = uow.stats
            daily = await repo.review_counts(
                learner.id, day_boundaries(first, _RECENT_DAYS, zone, day_start)
            )
            streak = await self._streak(repo, learner.id, daily, first, zone, day_start)
            total = await repo.review_total(learner.id)
            month_start = today - timedelta(days=RETENTION_DAYS - 1)
            ratings = await repo.rating_counts(
                learner.id, day_start_instant(month_start, zone, day_start)
            )
            due = await repo.due_by(
                learner.id, [now, *day_ends(today, FORECAST_DAYS, zone, day_start)]
            )
            states = await repo.state_counts(learner.id)
            followed = await repo.followed_ratings(
                learner.id,
                day_start_instant(today - timedelta(days=CALIBRATION_DAYS - 1), zone, day_start),
            )
            decks = await _deck_infos(uow.decks, [*deck_ids, *(row.deck_id for row in states)])
            personal = await uow.parameters.get(learner.id)
            suspended = await uow.card_flags.suspended_count(learner.id)
            threshold = learner.settings.leech_threshold
            leeches = await uow.card_flags.leech_count(learner.id, threshold)
        return LearnerStats(
            learner_id=learner.id,
            today=today,
            reviews_total=total,
            reviews_today=daily[-1],
            streak_days=streak,
            retention_30d=retention(ratings),
            cards=card_counts(states, {deck.id: deck.card_count for deck in decks}),
            due_now=due[0],
            forecast_7d=forecast(due[1:]),
            reviews_per_day_30d=tuple(daily[-RETENTION_DAYS:]),
            decks=_mastery(decks, states),
            calibration=calibrate(followed, learner.settings.scheduler.desired_retention),
            personal=personal,
            suspended=suspended,
            leeches=leeches,
            leech_threshold=threshold,
        )

    async def leaderboard(
        self, chat_id: int, days: int = LEADERBOARD_DAYS, limit: int = 10
    ) -> ChatLeaderboard:
        """The `limit` learners with most reviews in the chat over the last `days` * 24 hours."""
        if days < 1 or limit < 1:
            raise ValueError(f"days and limit must be positive, got {days} and {limit}")
        until = self._clock.now()
        since = until - timedelta(days=days)
        async with self._store.unit_of_work() as uow:
            chat = await uow.chats.get(chat_id)
            # A channel of a server counts the whole server; other chats count themselves.
            chat_ids = (
                await uow.chats.in_community(chat.platform, chat.community)
                if chat is not None and chat.community is not None
                else [chat_id]
            )
            counts = await uow.stats.review_counts_in(chat_ids, since, until)
            counts = [count for count in counts if count.reviews > 0]
            learners = await uow.learners.get_many([count.learner_id for count in counts])
        entries = [_entry(count, learners.get(count.learner_id)) for count in counts]
        ranked = tuple(leaderboard_order(entries)[:limit])
        return ChatLeaderboard(chat_id=chat_id, days=days, since=since, until=until, entries=ranked)

    @staticmethod
    async def _streak(
        repo: StatsRepository,
        learner_id: int,
        daily: Sequence[int],
        first: date,
        zone: tzinfo,
        day_start: time,
    ) -> int:
        """Days in a row with reviews ending today, or yesterday while today has none yet."""
        run, may_continue = trailing_run(daily if daily[-1] else daily[:-1])
        while may_continue:
            first -= timedelta(days=_OLDER_DAYS)
            older = await repo.review_counts(
                learner_id, day_boundaries(first, _OLDER_DAYS, zone, day_start)
            )
            more, may_continue = trailing_run(older)
            run += more
        return run


def _entry(count: ChatReviewCount, learner: Learner | None) -> LeaderboardEntry:
    name = learner.display_name if learner is not None else texts.UNKNOWN_LEARNER
    return LeaderboardEntry(
        learner_id=count.learner_id,
        display_name=name,
        reviews=count.reviews,
        mean_rating=count.rating_sum / count.reviews,
    )


async def _deck_infos(decks: DeckRepository, deck_ids: Sequence[str]) -> list[DeckInfo]:
    """The decks that still exist, each once, by name."""
    found = [await decks.get(deck_id) for deck_id in dict.fromkeys(deck_ids)]
    return sorted(
        (info for info in found if info is not None),
        key=lambda info: (info.name.casefold(), info.id),
    )


def _mastery(decks: Sequence[DeckInfo], states: Sequence[StateCount]) -> tuple[DeckMastery, ...]:
    mastered = mastered_by_deck(states)
    return tuple(
        DeckMastery(
            deck_id=deck.id,
            name=deck.name,
            mastered=mastered.get(deck.id, 0),
            total=deck.card_count,
        )
        for deck in decks
    )
