"""Counted nouns read right for one and for many ("Quiz stopped after 1 cards." was the bug)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core import texts
from core.decks.formats.assemble import assemble_deck
from core.decks.formats.base import CardDraft, DraftDeck
from core.decks.formats.site_text import SiteTextFormat
from core.quiz import machine
from core.quiz.model import QuizEnd, QuizRating
from core.quiz.screens import quiz_summary_screen
from core.quiz.summary import summarize
from core.scheduling.model import Rating
from core.stats import texts as stats_texts

NOW = datetime(2026, 11, 3, 18, 0, tzinfo=UTC)


def test_plural_says_one_noun_for_one_and_the_plural_otherwise() -> None:
    assert texts.plural(1, "card") == "1 card"
    assert [texts.plural(n, "card") for n in (0, 2, 1000)] == ["0 cards", "2 cards", "1000 cards"]
    assert texts.plural(1, "person", "people") == "1 person"
    assert texts.plural(3, "person", "people") == "3 people"


def test_the_daily_push_agrees_with_its_count() -> None:
    assert texts.remind_push(1, "Biology") == "1 card is due in Biology."
    assert texts.remind_push(4, "Biology") == "4 cards are due in Biology."


@pytest.mark.parametrize(
    ("positions", "headline", "line"),
    [
        ((0,), "Quiz stopped after 1 card.", "ada: 1 card, mean rating 4.0"),
        ((0, 1), "Quiz stopped after 2 cards.", "ada: 2 cards, mean rating 4.0"),
    ],
)
def test_a_quiz_summary_counts_cards_for_one_and_many(
    positions: tuple[int, ...], headline: str, line: str
) -> None:
    quiz = machine.reveal(machine.begin(1, 2, "d", 7, ["a", "b", "c"], 30, NOW), NOW)
    if len(positions) > 1:
        quiz = machine.reveal(machine.advance(quiz, NOW), NOW)
    ended = machine.finish(quiz, QuizEnd.STOPPED, NOW)
    ratings = [QuizRating(1, p, 7, Rating.GOOD, NOW) for p in positions]
    summary = summarize(ended, ratings, {7: "ada"}, {"a": "A?", "b": "B?"})
    text = quiz_summary_screen(ended, summary).text
    assert text.startswith(headline) and line in text


def test_stats_count_days_reviews_and_cards() -> None:
    assert (stats_texts.days(1), stats_texts.days(5)) == ("1 day", "5 days")
    assert (stats_texts.reviews(1), stats_texts.reviews(2)) == ("1 review", "2 reviews")
    assert (stats_texts.cards(1), stats_texts.cards(0)) == ("1 card", "0 cards")


@pytest.mark.parametrize(
    ("repeats", "summed"),
    [
        (11, "f.csv: 1 more repeated question skipped"),
        (12, "f.csv: 2 more repeated questions skipped"),
    ],
)
def test_an_import_summary_counts_what_it_skipped(repeats: int, summed: str) -> None:
    drafts = [
        CardDraft("row 1", "Q?", "A"),
        *(CardDraft(f"row {i}", "Q?", "A") for i in range(2, repeats + 2)),
    ]
    result = assemble_deck(DraftDeck(drafts), deck_id="d", deck_name="D", source="f.csv")
    assert result.warnings[-1] == summed


@pytest.mark.parametrize(
    ("declared", "cards", "said"),
    [
        ("(1 card)", 2, "the page says 1 card but 2 were found"),
        ("(3 cards)", 1, "the page says 3 cards but 1 was found"),
    ],
)
def test_a_site_page_count_that_differs_is_said_in_number(
    declared: str, cards: int, said: str
) -> None:
    page = "\n".join([declared, *(f"{n}\nQ\nQuestion {n}?\nA\nAnswer {n}" for n in range(cards))])
    notices = SiteTextFormat().read(page, "Demo").notices
    assert notices[0].startswith(f"Demo: {said};")
