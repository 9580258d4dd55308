"""Decks out as files: CSV for spreadsheets and the bundled TOML format for `decks/`.

Both carry each card's key, so importing the file again into the same deck gives the same card
ids and keeps every learner's progress. (Anki packages are written by `adapters.deckfiles`.)
"""

from __future__ import annotations

import csv
import io
import json

from core.decks.model import Deck, card_key_of, slugify

__all__ = ["deck_to_csv", "deck_to_toml"]

_CSV_HEADER = ("question", "answer", "tags", "id", "note")


def deck_to_csv(deck: Deck) -> bytes:
    """UTF-8 with a BOM (so spreadsheet apps pick the encoding) and a header naming the columns."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_HEADER)
    for card in deck.cards:
        writer.writerow(
            (card.question, card.answer, " ".join(card.tags), card_key_of(card.id), card.note)
        )
    return out.getvalue().encode("utf-8-sig")


def deck_to_toml(deck: Deck) -> str:
    """The deck in the bundled format, ready to drop into `decks/` (id from its name)."""
    lines = [f"id = {_string(slugify(deck.name))}", f"name = {_string(deck.name)}"]
    if deck.description:
        lines.append(f"description = {_string(deck.description)}")
    for card in deck.cards:
        lines += ["", "[[cards]]", f"id = {_string(card_key_of(card.id))}"]
        lines += [f"question = {_string(card.question)}", f"answer = {_string(card.answer)}"]
        if card.note:
            lines.append(f"note = {_string(card.note)}")
        if card.tags:
            lines.append(f"tags = [{', '.join(_string(tag) for tag in card.tags)}]")
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    """A TOML string: a multi-line literal for readable multi-line text, else a basic string."""
    readable = "'''" not in text and not text.endswith("'") and "\x7f" not in text
    if "\n" in text and readable and all(c >= " " or c in "\n\t" for c in text):
        return f"'''\n{text}'''"
    # JSON string escapes are valid TOML basic-string escapes; TOML also wants DEL escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
