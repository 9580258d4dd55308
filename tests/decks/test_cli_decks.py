"""`quizbot deck import` and `quizbot deck export` as a user runs them, for every format."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_cli import quizbot, rows
from tests.decks.samples import FIXTURES

CARDS = "SELECT id, question, answer, tags FROM cards WHERE deck_id = 'anki' ORDER BY position"


def test_import_a_package_then_export_and_reimport_each_format(tmp_path: Path) -> None:
    imported = quizbot(
        tmp_path, "deck", "import", str(FIXTURES / "anki-current.apkg"), "--name", "Anki"
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported 7 cards into “Anki” (id anki)." in imported.stdout
    assert "cards show [image] or [sound]" in imported.stdout
    cards = rows(tmp_path, CARDS)
    assert len(cards) == 7
    for format_ in ("csv", "apkg", "toml"):
        out = tmp_path / f"out.{format_}"
        exported = quizbot(
            tmp_path, "deck", "export", "Anki", "--format", format_, "--out", str(out)
        )
        assert exported.returncode == 0, exported.stderr
        assert f"Exported 7 cards to {out}" in exported.stdout
        again = quizbot(tmp_path, "deck", "import", str(out), "--name", "Anki")
        assert again.returncode == 0, again.stderr
        assert rows(tmp_path, CARDS) == cards


def test_export_of_an_unknown_deck_fails_cleanly(tmp_path: Path) -> None:
    result = quizbot(tmp_path, "deck", "export", "nope")
    assert result.returncode == 1
    assert "I know no deck called “nope” here." in result.stderr
