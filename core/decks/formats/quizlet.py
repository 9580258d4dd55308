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
_NEARLY = 0.8  # a few cards without a separator: read as Quizlet, so they are named
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
    suffixes: tuple[str, ...] = ()  # ".txt" says nothing; the content decides

    def recognises(self, text: str) -> float:
        found = _separators(text)
        if found is None:
            return 0.5 if _separators(text, share=_NEARLY) else 0
        # A quoted field means a spreadsheet's TSV, which the CSV format reads with its quoting.
        if found == ("\t", "\n") and re.search(r'(^|\t)"', text, re.MULTILINE):
            return 0
        return 1

    def read(self, text: str, source: str) -> DraftDeck:
        term, between = _separators(text) or _separators(text, share=_NEARLY) or ("\t", "\n")
        return DraftDeck(_drafts(text, term, between))


def _separators(text: str, share: float = 1.0) -> tuple[str, str] | None:
    """The first combination that splits at least `share` of the cards into term and
    definition. The start of the file rules most out cheaply; the winner must fit it all."""
    sample = text[:_SAMPLE_CHARS]
    cut = len(sample) < len(text)
    for term, between in _COMBINATIONS:
        if _fits(sample, term, between, share, cut=cut) and _fits(text, term, between, share):
            return term, between
    return None


def _fits(text: str, term: str, between: str, share: float, *, cut: bool = False) -> bool:
    """Do enough cards have exactly one term separator? With `cut`, the last card may be cut
    short and is not checked."""
    cards = [card for card in _split(text, between) if card.strip()]
    # Several cards on one line only make sense when the cards are not split by lines.
    if len(cards) < (1 if between == "\n" else 2):
        return False
    checked = cards[:-1] if cut else cards
    return sum(card.count(term) == 1 for card in checked) >= share * len(checked)


def _split(text: str, between: str) -> list[str]:
    return text.replace("\r\n", "\n").split(between)


def _drafts(text: str, term: str, between: str) -> Iterator[CardDraft]:
    """Cards named by line when cards are lines (or blocks of lines), else by number."""
    line, number = 1, 0
    for card in _split(text, between):
        if card.strip():
            number += 1
            leading_blank_lines = len(card) - len(card.lstrip("\n"))
            where = f"line {line + leading_blank_lines}" if "\n" in between else f"card {number}"
            question, _, answer = card.partition(term)
            yield CardDraft(where, question.strip(), answer.strip())
        line += card.count("\n") + between.count("\n")
