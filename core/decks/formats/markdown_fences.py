"""Which lines of a Markdown file are inside fenced code blocks, by CommonMark's rules.

An opening fence is three or more backticks or tildes, indented at most three spaces, with an
optional info string (```python; a backtick fence's info string has no backticks). The block
ends at a line of the same character, at least as many, indented at most three spaces and
followed only by spaces or tabs; without one it runs to the end of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FencedLines", "fenced_lines"]

_OPENING = re.compile(r" {0,3}(?P<fence>`{3,}(?=[^`]*$)|~{3,}).*")
_CLOSING = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})[ \t]*")


@dataclass(frozen=True, slots=True)
class FencedLines:
    """The lines of a file, whether each belongs to a code block (its fences included), and the
    1-based number of the line opening a block that is never closed, if any."""

    lines: tuple[str, ...]
    in_code: tuple[bool, ...]
    unclosed: int | None

    def outside(self) -> list[str]:
        """The lines that are Markdown rather than code."""
        return [line for line, code in zip(self.lines, self.in_code, strict=True) if not code]


def fenced_lines(lines: list[str]) -> FencedLines:
    in_code: list[bool] = []
    opened: tuple[int, str] | None = None  # (line number, fence) of the open block
    for number, line in enumerate(lines, start=1):
        if opened is None:
            opening = _OPENING.fullmatch(line)
            if opening is not None:
                opened = (number, opening["fence"])
            in_code.append(opening is not None)
            continue
        in_code.append(True)
        closing = _CLOSING.fullmatch(line)
        fence = opened[1]
        if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence):
            opened = None
    return FencedLines(tuple(lines), tuple(in_code), opened[0] if opened else None)
