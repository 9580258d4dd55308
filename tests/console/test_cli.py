"""The `quizbot` command as a user runs it: a real process, piped stdin, a temp database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.committed_rows import committed_rows

ROOT = Path(__file__).resolve().parents[2]
SEED_DECK = tomllib.loads((ROOT / "decks" / "neural-nets.toml").read_text(encoding="utf-8"))


def quizbot(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DISCORD_", "DATABASE_URL"))
    }
    environment.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.db'}", USER="tester", **env
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def rows(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    return committed_rows(tmp_path / "q.db", sql)


def test_piped_console_quiz_goes_through_the_whole_deck(tmp_path: Path) -> None:
    result = quizbot(tmp_path, "play", "--user", "ada", stdin="\n4\n" * 12 + "q\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for card in SEED_DECK["cards"]:
        assert card["question"].splitlines()[0] in out
        assert card["answer"].strip().splitlines()[-1] in out
    assert out.count("Rated 4/5 · next review") == 12
    assert "Nothing is due right now. The next card is due" in out
    assert "Session over: 12 cards rated." in out
    assert rows(tmp_path, "SELECT count(*), min(rating), max(rating) FROM review_log") == [
        (12, 4, 4)
    ]


def test_no_token_starts_console_quiz_and_says_how_to_connect(tmp_path: Path) -> None:
    result = quizbot(tmp_path, stdin="\n5\nq\n")
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stdout and "quizbot run" in result.stdout
    assert "What is MNIST an abbreviation of?" in result.stdout
    assert "Session over: 1 card rated." in result.stdout


def test_bad_console_input_gets_a_hint_and_changes_nothing(tmp_path: Path) -> None:
    result = quizbot(tmp_path, "play", stdin="x\n\n9\nabc\nq\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Press Enter to show the answer, 1–5 to rate") == 3
    assert rows(tmp_path, "SELECT count(*) FROM review_log") == [(0,)]


def test_run_without_tokens_names_the_variables(tmp_path: Path) -> None:
    result = quizbot(tmp_path, "run")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "DISCORD_BOT_TOKEN" in result.stderr


def test_unreachable_bot_api_is_a_clear_error_without_the_token(tmp_path: Path) -> None:
    secret = "123456:SECRET-token-value"
    result = quizbot(
        tmp_path, "run", TELEGRAM_BOT_TOKEN=secret, LOG_LEVEL="DEBUG",
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",  # nothing listens on the discard port
    )  # fmt: skip
    assert result.returncode == 1
    assert "Cannot reach the Telegram Bot API at http://127.0.0.1:9/bot" in result.stderr
    assert secret not in result.stdout + result.stderr


def test_deck_import_list_and_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "spanish.csv"
    good.write_text("question,answer\nhola,hello\nadiós,goodbye\n", encoding="utf-8")
    result = quizbot(tmp_path, "deck", "import", str(good), "--name", "Spanish")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 cards into “Spanish”" in result.stdout
    listed = quizbot(tmp_path, "deck", "list").stdout
    assert re.search(r"neural-nets +Neural nets and deep learning +12 *\n", listed)
    assert re.search(r"spanish +Spanish +2 *\n", listed)

    before = rows(tmp_path, "SELECT id, question FROM cards ORDER BY id")
    bad = tmp_path / "bad.csv"
    bad.write_text("q,a\nfine,ok\nmissing answer\n", encoding="utf-8")
    refused = quizbot(tmp_path, "deck", "import", str(bad))
    assert refused.returncode == 1
    assert "row 3" in refused.stderr
    assert rows(tmp_path, "SELECT id, question FROM cards ORDER BY id") == before


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 64])
def test_empty_and_binary_imports_write_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "deck.csv"
    path.write_bytes(content)
    result = quizbot(tmp_path, "deck", "import", str(path))
    assert result.returncode == 1
    assert result.stderr.strip()
    assert rows(
        tmp_path,
        "SELECT count(*) FROM decks WHERE owner_chat_id IS NOT NULL OR id <> 'neural-nets'",
    ) == [(0,)]


def test_db_upgrade_and_stats(tmp_path: Path) -> None:
    first = quizbot(tmp_path, "db", "upgrade")
    assert first.returncode == 0 and "Applied: 0001_initial" in first.stdout
    assert "up to date" in quizbot(tmp_path, "db", "upgrade").stdout
    quizbot(tmp_path, "play", "--user", "ada", stdin="\n3\n\n4\nq\n")
    stats = quizbot(tmp_path, "stats", "--user", "ada", "--chart", "chart.png")
    assert stats.returncode == 0, stats.stderr
    assert "Reviews: 2 total · 2 today" in stats.stdout
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_console_names_a_cards_pictures_and_sounds_with_their_paths(tmp_path: Path) -> None:
    package = ROOT / "tests" / "fixtures" / "decks" / "anki-media.apkg"
    imported = quizbot(tmp_path, "deck", "import", str(package), "--name", "Anatomy")
    assert imported.returncode == 0, imported.stderr
    media = tmp_path / "media"  # MEDIA_DIR's default: beside the SQLite file
    stored = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(stored) == 5
    played = quizbot(tmp_path, "play", "--deck", "anatomy", "--user", "ada", stdin="\n4\n" * 4)
    assert played.returncode == 0, played.stderr
    out = " ".join(played.stdout.split())  # rich may wrap a long path
    paths = re.findall(r"\[image: heart\.png \(([^)]+)\)\]", out)
    assert paths and all(Path(path) in stored for path in paths)
    assert Path(paths[0]).read_bytes().startswith(b"\x89PNG")
    assert "[sound: hola.mp3 (" in out and "[image: left.png (" in out


def test_media_prune_deletes_the_files_no_deck_names_once_an_hour_old(tmp_path: Path) -> None:
    package = ROOT / "tests" / "fixtures" / "decks" / "anki-media.apkg"
    assert quizbot(tmp_path, "deck", "import", str(package), "--name", "Anatomy").returncode == 0
    media = tmp_path / "media"
    assert "Deleted 0 media files" in quizbot(tmp_path, "media", "prune").stdout  # all named
    (tmp_path / "cards.csv").write_text("question,answer\nA?,a\n", encoding="utf-8")
    replaced = quizbot(tmp_path, "deck", "import", "cards.csv", "--name", "Anatomy")
    assert replaced.returncode == 0, replaced.stderr
    young = quizbot(tmp_path, "media", "prune")
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert "Deleted 0 media files" in young.stdout and len(stored) == 5  # not an hour old yet
    two_hours_ago = time.time() - 2 * 3600
    for path in stored:
        os.utime(path, (two_hours_ago, two_hours_ago))
    pruned = quizbot(tmp_path, "media", "prune")
    assert pruned.returncode == 0, pruned.stderr
    assert re.search(r"Deleted 5 media files no deck names \(\d+\.\d MB\)\.", pruned.stdout)
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_console_shows_formulas_in_unicode_or_as_latex_code(tmp_path: Path) -> None:
    deck = tmp_path / "maths.md"
    deck.write_text(
        "# Glorot's uniform limit for $n_{in}$ inputs?\n\n$a = \\sqrt{6/(n_{in}+n_{out})}$\n\n"
        "# A rotation matrix?\n\n$$\\begin{pmatrix} c & -s \\\\ s & c \\end{pmatrix}$$\n",
        encoding="utf-8",
    )
    imported = quizbot(tmp_path, "deck", "import", str(deck), "--name", "Maths")
    assert imported.returncode == 0, imported.stderr
    result = quizbot(tmp_path, "play", "--deck", "Maths", "--user", "ada", stdin="\n4\n" * 2)
    assert result.returncode == 0, result.stderr
    assert "Glorot's uniform limit for nᵢₙ inputs?" in result.stdout
    assert "a = √(6/(nᵢₙ+nₒᵤₜ))" in result.stdout
    # A terminal shows no image: the formula Unicode cannot show is its LaTeX source, as code.
    assert "`\\begin{pmatrix} c & -s \\\\ s & c \\end{pmatrix}`" in result.stdout
