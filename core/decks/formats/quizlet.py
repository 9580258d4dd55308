"""Quizlet's export: term and definition per card, with the separators chosen when exporting
(tab or comma or custom between term and definition; new line or semicolon or custom between
cards). No quoting: the text is taken as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.decks.formats.base import CardDraft, DraftDeck

__all__ = ["QuizletFormat"]

# (between term and definition, between cards), most common first.
_COMBINATIONS = (
    ("\t", "\n"),
    ("\t", ";"),
    (",", ";"),
    (" - ", "\n"),
    (" – ", "\n"),
    (" — ", "\n"),
    (" = ", "\n"),
    (": ", "\n"),
)
_TAB_SEPARATED = 2  # the first two combinations use tabs and need no guessing


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
    for term, between in _COMBINATIONS:
        cards = [card for card in _split(text, between) if card.strip()]
        if cards and all(card.count(term) == 1 for card in cards):
            # Several cards on one line only make sense when the cards are not split by lines.
            if between != "\n" and len(cards) < 2:
                continue
            return term, between
    return None


def _split(text: str, between: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    return text.split(between) if between != "\n" else text.split("\n")


def _drafts(text: str, term: str, between: str) -> Iterator[CardDraft]:
    for number, card in enumerate(
        (card for card in _split(text, between) if card.strip()), start=1
    ):
        question, _, answer = card.partition(term)
        yield CardDraft(f"card {number}", question.strip(), answer.strip())
