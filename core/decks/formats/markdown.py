"""Markdown notes: a heading per question with the text below it as the answer, or `Q:` / `A:`
lines. With headings of several levels, the deepest level holds the questions and the levels
above are sections (they become tags).

Fenced code blocks (``` or ~~~) are answer text, kept as is: a `# comment` in one is not a
heading, nor a `Q:` in one a question, nor a `$x$` in one a formula (outside code, `$…$` and
`$$…$$` on one line become the MathJax form cards share, see `core.decks.formulas`). Fences
follow CommonMark: a block closes only at a fence of the same character at least as long, and
one never closed runs to the end of the file (the summary says so, since it swallows every card
after it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.decks.formats.base import CardDraft, DraftDeck
from core.decks.formats.markdown_fences import FencedLines, fenced_lines
from core.decks.formulas import dollars_to_mathjax
from core.decks.model import slugify

__all__ = ["MarkdownFormat"]

_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*")
_QUESTION = re.compile(r"(?:\*\*)?Q(?:uestion)?\s*[:.](?:\*\*)?\s*(.*)", re.IGNORECASE)
_ANSWER = re.compile(r"(?:\*\*)?A(?:nswer)?\s*[:.](?:\*\*)?\s*(.*)", re.IGNORECASE)


class MarkdownFormat:
    name = "Markdown"
    suffixes = (".md", ".markdown")

    def recognises(self, text: str) -> float:
        lines = fenced_lines(text.replace("\r\n", "\n").split("\n"))
        markdown = lines.outside()
        if any(_QUESTION.fullmatch(line) for line in markdown) and any(
            _ANSWER.fullmatch(line) for line in markdown
        ):
            return 1
        return 1 if any(_HEADING.fullmatch(line) for line in markdown) else 0

    def read(self, text: str, source: str) -> DraftDeck:
        lines = fenced_lines(text.replace("\r\n", "\n").split("\n"))
        notices = _unclosed_notice(lines, source)
        if any(_QUESTION.fullmatch(line) for line in lines.outside()):
            return DraftDeck(_question_lines(lines), notices)
        return DraftDeck(_headings(lines), notices)


def _unclosed_notice(lines: FencedLines, source: str) -> tuple[str, ...]:
    if lines.unclosed is None:
        return ()
    return (
        f"{source} line {lines.unclosed}: this code block is never closed, so it runs to the end "
        "of the file (as in Markdown); close it with the same fence if cards after it are missing",
    )


def _headings(lines: FencedLines) -> Iterator[CardDraft]:
    levels = [len(m.group(1)) for line in lines.outside() if (m := _HEADING.fullmatch(line))]
    deepest = max(levels, default=1)
    sections: dict[int, str] = {}
    question: tuple[int, str, list[str]] | None = None
    for number, (line, code) in enumerate(_with_math(lines), start=1):
        heading = None if code else _HEADING.fullmatch(line)
        if heading is None:
            if question is not None:
                question[2].append(line)
            continue
        level = len(heading.group(1))
        if question is not None:
            yield _draft(question, sections)
            question = None
        if level == deepest:
            question = (number, heading.group(2), [])
        else:
            sections = {k: v for k, v in sections.items() if k < level} | {level: heading.group(2)}
    if question is not None:
        yield _draft(question, sections)


def _with_math(lines: FencedLines) -> Iterator[tuple[str, bool]]:
    """Each line with whether it is code; formulas outside code in MathJax form."""
    for line, code in zip(lines.lines, lines.in_code, strict=True):
        yield (line, True) if code else (dollars_to_mathjax(line), False)


def _draft(question: tuple[int, str, list[str]], sections: dict[int, str]) -> CardDraft:
    line, text, answer = question
    # A level-1 heading above the questions is the document's title, not a section.
    tags = tuple(slugify(name) for level, name in sorted(sections.items()) if level > 1)
    return CardDraft(f"line {line}", text, "\n".join(answer), tags)


def _question_lines(lines: FencedLines) -> Iterator[CardDraft]:
    current: tuple[int, list[str], list[str] | None] | None = None
    for number, (line, code) in enumerate(_with_math(lines), start=1):
        if code:
            if current is not None:
                (current[1] if current[2] is None else current[2]).append(line)
            continue
        asked, answered = _QUESTION.fullmatch(line), _ANSWER.fullmatch(line)
        if asked:
            if current is not None:
                yield _qa(current)
            current = (number, [asked.group(1)], None)
        elif current is None or _HEADING.fullmatch(line):
            continue
        elif answered and current[2] is None:
            current = (current[0], current[1], [answered.group(1)])
        else:
            (current[1] if current[2] is None else current[2]).append(line)
    if current is not None:
        yield _qa(current)


def _qa(current: tuple[int, list[str], list[str] | None]) -> CardDraft:
    line, question, answer = current
    return CardDraft(f"line {line}", "\n".join(question), "\n".join(answer or []))
