"""Formulas in card text: found by the MathJax and Markdown rules, written in Unicode when Unicode
shows them faithfully, set apart as a FORMULA block (for an image) when it cannot (issue 13)."""

from __future__ import annotations

import pytest

from core.decks.formats.markdown import MarkdownFormat
from core.decks.formulas import (
    MAX_FORMULA_CHARS,
    Formula,
    dollars_to_mathjax,
    latex_to_unicode,
    split_formulas,
)
from core.review.card_text import text_blocks
from core.screens import Block, Style


@pytest.mark.parametrize(
    ("latex", "unicode"),
    [
        # The example: every subscript letter here has a Unicode form.
        (r"a = \sqrt{6/(n_{in}+n_{out})}", "a = √(6/(nᵢₙ+nₒᵤₜ))"),
        (r"\frac{a+b}{2}", "(a+b)/2"),
        (r"\frac{1}{n}", "1/n"),
        (r"x^2 + y^{10}", "x² + y¹⁰"),
        (r"\alpha \le \beta \ne \gamma", "α ≤ β ≠ γ"),
        (r"a \cdot b \times c \approx \infty", "a · b × c ≈ ∞"),
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
        (r"\partial f / \partial x \to \nabla f", "∂f / ∂x → ∇f"),
        (r"f: \mathbb{R}^n \to \mathbb{R}", "f: ℝⁿ → ℝ"),
        (r"\sqrt{2}", "√2"),
        (r"\sqrt[3]{x+1}", "∛(x+1)"),
        (r"\left( a \right)", "( a )"),
        (r"\text{speed} = d/t", "speed = d/t"),
        (r"E = mc^2", "E = mc²"),
    ],
)
def test_simple_latex_reads_as_unicode(latex: str, unicode: str) -> None:
    assert latex_to_unicode(latex) == unicode


@pytest.mark.parametrize(
    "latex",
    [
        r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",  # matrices
        r"\frac{\frac{1}{2}}{3}",  # a fraction inside a fraction
        r"x_q",  # no subscript q in Unicode
        r"e^{\pi}",  # no superscript π
        r"\hat{x}",  # an accent it does not know
        r"\frac{1}{",  # unbalanced
        r"\mathbb{K}",
        "x" * (MAX_FORMULA_CHARS + 1),
    ],
)
def test_latex_without_a_faithful_unicode_form_needs_an_image(latex: str) -> None:
    assert latex_to_unicode(latex) is None


def test_anki_mathjax_is_found_inline_and_display() -> None:
    parts = split_formulas(r"Glorot: \(a = \sqrt{6/(n_{in}+n_{out})}\), and \[ \hat{y} \]")
    assert parts == [
        "Glorot: ",
        Formula(r"a = \sqrt{6/(n_{in}+n_{out})}", False, "a = √(6/(nᵢₙ+nₒᵤₜ))"),
        ", and ",
        Formula(r"\hat{y}", True, None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10.",
        "Between $5 and $ 10",
        "A $ sign alone",
        r"Escaped \$x\$ dollars",
        "US$10 or $20",
        "from $3 to $x",
    ],
)
def test_dollars_that_are_not_formulas_stay(text: str) -> None:
    assert dollars_to_mathjax(text) == text


@pytest.mark.parametrize(
    ("text", "mathjax"),
    [
        ("energy $E = mc^2$ here", r"energy \(E = mc^2\) here"),
        ("$x$, and $$\\sum x$$", r"\(x\), and \[\sum x\]"),
        ("costs $5 but $x^2$ is maths", r"costs $5 but \(x^2\) is maths"),
    ],
)
def test_markdown_dollars_become_mathjax(text: str, mathjax: str) -> None:
    assert dollars_to_mathjax(text) == mathjax


def test_a_markdown_deck_keeps_dollars_in_code_and_reads_formulas_elsewhere() -> None:
    text = "# What is $E$?\n\n$E = mc^2$ costs $5\n\n```\necho $HOME$x$\n```\n"
    [card] = list(MarkdownFormat().read(text, "physics.md").drafts)
    assert card.question == r"What is \(E\)?"
    assert r"\(E = mc^2\) costs $5" in card.answer
    assert "echo $HOME$x$" in card.answer


def test_simple_formulas_join_the_text_in_unicode() -> None:
    assert text_blocks(r"Init: \(a = \sqrt{6/(n_{in}+n_{out})}\)", Style.BOLD) == [
        Block("Init: a = √(6/(nᵢₙ+nₒᵤₜ))", Style.BOLD)
    ]


def test_a_formula_needing_an_image_is_its_own_block_between_the_text() -> None:
    blocks = text_blocks(r"Rotate by \[\begin{matrix} c & -s \end{matrix}\] then stop", Style.PLAIN)
    assert blocks == [
        Block("Rotate by", Style.PLAIN),
        Block(r"\begin{matrix} c & -s \end{matrix}", Style.FORMULA),
        Block("then stop", Style.PLAIN),
    ]


def test_text_without_formulas_is_one_block_as_before() -> None:
    assert text_blocks("", Style.PLAIN) == [Block("", Style.PLAIN)]
    assert text_blocks("costs $5", Style.BOLD) == [Block("costs $5", Style.BOLD)]
