"""Anki cloze deletions (`{{c1::text}}`, `{{c2::text::hint}}`, nested ones too) read in one pass.

A tokenizer and a stack, as Anki's own parser works, rather than a regular expression: a
backtracking pattern takes cubic time on a field full of unclosed `{{c1::` (README, Benchmarks),
which a crafted package could use to stall the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["cloze_answer", "cloze_numbers", "cloze_question"]

_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")
_MAX_DEPTH = 10  # deeper openings are kept as text, as Anki does


@dataclass(slots=True)
class _Cloze:
    number: int
    start: int  # where its `{{cN::` is: an unclosed cloze is put back as it was written
    parts: list[str | _Cloze] = field(default_factory=list)
    hint: str | None = None


def _parse(text: str) -> list[str | _Cloze]:
    root: list[str | _Cloze] = []
    open_clozes: list[_Cloze] = []

    def add_text(piece: str, *, literal: bool = False) -> None:
        if not piece:
            return
        if not open_clozes:
            root.append(piece)
            return
        cloze = open_clozes[-1]
        if "::" in piece and not literal:
            piece, cloze.hint = piece.split("::", 1)
        cloze.parts.append(piece)

    position = 0
    for token in _TOKEN.finditer(text):
        add_text(text[position : token.start()])
        position = token.end()
        if token.group(1) is not None and len(open_clozes) < _MAX_DEPTH:
            open_clozes.append(_Cloze(int(token.group(1)), token.start()))
        elif token.group(1) is None and open_clozes:
            closed = open_clozes.pop()
            (open_clozes[-1].parts if open_clozes else root).append(closed)
        else:
            add_text(token.group(0), literal=True)
    add_text(text[position:])
    if open_clozes:  # never closed: from the first unclosed one on, the text as written
        root.append(text[open_clozes[0].start :])
    return root


def _render(parts: list[str | _Cloze], hidden: int | None) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.number == hidden:
            out.append(f"[{part.hint}]" if part.hint else "[...]")
        else:
            out.append(_render(part.parts, hidden))
    return "".join(out)


def _numbers(parts: list[str | _Cloze], found: set[int]) -> set[int]:
    for part in parts:
        if isinstance(part, _Cloze):
            found.add(part.number)
            _numbers(part.parts, found)
    return found


def cloze_numbers(text: str) -> list[int]:
    """The distinct cloze numbers in `text`, ascending (c0 is not a cloze)."""
    if "{{c" not in text:
        return []
    return sorted(_numbers(_parse(text), set()) - {0})


def cloze_question(text: str, number: int) -> str:
    """`text` with deletion `number` shown as `[...]` (or `[hint]`) and the others revealed."""
    return _render(_parse(text), number) if "{{c" in text else text


def cloze_answer(text: str) -> str:
    """`text` with every deletion revealed."""
    return _render(_parse(text), None) if "{{c" in text else text
