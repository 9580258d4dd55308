"""Neutral text screens for a learner's stats and a chat's leaderboard."""

from __future__ import annotations

from datetime import date, timedelta

from core.scheduling.fit import MIN_REVIEWS_TO_FIT
from core.screens import Block, Screen, Style
from core.stats import texts
from core.stats.calibration import (
    CALIBRATION_DAYS,
    MIN_SAMPLES,
    Advice,
    AdviceKind,
    Calibration,
    RatingCalibration,
)
from core.stats.figures import ChatLeaderboard, DeckMastery, LearnerStats

__all__ = [
    "advice_text",
    "calibration_screen",
    "calibration_table",
    "day_label",
    "leaderboard_screen",
    "stats_and_calibration_screen",
    "stats_screen",
]


def stats_screen(stats: LearnerStats) -> Screen:
    """A compact summary: activity, cards and what is coming, then mastery per deck."""
    cards = stats.cards
    activity = (
        texts.REVIEWS.format(total=stats.reviews_total, today=stats.reviews_today),
        _streak_line(stats),
        _retention_line(stats.retention_30d),
        _personal_line(stats),
    )
    outlook = (
        texts.CARDS.format(
            new=cards.new, learning=cards.learning, review=cards.review, mastered=cards.mastered
        ),
        texts.DUE_NOW.format(count=stats.due_now),
        texts.FORECAST.format(days=_forecast_text(stats.today, stats.forecast_7d)),
        *(
            [texts.STATS_LEECHES.format(count=stats.leeches, threshold=stats.leech_threshold)]
            if stats.leeches
            else []
        ),
        *([texts.STATS_SUSPENDED.format(count=stats.suspended)] if stats.suspended else []),
    )
    blocks = [
        Block(texts.STATS_TITLE, Style.BOLD),
        Block("\n".join(activity)),
        Block("\n".join(outlook)),
        Block(texts.MASTERY_HEADING, Style.BOLD),
    ]
    if stats.decks:
        blocks.append(Block("\n".join(_deck_line(deck) for deck in stats.decks)))
    else:
        blocks.append(Block(texts.NO_DECKS, Style.MUTED))
    return Screen(tuple(blocks))


def stats_and_calibration_screen(stats: LearnerStats) -> Screen:
    """Both in one message, for a platform that shows them as one text (Telegram)."""
    return Screen(stats_screen(stats).blocks + calibration_screen(stats.calibration).blocks)


def calibration_screen(calibration: Calibration) -> Screen:
    """Per rating: reviews followed up, recalled and predicted shares; then the advice."""
    title = Block(texts.CALIBRATION_TITLE, Style.BOLD)
    if not calibration.samples:
        return Screen((title, Block(texts.CALIBRATION_NONE, Style.MUTED)))
    advice = advice_text(calibration)
    return Screen(
        (
            title,
            Block("\n".join(calibration_table(calibration)), Style.CODE),
            Block(texts.CALIBRATION_EXPLAINED.format(days=texts.days(CALIBRATION_DAYS))),
            Block(advice) if advice else Block(_not_yet_text(), Style.MUTED),
        )
    )


def calibration_table(calibration: Calibration) -> list[str]:
    """A header and a line per rating, padded to line up in a monospace font."""
    widths = [len(column) for column in texts.CALIBRATION_COLUMNS]
    header = "  ".join(texts.CALIBRATION_COLUMNS)
    return [header, *("  ".join(_cells(row, widths)) for row in calibration.rows)]


def advice_text(calibration: Calibration) -> str | None:
    """The one sentence of advice; or that the ratings are fine once some have enough samples;
    None while none has."""
    if calibration.advice is not None:
        return _advice_sentence(calibration.advice)
    return texts.ADVICE_WELL_CALIBRATED if calibration.enough_samples else None


def leaderboard_screen(board: ChatLeaderboard) -> Screen:
    """Ranked learners with their review counts and average rating."""
    span = texts.days(board.days)
    if not board.entries:
        return Screen((Block(texts.LEADERBOARD_EMPTY.format(days=span), Style.MUTED),))
    lines = (
        texts.LEADERBOARD_ENTRY.format(
            rank=rank,
            name=entry.display_name,
            reviews=texts.reviews(entry.reviews),
            mean=entry.mean_rating,
        )
        for rank, entry in enumerate(board.entries, start=1)
    )
    return Screen(
        (Block(texts.LEADERBOARD_TITLE.format(days=span), Style.BOLD), Block("\n".join(lines)))
    )


def day_label(today: date, offset: int) -> str:
    """'today' for offset 0, else the weekday ('Tue'); shared with the chart."""
    if offset == 0:
        return texts.TODAY
    return texts.WEEKDAYS[(today + timedelta(days=offset)).weekday()]


def _streak_line(stats: LearnerStats) -> str:
    if stats.streak_days == 0:
        return texts.STREAK_NONE
    if stats.reviews_today == 0:
        return texts.STREAK_KEEP_GOING.format(days=texts.days(stats.streak_days))
    return texts.STREAK.format(days=texts.days(stats.streak_days))


def _retention_line(share: float | None) -> str:
    if share is None:
        return texts.RETENTION_NONE
    return texts.RETENTION.format(percent=texts.percent(share))


def _personal_line(stats: LearnerStats) -> str:
    personal = stats.personal
    if personal is not None and personal.fitted_on is not None:
        return texts.PERSONAL_SCHEDULE.format(
            day=personal.fitted_on.isoformat(), reviews=texts.reviews(personal.reviews_used)
        )
    if personal is not None and not personal.enabled:
        return texts.PERSONAL_SCHEDULE_OFF
    needed = MIN_REVIEWS_TO_FIT - stats.reviews_total
    if needed > 0:
        return texts.PERSONAL_SCHEDULE_SOON.format(reviews=texts.reviews(needed))
    return texts.PERSONAL_SCHEDULE_PENDING


def _forecast_text(today: date, counts: tuple[int, ...]) -> str:
    return " · ".join(
        texts.FORECAST_DAY.format(day=day_label(today, offset), count=count)
        for offset, count in enumerate(counts)
    )


def _deck_line(deck: DeckMastery) -> str:
    if deck.share is None:
        return texts.DECK_EMPTY.format(name=deck.name)
    return texts.DECK_MASTERY.format(
        name=deck.name,
        percent=texts.percent(deck.share),
        mastered=deck.mastered,
        total=texts.cards(deck.total),
    )


def _cells(row: RatingCalibration, widths: list[int]) -> list[str]:
    shares = (row.observed, row.predicted)
    values = [
        str(row.rating),
        str(row.samples),
        *(
            texts.CALIBRATION_NO_VALUE if share is None else texts.percent(share)
            for share in shares
        ),
    ]
    return [value.rjust(width) for value, width in zip(values, widths, strict=True)]


def _advice_sentence(advice: Advice) -> str:
    template = (
        texts.ADVICE_RATE_LOWER
        if advice.kind is AdviceKind.RATE_LOWER
        else texts.ADVICE_RATE_HIGHER
    )
    return template.format(
        rating=advice.rating,
        suggested=advice.suggested,
        observed=texts.percent(advice.observed),
        predicted=texts.percent(advice.predicted),
    )


def _not_yet_text() -> str:
    return texts.ADVICE_NOT_YET.format(reviews=texts.reviews(MIN_SAMPLES))
