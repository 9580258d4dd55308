"""Formulas in card text: found, and written in Unicode when Unicode can show them faithfully.

Anki fields carry MathJax as `\\( … \\)` (inline) and `\\[ … \\]` (display); Markdown decks write
`$…$` / `$$…$$`, which the Markdown reader turns into the MathJax form (`dollars_to_mathjax`) so a
card's text has one notation whatever its source. A formula Unicode cannot show (a matrix, a
nested fraction, a subscript letter Unicode lacks) has `unicode=None`: it needs an image, which
an adapter renders (or shows its LaTeX source as code where it cannot).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.decks.formula_symbols import BLACKBOARD, LETTERS, SUBSCRIPTS, SUPERSCRIPTS, SYMBOLS

__all__ = [
    "MAX_FORMULA_CHARS",
    "Formula",
    "dollars_to_mathjax",
    "latex_to_unicode",
    "split_formulas",
]

MAX_FORMULA_CHARS = 500  # longer "formulas" are shown as their source, never converted or drawn
_MAX_FRACTION_DEPTH = 1  # a/b reads well; (a/(b/c))/d does not

_MATHJAX = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.DOTALL)
# Pandoc's rule: `$` opens when a non-space follows, closes when a non-space precedes and no digit
# follows — so "$5 and $10" is money, not a formula. `\$` is a literal dollar.
_DOLLARS = re.compile(
    r"(?<![\\$])\$\$(?P<display>[^$]+?)\$\$(?!\$)"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?![\d$])"
)
_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|\s+|.", re.DOTALL)
_TEXT_COMMANDS = {"text", "mathrm", "textrm", "operatorname", "mathit", "textit", "mbox"}
_DROPPED = {"left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits"}
_ROOTS = {"": "√", "2": "√", "3": "∛", "4": "∜"}
_ATOM = re.compile(r"^(?:\w|[√∛∜]?\(.*\)|[√∛∜]\w+|\w+[′]*)$")


@dataclass(frozen=True, slots=True)
class Formula:
    """One formula of a card's text: its LaTeX source, whether it stands on its own line, and its
    Unicode form (None when it needs an image)."""

    latex: str
    display: bool
    unicode: str | None


class _NeedsImage(Exception):
    """Raised inside the converter when a construct has no faithful Unicode form."""


def dollars_to_mathjax(text: str) -> str:
    """`$…$` → `\\(…\\)` and `$$…$$` → `\\[…\\]` in Markdown text, leaving prices alone."""

    def mathjax(match: re.Match[str]) -> str:
        if match["display"] is not None:
            return f"\\[{match['display']}\\]"
        return f"\\({match['inline']}\\)"

    return _DOLLARS.sub(mathjax, text) if "$" in text else text


def split_formulas(text: str) -> list[str | Formula]:
    """The text as literal pieces and formulas, in order (empty pieces left out)."""
    if "\\(" not in text and "\\[" not in text:
        return [text] if text else []
    parts: list[str | Formula] = []
    start = 0
    for match in _MATHJAX.finditer(text):
        if match.start() > start:
            parts.append(text[start : match.start()])
        display = match["display"] is not None
        latex = (match["display"] if display else match["inline"]).strip()
        parts.append(Formula(latex, display, latex_to_unicode(latex)))
        start = match.end()
    if start < len(text):
        parts.append(text[start:])
    return parts


def latex_to_unicode(latex: str) -> str | None:
    """The formula in Unicode, or None when Unicode cannot show it faithfully."""
    if len(latex) > MAX_FORMULA_CHARS:
        return None
    try:
        tokens = _TOKEN.findall(latex)
        tokens.reverse()  # a stack: pop() takes the next token
        return re.sub(r" {2,}", " ", _sequence(tokens, depth=0, until=None)).strip()
    except _NeedsImage:
        return None


def _sequence(tokens: list[str], depth: int, until: str | None) -> str:
    out: list[str] = []
    while tokens:
        token = tokens.pop()
        if token == until:
            return "".join(out)
        if token in ("^", "_"):
            table = SUPERSCRIPTS if token == "^" else SUBSCRIPTS
            out.append(_script(_argument(tokens, depth), table))
        elif token == "}":
            raise _NeedsImage
        else:
            out.append(_token(token, tokens, depth))
    if until is not None:
        raise _NeedsImage  # an unclosed group: let mathtext (or the source) show it
    return "".join(out)


def _token(token: str, tokens: list[str], depth: int) -> str:
    if token == "{":
        return _sequence(tokens, depth, "}")
    if token.isspace():
        return " "
    if token in ("&", "#", "~") or not token.startswith("\\"):
        return " " if token == "~" else _plain(token)
    name = token[1:]
    if name == "frac" or name == "dfrac" or name == "tfrac":
        return _fraction(tokens, depth)
    if name == "sqrt":
        return _root(tokens, depth)
    if name in _TEXT_COMMANDS:
        return _argument(tokens, depth)
    if name == "mathbb":
        letters = _argument(tokens, depth)
        if letters not in BLACKBOARD:
            raise _NeedsImage
        return BLACKBOARD[letters]
    if name in _DROPPED:
        return ""
    if name in SYMBOLS:
        if name in LETTERS and len(tokens) > 1 and tokens[-1].isspace() and tokens[-2].isalnum():
            tokens.pop()  # LaTeX drops the space after a command word
        return SYMBOLS[name]
    raise _NeedsImage  # \begin, \matrix, \overline, \hat, … and anything unknown


def _plain(token: str) -> str:
    if token in ("&", "#"):
        raise _NeedsImage  # alignment and macro parameters belong to environments
    return token


def _argument(tokens: list[str], depth: int) -> str:
    """The next argument: a braced group, or one token."""
    while tokens and tokens[-1].isspace():
        tokens.pop()
    if not tokens:
        raise _NeedsImage
    token = tokens.pop()
    if token == "{":
        return _sequence(tokens, depth, "}")
    if token in ("}", "^", "_"):
        raise _NeedsImage
    return _token(token, tokens, depth)


def _script(content: str, table: dict[str, str]) -> str:
    if not content or any(char not in table for char in content):
        raise _NeedsImage  # e.g. a subscript q or a superscript Greek letter Unicode lacks
    return "".join(table[char] for char in content)


def _fraction(tokens: list[str], depth: int) -> str:
    if depth >= _MAX_FRACTION_DEPTH:
        raise _NeedsImage
    numerator = _argument(tokens, depth + 1).strip()
    denominator = _argument(tokens, depth + 1).strip()
    return f"{_grouped(numerator)}/{_grouped(denominator)}"


def _root(tokens: list[str], depth: int) -> str:
    index = ""
    if tokens and tokens[-1] == "[":
        tokens.pop()
        index = _sequence(tokens, depth, "]").strip()
    if index not in _ROOTS:
        raise _NeedsImage
    radicand = _argument(tokens, depth).strip()
    return _ROOTS[index] + (radicand if _is_atom(radicand) else f"({radicand})")


def _grouped(part: str) -> str:
    return part if _is_atom(part) else f"({part})"


def _is_atom(part: str) -> bool:
    """Does the part read as one term without parentheses ("x", "12", "nᵢ", "(a+b)")?"""
    if part.startswith("(") and part.endswith(")") and _balanced(part[1:-1]):
        return True
    return all(char.isalnum() or char in "′·" for char in part) and bool(part)


def _balanced(part: str) -> bool:
    level = 0
    for char in part:
        level += {"(": 1, ")": -1}.get(char, 0)
        if level < 0:
            return False
    return level == 0
