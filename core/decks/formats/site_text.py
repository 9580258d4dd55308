"""Text copied from a flashcard website's deck page: a title, "(N cards)", then per card its
number, a "Q" line, the question, an "A" line and the answer, followed by the page's rating widget
("How well did you know this?", 1 "Not at all" … 5 "Perfectly"), which is dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.decks.formats.base import CardDraft, DraftDeck
from core.texts import plural

__all__ = ["SiteTextFormat"]

_NUMBER = re.compile(r"\d{1,6}")
_WIDGET_START = "How well did you know this?"
_DECLARED = re.compile(r"\((\d[\d,]*) cards?\)")


class SiteTextFormat:
    name = "flashcard-site text"
    suffixes: tuple[str, ...] = ()  # ".txt" says nothing; the content decides

    def recognises(self, text: str) -> float:
        return 2 if _card_starts(text.replace("\r\n", "\n").split("\n")) else 0

    def read(self, text: str, source: str) -> DraftDeck:
        lines = text.replace("\r\n", "\n").split("\n")
        return DraftDeck(_drafts(lines), notices=_count_notice(lines, source))


def _count_notice(lines: list[str], source: str) -> tuple[str, ...]:
    """The page's "(N cards)" line against the cards found: a card without its "Q" line is
    otherwise lost without a word (it reads as the end of the card before)."""
    starts = _card_starts(lines)
    head = lines[: starts[0]] if starts else lines
    declared = next((m for line in head if (m := _DECLARED.fullmatch(line.strip()))), None)
    if declared is None:
        return ()
    declared_count = int(declared.group(1).replace(",", ""))
    if declared_count == len(starts):
        return ()
    return (
        f"{source}: the page says {plural(declared_count, 'card')} but {len(starts):,}"
        f" {'was' if len(starts) == 1 else 'were'} found; "
        "a card without its “Q” line is missing or part of the card before it",
    )


def _card_starts(lines: list[str]) -> list[int]:
    """Indexes of the number lines that start cards: a number, then (after blanks) a "Q" line."""
    starts = []
    previous: int | None = None  # the last non-blank line
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if (
            line.strip() == "Q"
            and previous is not None
            and _NUMBER.fullmatch(lines[previous].strip())
        ):
            starts.append(previous)
        previous = index
    return starts


def _drafts(lines: list[str]) -> Iterator[CardDraft]:
    starts = _card_starts(lines)
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        block = [line.rstrip() for line in lines[start + 1 : end]]
        where = f"card {lines[start].strip()} (line {start + 1})"
        block = block[next(i for i, line in enumerate(block) if line.strip() == "Q") + 1 :]
        answer_at = next((i for i, line in enumerate(block) if line.strip() == "A"), len(block))
        answer = block[answer_at + 1 :]
        widget_at = next(
            (i for i, line in enumerate(answer) if line.strip() == _WIDGET_START), len(answer)
        )
        question_text = "\n".join(block[:answer_at])
        yield CardDraft(where, question_text, "\n".join(answer[:widget_at]))
