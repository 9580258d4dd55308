"""Quizlet's export: term and definition per card, with the separators chosen when exporting
(tab or comma or custom between term and definition; new line or semicolon or custom between
cards). No quoting: the text is taken as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.decks.formats.base import CardDraft, DraftDeck

__all__ = ["QuizletFormat"]

# Separators seen in Quizlet's export dialog and in its users' custom choices, most common first.
_TERM_SEPARATORS = ("\t", " - ", " – ", " — ", " = ", " | ", "|", " :: ", "::", " -> ", " → ", ": ")
_SAMPLE_CHARS = 4096
_CARD_SEPARATORS = ("\n", ";", "\n\n", "|")
_COMBINATIONS = (
    ("\t", "\n"),
    ("\t", ";"),
    (",", ";"),
    *(
        (term, between)
        for between in _CARD_SEPARATORS
        for term in _TERM_SEPARATORS
        if term.strip() != between.strip() and (term, between) not in (("\t", "\n"), ("\t", ";"))
    ),
)


class QuizletFormat:
    name = "Quizlet"
    suffixes = (".txt",)

    def recognises(self, text: str) -> int:
        found = _separators(text)
        if found is None:
            return 0
        # A quoted field means a spreadsheet's TSV, which the CSV format reads with its quoting.
        if found == ("\t", "\n") and re.search(r'(^|\t)"', text, re.MULTILINE):
            return 0
        return 1

    def read(self, text: str, source: str) -> DraftDeck:
        term, between = _separators(text) or ("\t", "\n")
        return DraftDeck(_drafts(text, term, between))


def _separators(text: str) -> tuple[str, str] | None:
    # The start of the file rules most combinations out cheaply; the winner must fit it all.
    sample = text[:_SAMPLE_CHARS]
    for term, between in _COMBINATIONS:
        if _fits(sample, term, between, cut=len(sample) < len(text)) and _fits(text, term, between):
            return term, between
    return None


def _fits(text: str, term: str, between: str, *, cut: bool = False) -> bool:
    """Does every card have exactly one term separator? With `cut`, the last card may be cut
    short and is not checked."""
    cards = [card for card in _split(text, between) if card.strip()]
    # Several cards on one line only make sense when the cards are not split by lines.
    enough = len(cards) >= (1 if between == "\n" else 2)
    checked = cards[:-1] if cut else cards
    return enough and all(card.count(term) == 1 for card in checked)


def _split(text: str, between: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    return text.split(between) if between != "\n" else text.split("\n")


def _drafts(text: str, term: str, between: str) -> Iterator[CardDraft]:
    for number, card in enumerate(
        (card for card in _split(text, between) if card.strip()), start=1
    ):
        question, _, answer = card.partition(term)
        yield CardDraft(f"card {number}", question.strip(), answer.strip())
