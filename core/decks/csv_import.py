"""Import a deck from a spreadsheet export: CSV, TSV or semicolon-separated UTF-8 text.

Columns are question, answer and optionally tags (split on spaces or commas); a header row such
as "question,answer,tags", "front,back" or "term,definition" is recognised and skipped. The parser
is pure and all-or-nothing: it returns a complete deck or raises `DeckImportError` naming the row
(the 1-based line where the record starts, counting the header), so bad input never half-imports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice

from core.decks.model import (
    Card,
    Deck,
    ImportResult,
    card_key_for,
    is_valid_slug,
    make_card_id,
    tidy_text,
)
from core.errors import DeckImportError

__all__ = ["MAX_CARDS", "MAX_FIELD_CHARS", "MAX_IMPORT_BYTES", "parse_csv_deck"]

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_CARDS = 20_000
MAX_FIELD_CHARS = 10_000
_MAX_LISTED_WARNINGS = 10  # the rest is summed up, so the reply fits in one chat message
_SAMPLE_ROWS = 20
_HEADERS = {("question", "answer"), ("front", "back"), ("term", "definition")}
_TAG_SEPARATORS = re.compile(r"[\s,]+")
# Control characters other than tab and line breaks mean a binary file that happens to decode.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def parse_csv_deck(
    data: bytes,
    *,
    deck_id: str,
    deck_name: str,
    source: str,
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """The deck in `data`, with warnings for skipped repeats; `DeckImportError` if unusable.

    `source` (the file name) starts every message. `deck_id` must already be a valid slug (see
    `slugify`) and `deck_name` non-blank: a ValueError otherwise, since that is the caller's bug.
    """
    # Checked before anything else so that an oversized upload costs no decoding or parsing.
    if len(data) > max_bytes:
        size, limit = _size(len(data), ".1f"), _size(max_bytes, "g")
        raise DeckImportError(f"{source}: the file is {size}; the limit is {limit}")
    if not is_valid_slug(deck_id) or not deck_name.strip():
        raise ValueError(f"bad deck id {deck_id!r} or name {deck_name!r}")
    text = _decode(data, source)
    cards, warnings = _read_cards(text, _detect_delimiter(text), deck_id, source)
    if not cards:
        raise DeckImportError(f"{source}: the file has no cards")
    return ImportResult(Deck(deck_id, deck_name.strip(), tuple(cards)), warnings)


def _decode(data: bytes, source: str) -> str:
    message = f"{source}: the file is not UTF-8 text; save it as CSV UTF-8 and try again"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckImportError(message) from exc
    if _CONTROL_CHARS.search(text):
        raise DeckImportError(message)
    return text


def _detect_delimiter(text: str) -> str:
    """Tab if the first line has one; else comma or semicolon, whichever splits the first rows
    into 2 or 3 columns more often (ties: more columns in the first row, then comma).

    csv.Sniffer guesses wrong on short files and on questions full of punctuation.
    """
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first_line:
        return "\t"

    def fit(delimiter: str) -> tuple[int, int]:
        rows = _sample_rows(text, delimiter)
        return sum(len(row) in (2, 3) for row in rows), len(rows[0]) if rows else 0

    return max((",", ";"), key=fit)


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in islice(reader, _SAMPLE_ROWS * 2):
            if any(field.strip() for field in row):
                rows.append(_without_trailing_empty(row))
    except csv.Error:
        pass  # a malformed row ends the sample; _records reports it with its row number
    return rows[:_SAMPLE_ROWS]


def _records(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line they start on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DeckImportError(f"{source} row {row}: {_csv_problem(exc)}") from exc
        if any(field.strip() for field in fields):
            yield row, _without_trailing_empty(fields)
        row = reader.line_num + 1


def _read_cards(
    text: str, delimiter: str, deck_id: str, source: str
) -> tuple[list[Card], tuple[str, ...]]:
    cards: list[Card] = []
    first_row_of: dict[str, int] = {}
    repeats: list[str] = []
    for index, (row, fields) in enumerate(_records(text, delimiter, source)):
        if index == 0 and _is_header(fields):
            continue
        card = _card(row, fields, deck_id, source)
        if card.id in first_row_of:
            first = first_row_of[card.id]
            repeats.append(f"{source} row {row}: same question as row {first}; skipped")
            continue
        if len(cards) == MAX_CARDS:
            raise DeckImportError(f"{source}: the file has more than {MAX_CARDS:,} cards")
        first_row_of[card.id] = row
        cards.append(card)
    return cards, _repeat_warnings(repeats, source)


def _card(row: int, fields: list[str], deck_id: str, source: str) -> Card:
    if len(fields) not in (2, 3):
        raise DeckImportError(f"{source} row {row}: expected 2 or 3 columns, found {len(fields)}")
    longest = max(len(field) for field in fields)
    if longest > MAX_FIELD_CHARS:
        raise DeckImportError(
            f"{source} row {row}: a field has {longest:,} characters; "
            f"the limit is {MAX_FIELD_CHARS:,}"
        )
    question, answer = (tidy_text(field.strip()) for field in fields[:2])
    if not question:
        raise DeckImportError(f"{source} row {row}: no question")
    if not answer:
        raise DeckImportError(f"{source} row {row}: no answer")
    tags = _TAG_SEPARATORS.split(fields[2]) if len(fields) == 3 else []
    card_id = make_card_id(deck_id, card_key_for(question))
    return Card(card_id, question, answer, tags=tuple(dict.fromkeys(tag for tag in tags if tag)))


def _is_header(fields: list[str]) -> bool:
    names = tuple(field.strip().casefold() for field in fields)
    return names[:2] in _HEADERS and names[2:] in ((), ("tags",))


def _without_trailing_empty(fields: list[str]) -> list[str]:
    # Spreadsheets export empty trailing cells ("q,a,,"); they are not extra columns.
    while len(fields) > 2 and not fields[-1].strip():
        fields = fields[:-1]
    return fields


def _repeat_warnings(repeats: list[str], source: str) -> tuple[str, ...]:
    listed = repeats[:_MAX_LISTED_WARNINGS]
    if len(repeats) > _MAX_LISTED_WARNINGS:
        more = len(repeats) - _MAX_LISTED_WARNINGS
        listed.append(f"{source}: {more:,} more repeated questions skipped")
    return tuple(listed)


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    return 'a quoted field is not closed properly (write a quote inside one as "")'


def _size(count: int, spec: str) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:{spec}} {unit}"
    return f"{count} bytes"
