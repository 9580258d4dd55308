"""Anki's plain-text exports ("Notes in Plain Text", "Cards in Plain Text") and files written for
Anki's text import: `#key:value` header lines, then one note per row.

Headers: `#separator:` (Tab, Comma, Semicolon, Space, Pipe, Colon or the character itself),
`#html:`, `#columns:`, `#tags column:`, `#notetype column:`, `#deck column:`, `#guid column:`
(columns count from 1), and the fixed `#notetype:`, `#deck:` and `#tags:`; keys in any case, and
other `#` lines (at the top, or starting a row in the body) are comments, as in Anki. With a
note-type column, reversed types give two cards and cloze types one per cloze number; with a
GUID column the GUID is the card's stable id.

`#columns:` names the columns: `Front`/`Question`/`Term`/`Text` is the first field,
`Back`/`Answer`/`Definition`/`Back Extra` the second (`Add Reverse` the third), and `Tags`,
`GUID`, `Notetype`, `Deck` and `Note` (quizbot's note) the special columns unless a `#… column:`
header says otherwise; fields with no or unknown names take the remaining columns in order, as
Anki maps them by position. Without a tags column, a standard note type's next column after its
fields holds the tags (Anki's default mapping).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from core.decks.formats.anki_decks import anki_deck_tag, merged_decks_notice
from core.decks.formats.anki_notes import AnkiNote, note_drafts, note_type_by_name
from core.decks.formats.base import MAX_FIELD_CHARS, CardDraft, DraftDeck
from core.decks.formats.html_text import html_to_text
from core.errors import DeckImportError

__all__ = ["AnkiTextFormat"]

_HEADER = re.compile(r"#([^:]*):(.*)", re.DOTALL)
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_SPECIAL = ("tags column", "notetype column", "deck column", "guid column")
# `#columns:` names of special columns, by the header that would name them by number
_SPECIAL_LABELS = {
    "tags": "tags column",
    "guid": "guid column",
    "notetype": "notetype column",
    "note type": "notetype column",
    "deck": "deck column",
}
_NOTE_LABEL = "note"
# `#columns:` names of note fields, by field position
_FIELD_LABELS = {
    "front": 0,
    "question": 0,
    "term": 0,
    "text": 0,
    "back": 1,
    "answer": 1,
    "definition": 1,
    "back extra": 1,
    "extra": 1,
    "add reverse": 2,
}
# How many fields Anki's standard note types have: the column after them holds the tags.
_STANDARD_FIELD_COUNTS = {
    "basic": 2,
    "basic (and reversed card)": 2,
    "basic (optional reversed card)": 3,
    "basic (type in the answer)": 2,
    "cloze": 2,
}


@dataclass(frozen=True, slots=True)
class _Headers:
    values: dict[str, str]
    lines: int  # how many header lines there are

    def column(self, key: str, source: str) -> int | None:
        """The 0-based index of a `#… column:` header, or None."""
        raw = self.values.get(key)
        if raw is None:
            return None
        raw = raw.strip()
        if not raw.isdigit() or int(raw) < 1:
            raise DeckImportError(f"{source} line 1: “#{key}:{raw}” should name a column number")
        return int(raw) - 1


class AnkiTextFormat:
    name = "Anki plain text"
    suffixes: tuple[str, ...] = ()  # ".txt" says nothing; the content decides

    def recognises(self, text: str) -> float:
        headers = _headers(text)
        return (
            2
            if headers.lines and ("separator" in headers.values or "html" in headers.values)
            else 0
        )

    def read(self, text: str, source: str) -> DraftDeck:
        by_deck = list(_drafts(text, _headers(text), source))
        decks = Counter(deck for deck, _ in by_deck if deck)
        drafts = [
            replace(draft, tags=(*draft.tags, anki_deck_tag(deck))) if len(decks) > 1 else draft
            for deck, draft in by_deck
        ]
        return DraftDeck(drafts, notices=merged_decks_notice(decks, source), lenient=True)


def _headers(text: str) -> _Headers:
    values: dict[str, str] = {}
    lines = text.split("\n")
    count = 0
    for line in lines:
        line = line.rstrip("\r").lstrip("\ufeff")
        if not line.startswith("#"):
            break
        match = _HEADER.fullmatch(line)
        if match is not None:
            values[match.group(1).strip().casefold()] = match.group(2)
        count += 1
    return _Headers(values, count)


def _separator(headers: _Headers, source: str) -> str:
    raw = headers.values.get("separator", "tab")
    separator = _SEPARATORS.get(raw.strip().casefold(), raw)
    if len(separator) != 1:
        raise DeckImportError(f"{source} line 1: unknown separator “{raw}”")
    return separator


@dataclass(slots=True)
class _Layout:
    """Which column holds what: special columns by index, note fields by position."""

    special: dict[str, int]  # "guid", "notetype", "tags", "deck", "note" -> column
    named_fields: dict[int, int]  # field position -> column, from `#columns:`
    field_count: int | None  # a standard note type's field count: the next column is tags
    orders: dict[int, list[int]]  # row width -> field columns in field order (a cache)

    def field_columns(self, width: int) -> list[int]:
        order = self.orders.get(width)
        if order is None:
            taken = set(self.special.values()) | set(self.named_fields.values())
            rest = iter([column for column in range(width) if column not in taken])
            count = len([c for c in range(width) if c not in self.special.values()])
            count = max(count, max(self.named_fields, default=-1) + 1)
            order = [
                self.named_fields[p] if p in self.named_fields else next(rest, width)
                for p in range(count)
            ]
            self.orders[width] = order
        return order


def _layout(headers: _Headers, separator: str, source: str) -> _Layout:
    special = {
        key.removesuffix(" column"): column
        for key in _SPECIAL
        if (column := headers.column(key, source)) is not None
    }
    named_fields: dict[int, int] = {}
    for column, label in enumerate(_labels(headers, separator)):
        name = " ".join(label.split()).casefold()
        if name in _SPECIAL_LABELS:
            special.setdefault(_SPECIAL_LABELS[name].removesuffix(" column"), column)
        elif name == _NOTE_LABEL:
            special.setdefault("note", column)
        elif name in _FIELD_LABELS and column not in special.values():
            named_fields.setdefault(_FIELD_LABELS[name], column)
    named_fields = {p: c for p, c in named_fields.items() if c not in special.values()}
    field_count = None
    if "tags" not in special and "notetype" not in special:
        fixed_type = headers.values.get("notetype", "Basic").strip().casefold()
        field_count = _STANDARD_FIELD_COUNTS.get(fixed_type)
    return _Layout(special, named_fields, field_count, {})


def _labels(headers: _Headers, separator: str) -> list[str]:
    raw = headers.values.get("columns")
    if raw is None:
        return []
    try:
        return next(csv.reader([raw], delimiter=separator), [])
    except csv.Error:
        return raw.split(separator)


def _drafts(text: str, headers: _Headers, source: str) -> Iterator[tuple[str, CardDraft]]:
    """Each card with its Anki deck (from the deck column or `#deck:`; may be empty)."""
    separator = _separator(headers, source)
    html = headers.values.get("html", "false").strip().casefold() == "true"
    layout = _layout(headers, separator, source)
    fixed_type = headers.values.get("notetype", "Basic").strip() or "Basic"
    fixed_tags = tuple(headers.values.get("tags", "").split())
    fixed_deck = headers.values.get("deck", "").strip()
    body = "\n".join(text.split("\n")[headers.lines :])
    lines = _BodyLines(body)
    reader = csv.reader(lines, delimiter=separator, strict=True)
    while True:
        lines.at_record_start = True
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = headers.lines + lines.record_line
            raise DeckImportError(f"{source} line {line}: {_csv_problem(exc)}") from exc
        if any(cell.strip() for cell in row):
            note = _note(row, headers.lines + lines.record_line, layout, fixed_tags, html)
            type_name = _cell(row, layout.special.get("notetype")) or fixed_type
            deck = _cell(row, layout.special.get("deck")) or fixed_deck
            for draft in note_drafts(note_type_by_name(type_name, len(note.fields)), note):
                yield deck, draft


class _BodyLines:
    """The body's lines for the CSV reader, without `#` comment lines where a row would start
    (Anki skips them); remembers the line each row starts on."""

    def __init__(self, body: str) -> None:
        self._lines = iter(io.StringIO(body, newline=""))
        self.at_record_start = True
        self.record_line = 0
        self._count = 0

    def __iter__(self) -> _BodyLines:
        return self

    def __next__(self) -> str:
        for line in self._lines:
            self._count += 1
            if self.at_record_start:
                if line.startswith("#"):
                    continue
                self.at_record_start = False
                self.record_line = self._count
            return line
        raise StopIteration


def _note(
    row: list[str], line: int, layout: _Layout, fixed_tags: tuple[str, ...], html: bool
) -> AnkiNote:
    order = layout.field_columns(len(row))
    tags_at = layout.special.get("tags")
    if tags_at is None and layout.field_count is not None and len(order) > layout.field_count:
        # Anki's default mapping: the column after a standard note type's fields is its tags.
        tags_at, order = order[layout.field_count], order[: layout.field_count]
    fields = [row[column] if column < len(row) else "" for column in order]
    if not html:
        # Plain text may still hold "<" or "&"; escape so the shared HTML rendering keeps them.
        fields = [_escape(cell) for cell in fields]
    tags = (*fixed_tags, *_cell(row, tags_at).split())
    guid = _cell(row, layout.special.get("guid")) or None
    note_text = _cell(row, layout.special.get("note"))
    note_text = html_to_text(note_text) if html else note_text
    return AnkiNote(f"line {line}", guid, tuple(fields), tags, note=note_text)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    return 'a quoted field is not closed properly (write a quote inside one as "")'
