"""The decks shipped with quizbot: TOML files next to this module (schema: core.decks.bundled)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_deck_paths"]


def bundled_deck_paths() -> list[Path]:
    """Every bundled deck file, sorted by name so start-up loads them in a stable order."""
    return sorted(Path(__file__).parent.glob("*.toml"))
