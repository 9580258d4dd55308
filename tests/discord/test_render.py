"""Screen → Discord markdown: literal text, styles, and splitting at 2000 characters."""

from __future__ import annotations

import pytest

from adapters.discord.render import escape, render_screen, render_text
from core.screens import Block, Button, Screen, Style


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a*b*", r"a\*b\*"),
        ("snake_case", r"snake\_case"),
        ("<@123> <t:1:R>", r"\<@123\> \<t:1:R\>"),
        ("# title", r"\# title"),
        ("- item", r"\- item"),
        ("2. item", r"2\. item"),
        ("> quote", r"\> quote"),
        ("||spoiler||", r"\|\|spoiler\|\|"),
        ("back\\slash", r"back\\slash"),
        ("plain words, 3-4 dashes", "plain words, 3-4 dashes"),
    ],
)
def test_escape_keeps_text_literal(text: str, shown: str) -> None:
    assert escape(text) == shown


def test_styles() -> None:
    blocks = [
        Block("Q", Style.BOLD),
        Block("note", Style.ITALIC),
        Block("x = 1", Style.CODE),
        Block("aside", Style.MUTED),
        Block("plain"),
    ]
    assert render_text(blocks) == ["**Q**\n\n_note_\n\n`x = 1`\n\n-# aside\n\nplain"]


def test_buttons_go_on_the_last_part_only() -> None:
    blocks = (Block("a" * 1500), Block("b" * 1500))
    show = Button("Show answer", "r.1.1.show")
    messages = render_screen(Screen(blocks, ((show,),)))
    assert [m.content for m in messages] == ["a" * 1500, "b" * 1500]
    assert [m.rows for m in messages] == [(), ((show,),)]


def test_an_over_long_line_is_cut_before_styling() -> None:
    parts = render_text([Block("*" * 3000, Style.BOLD)])
    assert all(len(part) <= 2000 for part in parts)
    assert all(part.startswith("**") and part.endswith("**") for part in parts)
    assert sum(part.count(r"\*") for part in parts) == 3000


def test_too_many_buttons_are_a_programming_error() -> None:
    row = tuple(Button(str(i), f"x{i}") for i in range(6))
    with pytest.raises(ValueError, match="rows"):
        render_screen(Screen((Block("q"),), (row,)))
