"""A card's text as screen blocks, its formulas written in Unicode or set apart for an image."""

from __future__ import annotations

from core.decks.formulas import Formula, split_formulas
from core.screens import Block, Style

__all__ = ["text_blocks"]


def text_blocks(text: str, style: Style) -> list[Block]:
    """Simple formulas join the text in Unicode; one that needs an image becomes a FORMULA block
    of its LaTeX source between the text before and after it, for the adapter to draw."""
    blocks: list[Block] = []
    line = ""
    for part in split_formulas(text):
        if isinstance(part, Formula) and part.unicode is None:
            if line.strip():
                blocks.append(Block(line.strip(), style))
            blocks.append(Block(part.latex, Style.FORMULA))
            line = ""
        else:
            line += part if isinstance(part, str) else part.unicode or ""
    if line.strip() or not blocks:
        blocks.append(Block(line.strip() if blocks else line, style))
    return blocks
