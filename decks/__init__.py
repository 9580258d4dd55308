"""The decks shipped with quizbot: TOML files next to this module (schema: core.decks.bundled).

Reading the files happens here, at the edge; the core only parses their text.
"""

from __future__ import annotations

from pathlib import Path

from core.decks.bundled import parse_bundled_deck
from core.decks.model import Deck
from core.errors import DeckFormatError

__all__ = ["bundled_deck_paths", "bundled_decks", "load_bundled_deck"]


def bundled_deck_paths() -> list[Path]:
    """Every bundled deck file, sorted by name so start-up loads them in a stable order."""
    return sorted(Path(__file__).parent.glob("*.toml"))


def load_bundled_deck(path: Path) -> Deck:
    """Read and parse one bundled deck file; messages name the file by its base name."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DeckFormatError(f"{path.name}: the file is not UTF-8 text") from exc
    return parse_bundled_deck(text, path.name)


def bundled_decks() -> list[Deck]:
    """Every bundled deck, parsed, in file-name order."""
    return [load_bundled_deck(path) for path in bundled_deck_paths()]
