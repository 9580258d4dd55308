"""One entry point for every deck file: detect the format from the content (the file name is a
hint for ties), read it, and assemble the deck with the same checks for all formats.

Text formats live in the core. Binary packages (Anki's .apkg/.colpkg) need a zip reader, SQLite
and temporary files, so the composition root passes them in as `PackageFormat`s.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.decks.csv_import import CsvFormat, size_text
from core.decks.formats.anki_text import AnkiTextFormat
from core.decks.formats.assemble import assemble_deck
from core.decks.formats.base import MAX_IMPORT_BYTES, PackageFormat, TextFormat
from core.decks.formats.bundled_format import BundledFormat
from core.decks.formats.decoding import decode_text
from core.decks.formats.json_format import JsonFormat
from core.decks.formats.markdown import MarkdownFormat
from core.decks.formats.quizlet import QuizletFormat
from core.decks.formats.site_text import SiteTextFormat
from core.decks.model import ImportResult
from core.errors import DeckImportError

__all__ = ["DECK_FILE_EXTENSIONS", "TEXT_FORMATS", "DeckImporter"]

# Order breaks ties between formats that score the same and match the file name equally.
TEXT_FORMATS: tuple[TextFormat, ...] = (
    AnkiTextFormat(),
    SiteTextFormat(),
    JsonFormat(),
    BundledFormat(),
    MarkdownFormat(),
    QuizletFormat(),
    CsvFormat(),
)
# What chat uploads accept by name (the content still decides the format).
DECK_FILE_EXTENSIONS = (
    *("csv", "tsv", "tab", "txt", "md", "markdown", "json", "toml"),
    *("apkg", "colpkg", "anki2", "anki21"),  # packages, and Anki's bare collection files
)
_ZIP_MAGIC = b"PK\x03\x04"


class DeckImporter:
    """Reads a deck from a file's bytes in any known format, all or nothing."""

    def __init__(
        self,
        packages: Sequence[PackageFormat] = (),
        texts: Sequence[TextFormat] = TEXT_FORMATS,
    ) -> None:
        self._packages = tuple(packages)
        self._texts = tuple(texts)

    def max_bytes_for(self, file_name: str) -> int:
        """The size limit for a file of this name (packages may be larger than text)."""
        package = self._package_named(file_name)
        return MAX_IMPORT_BYTES if package is None else max(MAX_IMPORT_BYTES, package.max_bytes)

    def read(
        self, data: bytes, *, file_name: str, deck_id: str, deck_name: str, source: str
    ) -> ImportResult:
        """The deck in `data`, or `DeckImportError` whose message starts with `source`."""
        package = self._package_for(data)
        limit = MAX_IMPORT_BYTES if package is None else max(MAX_IMPORT_BYTES, package.max_bytes)
        if len(data) > limit:
            raise DeckImportError(
                f"{source}: the file is {size_text(len(data), '.1f')}; "
                f"the limit is {size_text(limit, 'g')}"
            )
        if not data:
            raise DeckImportError(f"{source}: the file is empty; it has no cards")
        if package is not None:
            draft = package.read(data, source)
        elif data.startswith(_ZIP_MAGIC):
            raise DeckImportError(f"{source}: a zip archive is not a deck file I can read")
        elif (named := self._package_named(file_name)) is not None:
            raise DeckImportError(f"{source}: the file is not an {named.name} (or it is damaged)")
        else:
            text = decode_text(data, source)
            draft = self._text_format(text, file_name).read(text, source)
        return assemble_deck(draft, deck_id=deck_id, deck_name=deck_name, source=source)

    def _package_named(self, file_name: str) -> PackageFormat | None:
        suffix = _suffix(file_name)
        return next((p for p in self._packages if suffix in p.suffixes), None)

    def _package_for(self, data: bytes) -> PackageFormat | None:
        return next((p for p in self._packages if p.recognises(data)), None)

    def _text_format(self, text: str, file_name: str) -> TextFormat:
        suffix = _suffix(file_name)
        scores = [(f.recognises(text), suffix in f.suffixes, -i) for i, f in enumerate(self._texts)]
        best = max(scores)
        if best[0] == 0:
            # Nothing fits: let the format the name suggests (else CSV) explain what is wrong.
            named = [f for f in self._texts if suffix in f.suffixes]
            return named[0] if named else self._texts[-1]
        return self._texts[-best[2]]


def _suffix(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:].casefold() if dot > 0 else ""
