"""Anki's plain-text exports ("Notes in Plain Text", "Cards in Plain Text") and files written for
Anki's text import: `#key:value` header lines, then one note per row.

Headers: `#separator:` (Tab, Comma, Semicolon, Space, Pipe, Colon or the character itself),
`#html:`, `#columns:`, `#tags column:`, `#notetype column:`, `#deck column:`, `#guid column:`
(columns count from 1), and the fixed `#notetype:`, `#deck:` and `#tags:`. With a note-type
column, reversed types give two cards and cloze types one per cloze number; with a GUID column
the GUID is the card's stable id.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.decks.formats.anki_notes import AnkiNote, note_drafts, note_type_by_name
from core.decks.formats.base import MAX_FIELD_CHARS, CardDraft, DraftDeck
from core.errors import DeckImportError

__all__ = ["AnkiTextFormat"]

_HEADER = re.compile(r"#([a-z ]+):(.*)")
_KNOWN = {
    "separator",
    "html",
    "columns",
    "tags column",
    "notetype column",
    "deck column",
    "guid column",
    "notetype",
    "deck",
    "tags",
    "if matches",
}
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_SPECIAL = ("tags column", "notetype column", "deck column", "guid column")


@dataclass(frozen=True, slots=True)
class _Headers:
    values: dict[str, str]
    lines: int  # how many header lines there are

    def column(self, key: str, source: str) -> int | None:
        """The 0-based index of a `#… column:` header, or None."""
        raw = self.values.get(key)
        if raw is None:
            return None
        if not raw.strip().isdigit() or int(raw) < 1:
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
        return DraftDeck(_drafts(text, _headers(text), source), lenient=True)


def _headers(text: str) -> _Headers:
    values: dict[str, str] = {}
    lines = text.split("\n")
    count = 0
    for line in lines:
        match = _HEADER.fullmatch(line.rstrip("\r").lstrip("\ufeff"))
        if match is None or match.group(1) not in _KNOWN:
            break
        values[match.group(1)] = match.group(2).strip()
        count += 1
    return _Headers(values, count)


def _separator(headers: _Headers, source: str) -> str:
    raw = headers.values.get("separator", "tab")
    separator = _SEPARATORS.get(raw.casefold(), raw)
    if len(separator) != 1:
        raise DeckImportError(f"{source} line 1: unknown separator “{raw}”")
    return separator


def _drafts(text: str, headers: _Headers, source: str) -> Iterator[CardDraft]:
    separator = _separator(headers, source)
    html = headers.values.get("html", "false").casefold() == "true"
    guid_at = headers.column("guid column", source)
    type_at = headers.column("notetype column", source)
    tags_at = headers.column("tags column", source)
    special = {headers.column(key, source) for key in _SPECIAL} - {None}
    fixed_type = headers.values.get("notetype", "Basic")
    fixed_tags = tuple(headers.values.get("tags", "").split())
    body = "\n".join(text.split("\n")[headers.lines :])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    line = headers.lines + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DeckImportError(f"{source} line {line}: {_csv_problem(exc)}") from exc
        if any(cell.strip() for cell in row):
            note = _note(row, line, special, guid_at, tags_at, fixed_tags, html)
            type_name = _cell(row, type_at) or fixed_type
            yield from note_drafts(note_type_by_name(type_name, len(note.fields)), note)
        line = headers.lines + reader.line_num + 1


def _note(
    row: list[str],
    line: int,
    special: set[int | None],
    guid_at: int | None,
    tags_at: int | None,
    fixed_tags: tuple[str, ...],
    html: bool,
) -> AnkiNote:
    fields = [cell for index, cell in enumerate(row) if index not in special]
    if not html:
        # Plain text may still hold "<" or "&"; escape so the shared HTML rendering keeps them.
        fields = [_escape(cell) for cell in fields]
    tags = (*fixed_tags, *_cell(row, tags_at).split())
    return AnkiNote(f"line {line}", _cell(row, guid_at) or None, tuple(fields), tags)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    return 'a quoted field is not closed properly (write a quote inside one as "")'
