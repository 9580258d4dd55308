"""Pure stats arithmetic: day boundaries across DST, runs of days, retention, stages, forecast."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from core.stats.figures import CardCounts, CardStage, LeaderboardEntry
from core.stats.repository import StateCount
from core.stats.tally import (
    card_counts,
    day_boundaries,
    day_ends,
    forecast,
    leaderboard_order,
    mastered_by_deck,
    retention,
    stage_of,
    trailing_run,
)

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_day_boundaries_follow_the_spring_forward_switch() -> None:
    # 2026-03-29 02:00 CET jumps to 03:00 CEST: 04:00 local is 03:00Z before, 02:00Z after.
    bounds = day_boundaries(date(2026, 3, 28), 3, BERLIN, FOUR)
    assert bounds == [
        utc(2026, 3, 28, 3),
        utc(2026, 3, 29, 2),
        utc(2026, 3, 30, 2),
        utc(2026, 3, 31, 2),
    ]
    assert [later - earlier for earlier, later in pairwise(bounds)] == [
        timedelta(hours=23),
        timedelta(hours=24),
        timedelta(hours=24),
    ]


def test_day_boundaries_in_a_utc_plus_13_zone_begin_the_previous_utc_afternoon() -> None:
    bounds = day_boundaries(date(2026, 1, 11), 1, ZoneInfo("Pacific/Tongatapu"), FOUR)
    assert bounds == [utc(2026, 1, 10, 15), utc(2026, 1, 11, 15)]


def test_day_ends_are_the_last_microsecond_before_the_next_day() -> None:
    assert day_ends(date(2026, 1, 15), 2, BERLIN, FOUR) == [
        utc(2026, 1, 16, 2, 59, 59, 999999),
        utc(2026, 1, 17, 2, 59, 59, 999999),
    ]


def test_trailing_run_counts_back_from_the_newest_day() -> None:
    assert trailing_run([1, 0, 2, 5, 1]) == (3, False)
    assert trailing_run([3, 1, 0]) == (0, False)
    assert trailing_run([3, 1, 2]) == (3, True)  # may go on before the window
    assert trailing_run([]) == (0, True)


def test_retention_is_none_without_ratings_and_counts_three_and_up_as_kept() -> None:
    assert retention({}) is None
    assert retention({1: 0, 5: 0}) is None
    assert retention({1: 1, 2: 1, 3: 1, 4: 3, 5: 2}) == 6 / 8


def test_stages_use_the_interval_and_the_last_rating() -> None:
    assert stage_of(1, failed_last=False) is CardStage.LEARNING
    assert stage_of(6, failed_last=False) is CardStage.LEARNING
    assert stage_of(7, failed_last=False) is CardStage.REVIEW
    assert stage_of(20, failed_last=False) is CardStage.REVIEW
    assert stage_of(21, failed_last=False) is CardStage.MASTERED
    assert stage_of(60, failed_last=True) is CardStage.LEARNING


def test_card_counts_only_count_the_given_decks_and_the_rest_is_new() -> None:
    states = [
        StateCount("a", 3, False, 2),
        StateCount("a", 10, False, 1),
        StateCount("a", 30, False, 4),
        StateCount("a", 30, True, 1),
        StateCount("b", 40, False, 7),  # not asked about
    ]
    assert card_counts(states, {"a": 20, "c": 5}) == CardCounts(
        new=17, learning=3, review=1, mastered=4
    )
    assert card_counts([], {}) == CardCounts()
    assert mastered_by_deck(states) == {"a": 4, "b": 7}


def test_forecast_takes_differences_of_cumulative_counts() -> None:
    assert forecast([4, 5, 5, 5, 5, 5, 9]) == (4, 1, 0, 0, 0, 0, 4)


def test_leaderboard_order_is_reviews_then_name() -> None:
    entries = [
        LeaderboardEntry(1, "bob", 5, 3.0),
        LeaderboardEntry(2, "Alice", 5, 4.0),
        LeaderboardEntry(3, "Carol", 9, 2.0),
        LeaderboardEntry(4, "alice", 5, 4.0),
    ]
    assert [e.learner_id for e in leaderboard_order(entries)] == [3, 2, 4, 1]
