"""Markdown decks with fenced code: a `#` or `Q:` inside a code block is answer text, kept as is.

A card whose answer was a ```python block with `# tuple packing and unpacking` in it was imported
with the answer "```python" and a bogus extra card "tuple packing and unpacking".
"""

from __future__ import annotations

import pytest

from core.decks.formats.markdown import MarkdownFormat
from core.decks.formats.markdown_fences import fenced_lines
from core.decks.importer import DeckImporter
from tests.decks.samples import fixture, questions_and_answers, read

IMPORTER = DeckImporter()

CODE_QUESTIONS = [
    (
        "How do you swap two variables?",
        "```python\n# tuple packing and unpacking\na, b = b, a\n```",
    ),
    (
        "How do you show a fence inside a code block?",
        "````markdown\n```python\n# a fence of three backticks does not close one of four\n```\n"
        "````",
    ),
    (
        "What does this shell line print?",
        '~~~ sh\n# comments and ``` are code here\necho "## not a heading"\n'
        "Q: not a question either\n~~~~",
    ),
    (
        "Which loop never ends?",
        "```\nwhile True:\n    pass\n"
        "## the fence above is never closed: this is code, not a question",
    ),
]


@pytest.mark.parametrize("file_name", ["code-questions.md", "cards.txt"])
def test_a_deck_of_code_questions_keeps_its_code_blocks_as_answers(file_name: str) -> None:
    result = read(IMPORTER, fixture("code-questions.md"), file_name)
    assert questions_and_answers(result) == CODE_QUESTIONS
    assert [card.tags for card in result.deck.cards] == [()] * 4


def test_a_code_block_never_closed_runs_to_the_end_and_the_summary_says_where_it_opened() -> None:
    result = read(IMPORTER, fixture("code-questions.md"), "code-questions.md")
    assert result.warnings == (
        "Demo line 28: this code block is never closed, so it runs to the end of the file (as "
        "in Markdown); close it with the same fence if cards after it are missing",
    )


def test_question_and_answer_lines_keep_code_in_the_answer() -> None:
    data = (
        b"Q: How do you swap two variables?\nA:\n```python\n# tuple packing\nQ: in code\n"
        b'a, b = b, a\n```\n\nQ: And in shell?\nA:\n~~~\n# read -r a b <<< "$b $a"\n~~~\n'
    )
    result = read(IMPORTER, data, "notes.md")
    assert questions_and_answers(result) == [
        (
            "How do you swap two variables?",
            "```python\n# tuple packing\nQ: in code\na, b = b, a\n```",
        ),
        ("And in shell?", '~~~\n# read -r a b <<< "$b $a"\n~~~'),
    ]
    assert result.warnings == ()


def test_a_heading_only_inside_code_does_not_make_a_file_markdown() -> None:
    text = "```\n# just a comment\n```\n"
    assert MarkdownFormat().recognises(text) == 0


@pytest.mark.parametrize(
    ("lines", "in_code", "unclosed"),
    [
        # A closing fence needs the same character, at least as many, and nothing after it.
        (["```", "~~~", "``", "``` x", "```"], [True] * 5, None),
        (["~~~~", "~~~", "~~~~~  "], [True] * 3, None),
        # Up to three spaces of indent open and close a fence; four make it text.
        (["   ```", "x", "   ```"], [True] * 3, None),
        (["    ```", "x"], [False, False], None),
        # A backtick fence's info string cannot hold a backtick: that is inline code.
        (["```a`b```", "# heading"], [False, False], None),
        (["~~~ a`b", "x"], [True, True], 1),
        (["text", "```js", "x"], [False, True, True], 2),
    ],
)
def test_fences_follow_commonmark(
    lines: list[str], in_code: list[bool], unclosed: int | None
) -> None:
    fenced = fenced_lines(lines)
    assert (list(fenced.in_code), fenced.unclosed) == (in_code, unclosed)
