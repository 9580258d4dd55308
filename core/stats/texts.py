"""Every sentence of the stats screens and chart, in one place for review and translation."""

from __future__ import annotations

import math

from core.texts import plural

__all__ = [
    "ADVICE_NOT_YET",
    "ADVICE_RATE_HIGHER",
    "ADVICE_RATE_LOWER",
    "ADVICE_WELL_CALIBRATED",
    "CALIBRATION_COLUMNS",
    "CALIBRATION_EXPLAINED",
    "CALIBRATION_NONE",
    "CALIBRATION_NO_VALUE",
    "CALIBRATION_TITLE",
    "CARDS",
    "CHART_CALIBRATION_AXIS",
    "CHART_CALIBRATION_TITLE",
    "CHART_DAY_AXIS",
    "CHART_DUE_AXIS",
    "CHART_FORECAST_TITLE",
    "CHART_HISTORY_TITLE",
    "CHART_OBSERVED",
    "CHART_PREDICTED",
    "CHART_RATING_AXIS",
    "CHART_REVIEWS_AXIS",
    "CHART_TITLE",
    "DECK_EMPTY",
    "DECK_MASTERY",
    "DUE_NOW",
    "FORECAST",
    "FORECAST_DAY",
    "LEADERBOARD_EMPTY",
    "LEADERBOARD_ENTRY",
    "LEADERBOARD_TITLE",
    "MASTERY_HEADING",
    "MONTHS",
    "NO_DECKS",
    "PERSONAL_SCHEDULE",
    "PERSONAL_SCHEDULE_OFF",
    "PERSONAL_SCHEDULE_PENDING",
    "PERSONAL_SCHEDULE_SOON",
    "RETENTION",
    "RETENTION_NONE",
    "REVIEWS",
    "STATS_LEECHES",
    "STATS_SUSPENDED",
    "STATS_TITLE",
    "STREAK",
    "STREAK_KEEP_GOING",
    "STREAK_NONE",
    "TODAY",
    "UNKNOWN_LEARNER",
    "WEEKDAYS",
    "cards",
    "days",
    "percent",
    "reviews",
]

STATS_TITLE = "Your stats"
REVIEWS = "Reviews: {total} total · {today} today"
STREAK = "Streak: {days}"
STREAK_KEEP_GOING = "Streak: {days} (review today to keep it going)"
STREAK_NONE = "Streak: none yet"
RETENTION = "Retention (30 days): {percent}"
RETENTION_NONE = "Retention (30 days): no ratings yet"
CARDS = "Cards: {new} new · {learning} learning · {review} review · {mastered} mastered"
DUE_NOW = "Due now: {count}"
FORECAST = "Due in the next 7 days: {days}"
FORECAST_DAY = "{day} {count}"
STATS_SUSPENDED = "Suspended: {count} (out of your reviews; the settings restore them)"
STATS_LEECHES = "Leeches: {count} (forgotten {threshold}+ times, your leech threshold)"
TODAY = "today"
MASTERY_HEADING = "Mastered by deck"
DECK_MASTERY = "{name}: {percent} ({mastered} of {total})"  # total: cards(n)
DECK_EMPTY = "{name}: no cards yet"
NO_DECKS = "No decks yet: pick one and start a review to see your progress here."
PERSONAL_SCHEDULE = "Personal schedule since {day} ({reviews})"  # reviews: reviews(n)
PERSONAL_SCHEDULE_SOON = "Personal schedule: {reviews} to go until one is fitted"
PERSONAL_SCHEDULE_PENDING = "Personal schedule: fitted at the next weekly refit"
PERSONAL_SCHEDULE_OFF = "Personal schedule: off, on the default parameters (turn it on in settings)"

CALIBRATION_TITLE = "How your ratings hold up"
CALIBRATION_COLUMNS = ("Rated", "Reviews", "Recalled", "Predicted")
CALIBRATION_NO_VALUE = "–"
CALIBRATION_EXPLAINED = (
    "Recalled: rated 3 or more when the card came back on a later day, over the last {days}."
    " Predicted: the recall your schedule expected on that day."
)
CALIBRATION_NONE = (
    "Once cards you rated come back for review, this shows how well your ratings predict"
    " your recall."
)
ADVICE_RATE_LOWER = (
    "Cards you rate {rating} come back recalled {observed} of the time — rate those {suggested}."
)
ADVICE_RATE_HIGHER = (
    "Cards you rate {rating} come back recalled {observed} of the time, more than the"
    " {predicted} predicted — rate those {suggested}."
)
ADVICE_WELL_CALIBRATED = "Your ratings match how well you recall: keep rating as you do."
ADVICE_NOT_YET = "Advice on a rating comes once {reviews} of it have come back."  # reviews(n)

LEADERBOARD_TITLE = "Most reviews in the last {days}"
LEADERBOARD_ENTRY = "{rank}. {name} — {reviews} · average rating {mean:.1f}/5"
LEADERBOARD_EMPTY = "Nobody has reviewed here in the last {days}."
UNKNOWN_LEARNER = "Someone"

CHART_TITLE = "Your reviews"
CHART_HISTORY_TITLE = "Reviews per day, last 30 days"
CHART_FORECAST_TITLE = "Cards due, next 7 days"
CHART_REVIEWS_AXIS = "Reviews"
CHART_DUE_AXIS = "Cards due"
CHART_DAY_AXIS = "Day"
CHART_CALIBRATION_TITLE = "Your ratings, next time"
CHART_CALIBRATION_AXIS = "Recalled"
CHART_RATING_AXIS = "Your rating"
CHART_OBSERVED = "recalled"
CHART_PREDICTED = "predicted"

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def cards(count: int) -> str:
    return plural(count, "card")


def days(count: int) -> str:
    return plural(count, "day")


def reviews(count: int) -> str:
    return plural(count, "review")


def percent(share: float) -> str:
    """Rounded down, so 99.6% never reads as 100%."""
    return f"{math.floor(share * 100 + 1e-9)}%"
