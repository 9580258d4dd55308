"""Bundled decks: hand-edited TOML files shipped with the bot, validated strictly.

    id = "neural-nets"                  # deck id: a slug, see is_valid_slug
    name = "Neural nets and deep learning"
    description = "..."                 # optional

    [[cards]]
    id = "mnist"                        # optional stable key; default card_key_for(question)
    question = "What is MNIST an abbreviation of?"
    answer = '''
    Modified National Institute of Standards and Technology database
    '''
    note = "..."                        # optional hint shown with the question
    tags = ["datasets"]                 # optional

Every mistake is a `DeckFormatError` naming the file and line, because a deck author fixes the
file, not the code. Values lose trailing whitespace and surrounding blank lines; inner lines stay.
The core parses text; the `decks` package reads the shipped files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from core.decks.model import Card, Deck, card_key_for, is_valid_slug, make_card_id, tidy_text
from core.errors import DeckFormatError

__all__ = ["parse_bundled_deck"]

_DECK_KEYS = ("id", "name", "description", "cards")
_CARD_KEYS = ("id", "question", "answer", "note", "tags")
_SLUG_RULE = "use a-z, 0-9, '-', '.' or '_', start with a letter or digit, at most 64 characters"
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
_CARD_HEADER = re.compile(r"\s*\[\[\s*cards\s*\]\]\s*(#.*)?")
_STRING_START = re.compile(r"\"\"\"|'''|\"(?:\\.|[^\"\\])*\"|'[^']*'|#")
_MULTILINE_END = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""'),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''"),
}


def parse_bundled_deck(text: str, source: str) -> Deck:
    """The deck in `text`, or `DeckFormatError` naming `source` and the line of the mistake."""
    data = _load_toml(text, source)
    lines = _Lines.of(text, source)
    # Top-level keys come before the first table, so a card's `id` is not mistaken for the deck's.
    top_end = lines.card_headers[0] - 1 if lines.card_headers else len(lines.text)
    deck = _Scope(lines, "the deck", 1, top_end)
    _reject_unknown_keys(data, _DECK_KEYS, deck)
    deck_id = _text(data, "id", deck, required=True)
    if not is_valid_slug(deck_id):
        raise deck.error(f"the deck id {deck_id!r} is not valid: {_SLUG_RULE}", "id")
    name = _text(data, "name", deck, required=True)
    description = _text(data, "description", deck, required=False)
    tables = data.get("cards")
    if not tables:
        raise deck.error("the deck has no cards")
    if not isinstance(tables, list) or len(tables) != len(lines.card_headers):
        raise deck.error("write each card as a [[cards]] table", "cards")
    return Deck(deck_id, name, _cards(tables, deck_id, lines), description)


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 only puts the position in the message: "... (at line 3, column 7)".
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else text.count("\n") + 1
        reason = message[: match.start()] if match else message
        raise DeckFormatError(f"{source} line {line}: invalid TOML: {reason}") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise DeckFormatError(f"{source}: invalid TOML: a number is too long") from exc
    except RecursionError as exc:
        raise DeckFormatError(f"{source}: invalid TOML: arrays nested too deeply") from exc


def _cards(tables: list[Any], deck_id: str, lines: _Lines) -> tuple[Card, ...]:
    cards: list[Card] = []
    number_of_key: dict[str, int] = {}
    number_of_question: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        scope = lines.card_scope(number)
        key, card = _card(table, deck_id, scope)
        if key in number_of_key:
            message = f"{scope.what} has the id {key!r}, already used by card {number_of_key[key]}"
            raise scope.error(message, "id")
        question_key = card_key_for(card.question)
        if question_key in number_of_question:
            earlier = number_of_question[question_key]
            raise scope.error(f"{scope.what} repeats the question of card {earlier}", "question")
        number_of_key[key] = number
        number_of_question[question_key] = number
        cards.append(card)
    return tuple(cards)


def _card(table: dict[str, Any], deck_id: str, scope: _Scope) -> tuple[str, Card]:
    _reject_unknown_keys(table, _CARD_KEYS, scope)
    question = _text(table, "question", scope, required=True)
    answer = _text(table, "answer", scope, required=True)
    note = _text(table, "note", scope, required=False)
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(_is_tag(tag) for tag in tags):
        message = f"{scope.what}: tags must be a list of words without spaces or commas"
        raise scope.error(message, "tags")
    key = table.get("id", card_key_for(question))
    if not isinstance(key, str) or not is_valid_slug(key):
        message = f"{scope.what} has the id {key!r}, which is not valid: {_SLUG_RULE}"
        raise scope.error(message, "id")
    card = Card(make_card_id(deck_id, key), question, answer, note, tuple(dict.fromkeys(tags)))
    return key, card


def _reject_unknown_keys(table: dict[str, Any], known: tuple[str, ...], scope: _Scope) -> None:
    for key in table:
        if key not in known:
            expected = ", ".join(known)
            message = f"{scope.what} has an unknown key {key!r} (expected: {expected})"
            raise scope.error(message, key)


def _text(table: dict[str, Any], key: str, scope: _Scope, *, required: bool) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise scope.error(f"{scope.what}: {key} must be a string", key)
    value = tidy_text(value)
    if required and not value:
        raise scope.error(f"{scope.what} has no {key}", key)
    return value


def _is_tag(tag: object) -> bool:
    # Tags are single words so that they mean the same as tags split from a CSV column.
    return isinstance(tag, str) and bool(tag) and not any(c.isspace() or c == "," for c in tag)


@dataclass(frozen=True, slots=True)
class _Lines:
    """Where things are in the TOML text, to point error messages at a line (1-based)."""

    source: str
    text: tuple[str, ...]
    code: tuple[bool, ...]  # per line: does it start outside a multi-line string?
    card_headers: tuple[int, ...]

    @classmethod
    def of(cls, text: str, source: str) -> _Lines:
        lines = tuple(text.splitlines()) or ("",)
        code = _starts_outside_strings(lines)
        headers = tuple(
            number
            for number, (line, is_code) in enumerate(zip(lines, code, strict=True), start=1)
            if is_code and _CARD_HEADER.fullmatch(line)
        )
        return cls(source, lines, code, headers)

    def card_scope(self, number: int) -> _Scope:
        """The lines of the `number`-th [[cards]] table, from its header to the next one."""
        first = self.card_headers[number - 1]
        last = self.card_headers[number] - 1 if number < len(self.card_headers) else len(self.text)
        return _Scope(self, f"card {number}", first, last)

    def key_line(self, key: str, first: int, last: int) -> int | None:
        """The first line in [first, last] that sets `key` or opens a table named `key`."""
        quoted = "|".join(re.escape(form) for form in (key, f'"{key}"', f"'{key}'"))
        pattern = re.compile(rf"\s*(?:\[\[?\s*)?(?:{quoted})\s*[=.\]]")
        for number in range(first, last + 1):
            if self.code[number - 1] and pattern.match(self.text[number - 1]):
                return number
        return None


@dataclass(frozen=True, slots=True)
class _Scope:
    """The deck's top level or one card: what messages call it and which lines it spans."""

    lines: _Lines
    what: str  # "the deck" or "card 4"
    first: int
    last: int

    def error(self, message: str, key: str | None = None) -> DeckFormatError:
        """An error at the line of `key` if it is there, else at the scope's first line."""
        found = None if key is None else self.lines.key_line(key, self.first, self.last)
        line = self.first if found is None else found
        return DeckFormatError(f"{self.lines.source} line {line}: {message}")


def _starts_outside_strings(lines: tuple[str, ...]) -> tuple[bool, ...]:
    """Track multi-line strings so that a "[[cards]]" line inside an answer is not a header."""
    flags: list[bool] = []
    closing: str | None = None
    for line in lines:
        flags.append(closing is None)
        position = 0
        while True:
            if closing is not None:
                end = _MULTILINE_END[closing].match(line, position)
                if end is None:
                    break
                # Up to two extra quotes before the delimiter belong to the string.
                position = end.end()
                for _ in range(2):
                    if line[position : position + 1] == closing[0]:
                        position += 1
                closing = None
            token = _STRING_START.search(line, position)
            if token is None or token.group() == "#":
                break
            if token.group() in _MULTILINE_END:
                closing = token.group()
            position = token.end()
    return tuple(flags)
