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
    assert "refer to 2 media files the package lacks: cat.png, meow.mp3" in imported.stdout
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


def test_import_with_history_adds_the_console_learners_reviews_once(tmp_path: Path) -> None:
    package = str(FIXTURES / "anki-history.apkg")
    args = ("deck", "import", package, "--name", "History", "--user", "ada", "--with-history")
    first = quizbot(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    assert "Imported 5 cards into “History” (id history)." in first.stdout
    assert (
        "Anki history: 5 reviews added (0 already there), 3 card states added (0 already there)."
        in first.stdout
    )
    again = quizbot(tmp_path, *args)
    assert again.returncode == 0, again.stderr
    assert (
        "Anki history: 0 reviews added (5 already there), 0 card states added (3 already there)."
        in again.stdout
    )
    learner = "SELECT l.platform_user_id, count(*) FROM review_log r JOIN learners l"
    assert rows(tmp_path, f"{learner} ON l.id = r.learner_id GROUP BY 1") == [("ada", 5)]
    plain = quizbot(tmp_path, "deck", "import", package, "--name", "Plain")
    assert plain.returncode == 0, plain.stderr
    assert "Anki history" not in plain.stdout
    assert rows(tmp_path, "SELECT count(*) FROM card_states") == [(3,)]


def test_import_with_history_of_a_file_without_one_fails_cleanly(tmp_path: Path) -> None:
    result = quizbot(
        tmp_path, "deck", "import", str(FIXTURES / "anki-current.apkg"), "--with-history"
    )
    assert result.returncode == 1
    assert "The file holds no review history" in result.stderr
    assert rows(tmp_path, "SELECT count(*) FROM cards WHERE deck_id = 'anki-current'") == [(0,)]
