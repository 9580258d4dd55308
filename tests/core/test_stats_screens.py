"""The stats and leaderboard screens as text."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from core.personal.model import PersonalParameters
from core.scheduling.fit import DEFAULT_PARAMETERS
from core.screens import Block, Style
from core.stats.calibration import Calibration, RatingCalibration, calibrate
from core.stats.figures import (
    CardCounts,
    ChatLeaderboard,
    DeckMastery,
    LeaderboardEntry,
    LearnerStats,
)
from core.stats.repository import FollowedRating
from core.stats.screens import calibration_screen, leaderboard_screen, stats_screen

NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)

STATS = LearnerStats(
    learner_id=1,
    today=date(2026, 1, 15),  # a Thursday
    reviews_total=132,
    reviews_today=14,
    streak_days=5,
    retention_30d=0.875,
    cards=CardCounts(new=40, learning=12, review=30, mastered=18),
    due_now=3,
    forecast_7d=(3, 5, 0, 2, 8, 1, 0),
    reviews_per_day_30d=(0, 0, 3, 5, 8, 0, 12, 20, 14, 0) * 3,
    decks=(DeckMastery("nn", "Neural nets <3", 18, 100), DeckMastery("e", "Empty", 0, 0)),
)

EMPTY = LearnerStats(
    learner_id=2,
    today=date(2026, 1, 15),
    reviews_total=0,
    reviews_today=0,
    streak_days=0,
    retention_30d=None,
    cards=CardCounts(),
    due_now=0,
    forecast_7d=(0,) * 7,
    reviews_per_day_30d=(0,) * 30,
    decks=(),
)


def test_stats_screen_is_a_compact_plain_summary() -> None:
    screen = stats_screen(STATS)
    assert screen.text == (
        "Your stats\n\n"
        "Reviews: 132 total · 14 today\n"
        "Streak: 5 days\n"
        "Retention (30 days): 87%\n"
        "Personal schedule: 268 reviews to go until one is fitted\n\n"
        "Cards: 40 new · 12 learning · 30 review · 18 mastered\n"
        "Due now: 3\n"
        "Due in the next 7 days: today 3 · Fri 5 · Sat 0 · Sun 2 · Mon 8 · Tue 1 · Wed 0\n\n"
        "Mastered by deck\n\n"
        "Neural nets <3: 18% (18 of 100 cards)\n"  # literal: the adapter escapes
        "Empty: no cards yet"
    )
    assert screen.blocks[0].style is Style.BOLD
    assert screen.buttons == ()


def test_stats_screen_for_a_new_learner() -> None:
    text = stats_screen(EMPTY).text
    assert "Streak: none yet" in text
    assert "Retention (30 days): no ratings yet" in text
    assert "No decks yet" in text


def test_leeches_are_counted_by_the_learners_own_threshold() -> None:
    text = stats_screen(replace(STATS, leeches=2, leech_threshold=8, suspended=1)).text
    assert "Due now: 3\n" in text
    assert "Leeches: 2 (forgotten 8+ times, your leech threshold)\nSuspended: 1" in text
    assert "Leeches" not in stats_screen(STATS).text  # none: no line


def test_a_streak_not_yet_extended_today_says_so() -> None:
    stats = replace(STATS, reviews_today=0, streak_days=1)
    assert "Streak: 1 day (review today to keep it going)" in stats_screen(stats).text


def test_percentages_round_down_so_nearly_all_is_not_all() -> None:
    stats = replace(STATS, retention_30d=0.999, decks=(DeckMastery("d", "D", 999, 1000),))
    text = stats_screen(stats).text
    assert "Retention (30 days): 99%" in text
    assert "D: 99% (999 of 1000 cards)" in text


def test_leaderboard_screen_ranks_learners() -> None:
    board = ChatLeaderboard(
        7,
        7,
        NOW,
        NOW,
        (
            LeaderboardEntry(3, "Cy", 12, 3.25),
            LeaderboardEntry(1, "@everyone", 1, 5.0),
        ),
    )
    screen = leaderboard_screen(board)
    assert screen.text == (
        "Most reviews in the last 7 days\n\n"
        "1. Cy — 12 reviews · average rating 3.2/5\n"
        "2. @everyone — 1 review · average rating 5.0/5"
    )


def test_an_empty_leaderboard_says_nobody_reviewed() -> None:
    board = ChatLeaderboard(7, 1, NOW, NOW, ())
    assert leaderboard_screen(board).text == "Nobody has reviewed here in the last 1 day."


def overrated_fours() -> Calibration:
    def followed(rating: int, samples: int, recalled: int) -> list[FollowedRating]:
        day = date(2026, 1, 1)
        return [
            FollowedRating(rating, day, "fsrs", 10, 4 if i < recalled else 1, day + timedelta(10))
            for i in range(samples)
        ]

    return calibrate(followed(4, 40, 25) + followed(3, 12, 11) + followed(1, 5, 3), 0.9)


def test_calibration_screen_is_a_monospace_table_and_one_sentence_of_advice() -> None:
    screen = calibration_screen(overrated_fours())
    assert screen.text == (
        "How your ratings hold up\n\n"
        "Rated  Reviews  Recalled  Predicted\n"
        "    1        5       60%        90%\n"
        "    2        0         –          –\n"
        "    3       12       91%        90%\n"
        "    4       40       62%        90%\n"
        "    5        0         –          –\n\n"
        "Recalled: rated 3 or more when the card came back on a later day, over the last 90 days."
        " Predicted: the recall your schedule expected on that day.\n\n"
        "Cards you rate 4 come back recalled 62% of the time — rate those 3."
    )
    assert [block.style for block in screen.blocks] == [
        Style.BOLD,
        Style.CODE,
        Style.PLAIN,
        Style.PLAIN,
    ]


def test_calibration_screen_says_when_advice_comes_and_when_ratings_are_fine() -> None:
    few = overrated_fours().rows[:3]
    waiting = calibration_screen(Calibration((*few, RatingCalibration(4), RatingCalibration(5))))
    assert waiting.blocks[-1] == Block(
        "Advice on a rating comes once 30 reviews of it have come back.", Style.MUTED
    )
    fine = RatingCalibration(4, samples=30, recalled=27, predicted_sum=27.0, predicted_variance=2.7)
    honest = calibration_screen(Calibration((*few, fine, RatingCalibration(5))))
    assert (
        honest.blocks[-1].text == "Your ratings match how well you recall: keep rating as you do."
    )


def test_calibration_screen_before_any_card_came_back() -> None:
    assert calibration_screen(EMPTY.calibration).text == (
        "How your ratings hold up\n\n"
        "Once cards you rated come back for review, this shows how well your ratings predict"
        " your recall."
    )


def test_stats_say_since_when_the_schedule_is_personal_or_how_long_until_it_is() -> None:
    fitted = PersonalParameters(1, NOW, DEFAULT_PARAMETERS, date(2026, 1, 11), reviews_used=1204)
    off = PersonalParameters(1, NOW, enabled=False)
    tried = PersonalParameters(1, NOW)  # a fit found too few repeated reviews

    def line(stats: LearnerStats) -> str:
        return stats_screen(stats).text.split("\n")[5]

    assert line(replace(STATS, personal=fitted)) == (
        "Personal schedule since 2026-01-11 (1204 reviews)"
    )
    assert line(replace(STATS, reviews_total=399)) == (
        "Personal schedule: 1 review to go until one is fitted"
    )
    assert line(replace(STATS, reviews_total=400)) == (
        "Personal schedule: fitted at the next weekly refit"
    )
    assert line(replace(STATS, reviews_total=900, personal=tried)) == (
        "Personal schedule: fitted at the next weekly refit"
    )
    assert line(replace(STATS, personal=off)) == (
        "Personal schedule: off, on the default parameters (turn it on in settings)"
    )
