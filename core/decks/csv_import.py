"""Import a deck from a spreadsheet export: CSV, TSV or semicolon-separated UTF-8 text.

Columns are question, answer and optionally tags (split on spaces or commas); a header row such
as "question,answer,tags", "front,back" or "term,definition" is recognised and skipped, and a
header may add "id" (a stable card key, as our CSV export writes) and "note" columns. The parser
is pure and all-or-nothing: it returns a complete deck or raises `DeckImportError` naming the row
(the 1-based line where the record starts, counting the header), so bad input never half-imports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice

from core.decks.formats.assemble import assemble_deck
from core.decks.formats.base import (
    MAX_CARDS,
    MAX_FIELD_CHARS,
    MAX_IMPORT_BYTES,
    CardDraft,
    DraftDeck,
)
from core.decks.model import ImportResult
from core.errors import DeckImportError

__all__ = [
    "MAX_CARDS",
    "MAX_FIELD_CHARS",
    "MAX_IMPORT_BYTES",
    "CsvFormat",
    "csv_drafts",
    "csv_fits",
    "parse_csv_deck",
    "size_text",
]

_SAMPLE_ROWS = 20
_HEADERS = {("question", "answer"), ("front", "back"), ("term", "definition")}
_EXTRA_COLUMNS = {"tags": "tags", "tag": "tags", "id": "id", "note": "note", "notes": "note"}
_IGNORED = ""  # the column name of a header column quizbot has no use for
_DEFAULT_COLUMNS = ("question", "answer", "tags")
_TAG_SEPARATORS = re.compile(r"[\s,]+")
# Control characters other than tab and line breaks mean a binary file that happens to decode.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


class CsvFormat:
    """Spreadsheet exports: the fallback for any text no other format claims."""

    name = "CSV"
    suffixes = (".csv", ".tsv", ".tab")

    def recognises(self, text: str) -> float:
        # A "question,answer" header row outweighs what the fields look like (a "# …" line in one).
        return 2 if csv_has_header(text) else 1 if csv_fits(text) else 0

    def read(self, text: str, source: str) -> DraftDeck:
        rows = _sample_rows(text, _detect_delimiter(text))
        header = [field.strip() for field in rows[0]] if rows else []
        columns = _header_columns(header) if header else None
        ignored = [
            name for name, column in zip(header, columns or (), strict=False) if column == _IGNORED
        ]
        notices = (_ignored_columns_notice(ignored),) if ignored else ()
        return DraftDeck(csv_drafts(text, source), notices)


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
        raise DeckImportError(
            f"{source}: the file is {size_text(len(data), '.1f')}; "
            f"the limit is {size_text(max_bytes, 'g')}"
        )
    text = _decode(data, source)
    draft = CsvFormat().read(text, source)
    return assemble_deck(draft, deck_id=deck_id, deck_name=deck_name, source=source)


def csv_has_header(text: str) -> bool:
    rows = _sample_rows(text, _detect_delimiter(text))
    return bool(rows) and _header_columns(rows[0]) is not None


def csv_fits(text: str) -> bool:
    """Do most of the first rows split into 2 or 3 columns?"""
    rows = _sample_rows(text, _detect_delimiter(text))
    if rows and _header_columns(rows[0]) is not None:
        return True
    return bool(rows) and sum(len(row) in (2, 3) for row in rows) * 5 >= len(rows) * 4


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
        header = _header_columns(rows[0]) if rows else None
        widths = range(2, len(header) + 1) if header else (2, 3)
        return sum(len(row) in widths for row in rows), len(rows[0]) if rows else 0

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


def csv_drafts(text: str, source: str) -> Iterator[CardDraft]:
    """The records of `text` as card drafts, after skipping a header row."""
    columns: tuple[str, ...] | None = None
    for index, (row, fields) in enumerate(_records(text, _detect_delimiter(text), source)):
        if index == 0 and (named := _header_columns(fields)) is not None:
            columns = named
            continue
        yield _draft(row, fields, columns, source)


def _draft(row: int, fields: list[str], columns: tuple[str, ...] | None, source: str) -> CardDraft:
    if columns is None and len(fields) not in (2, 3):
        raise DeckImportError(f"{source} row {row}: expected 2 or 3 columns, found {len(fields)}")
    if columns is not None and not 2 <= len(fields) <= len(columns):
        expected = f"2 to {len(columns)}" if len(columns) > 3 else "2 or 3"
        raise DeckImportError(
            f"{source} row {row}: expected {expected} columns, found {len(fields)}"
        )
    named = dict(zip(columns or _DEFAULT_COLUMNS, fields, strict=False))
    tags = _TAG_SEPARATORS.split(named.get("tags", ""))
    key = named.get("id", "").strip() or None
    return CardDraft(
        f"row {row}",
        named["question"].strip(),
        named["answer"].strip(),
        tuple(tag for tag in tags if tag),
        key,
        named.get("note", ""),
    )


def _header_columns(fields: list[str]) -> tuple[str, ...] | None:
    """The column names of a header row ("question,answer,tags,id,note" and synonyms), or None.

    A first row starting with a known pair of names is a header; later columns quizbot has no
    use for ("Category", "Source") are ignored (the import summary names them)."""
    names = tuple(field.strip().casefold() for field in fields)
    if names[:2] not in _HEADERS:
        return None
    extra = tuple(_EXTRA_COLUMNS.get(name, _IGNORED) for name in names[2:])
    known = [name for name in extra if name != _IGNORED]
    if len(set(known)) < len(known):
        return None  # "tags,tags": not a header quizbot can read unambiguously
    return ("question", "answer", *extra)


def _ignored_columns_notice(names: list[str]) -> str:
    listed = ", ".join(f"“{name}”" for name in names)
    return f"Columns ignored (quizbot has no place for them): {listed}."


def _without_trailing_empty(fields: list[str]) -> list[str]:
    # Spreadsheets export empty trailing cells ("q,a,,"); they are not extra columns.
    while len(fields) > 2 and not fields[-1].strip():
        fields = fields[:-1]
    return fields


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    return 'a quoted field is not closed properly (write a quote inside one as "")'


def size_text(count: int, spec: str) -> str:
    """A byte count for people: "5 MB", "4.8 KB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:{spec}} {unit}"
    return f"{count} bytes"
