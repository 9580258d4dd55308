"""JSON decks: a list of cards, or an object with a "cards" list. A card is an object with
"question" and "answer" (or "front"/"back", "term"/"definition"), optional "tags" (a list or a
space-separated string), "id" (a stable key) and "note"."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from core.decks.formats.base import CardDraft, DraftDeck
from core.errors import DeckImportError

__all__ = ["JsonFormat"]

_JSON_START = re.compile(r'\s*(\[\s*)?\{\s*"')
_PAIRS = (("question", "answer"), ("front", "back"), ("term", "definition"))


class JsonFormat:
    name = "JSON"
    suffixes = (".json",)

    def recognises(self, text: str) -> float:
        if not text.lstrip().startswith(("[", "{")):
            return 0
        try:
            _cards_of(json.loads(text, parse_constant=_not_json), "")
        except (ValueError, RecursionError, DeckImportError):
            # Broken JSON still gets JSON's error message rather than a CSV one.
            return 1 if _JSON_START.match(text) else 0
        return 2

    def read(self, text: str, source: str) -> DraftDeck:
        try:
            data = json.loads(text, parse_constant=lambda name: _not_json(name, source))
        except json.JSONDecodeError as exc:
            raise DeckImportError(f"{source} line {exc.lineno}: invalid JSON: {exc.msg}") from exc
        except RecursionError as exc:
            raise DeckImportError(f"{source}: the JSON is nested too deeply") from exc
        except ValueError as exc:  # an integer of more than 4,300 digits
            raise DeckImportError(f"{source}: invalid JSON: a number is too long") from exc
        return DraftDeck(_drafts(_cards_of(data, source), source))


def _not_json(name: str, source: str = "") -> None:
    # Python reads NaN and Infinity, which JSON does not have; a card "nan" is no card.
    raise DeckImportError(f"{source}: invalid JSON: {name} is not a JSON value")


def _cards_of(data: Any, source: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("cards"), list):
        return list(data["cards"])
    if isinstance(data, list):
        return data
    raise DeckImportError(f'{source}: expected a list of cards or an object with "cards"')


def _drafts(cards: list[Any], source: str) -> Iterator[CardDraft]:
    for number, card in enumerate(cards, start=1):
        where = f"card {number}"
        if not isinstance(card, dict):
            raise DeckImportError(f"{source} {where}: a card is an object with question and answer")
        keys = next(((q, a) for q, a in _PAIRS if q in card or a in card), _PAIRS[0])
        question, answer = (_text(card.get(key, ""), key, source, where) for key in keys)
        tags = card.get("tags", [])
        if isinstance(tags, str):
            tags = tags.split()
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise DeckImportError(f"{source} {where}: tags must be a list of words")
        key = card.get("id")
        if key is not None and not isinstance(key, str):
            raise DeckImportError(f"{source} {where}: id must be a string")
        note = _text(card.get("note", ""), "note", source, where)
        yield CardDraft(where, question, answer, tuple(tags), key, note)


def _text(value: object, key: str, source: str, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DeckImportError(f"{source} {where}: {key} must be text")
    return str(value)
