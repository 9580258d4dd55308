"""The dependency rule, made mechanical: import-linter's contracts from pyproject.toml."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a test dependency: pip install -e '.[test]'"
    result = subprocess.run(
        [lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_project_reads_nothing_outside_its_repository() -> None:
    """A fresh clone with nothing beside it must pass: no path climbs out of the repository."""
    from tests.telegram.fake_bot_api_spec import SPEC_PATH

    assert SPEC_PATH.is_relative_to(ROOT) and SPEC_PATH.is_file()
    climbing = re.compile(r"parents\[\d+\]\.parent|\.\./shared|[\"']shared/")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("core", "adapters", "bot", "tests", "bench", "decks")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if climbing.search(line) and "climbing = re.compile" not in line
    ]
    assert offenders == []


def _code_strings(tree: ast.AST) -> list[ast.Constant]:
    """The string literals of a module, docstrings left out (they may name a platform)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def test_the_core_names_no_platform() -> None:
    """The core branches on capabilities its adapters report, never on which platform it is."""
    platform = re.compile(r"\b(telegram|discord)\b", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in (ROOT / "core").rglob("*.py")
        for node in _code_strings(ast.parse(path.read_text(encoding="utf-8")))
        if platform.search(node.value)
    ]
    assert offenders == []


# What a measurement looks like in prose: a time in ms/µs, a ratio, an approximate size or time, a
# throughput. Documented platform limits and the project's own limits do not match.
_MEASURED = re.compile(
    r"\d[\d,.]*\s?(?:ms|µs|ns)\b|\d[\d,.]*\s?×|~\s?\d[\d,.]*\s?(?:s|MB|KB|%)\b"
    r"|\d[\d,.]*\s?(?:ratings|cards|interactions)/s\b"
)


def _comments_and_docstrings(source: str) -> list[tuple[int, str]]:
    found = [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                found.append((node.body[0].lineno, docstring))
    return found


def test_measured_figures_live_in_the_readme_not_beside_the_code() -> None:
    """A number measured once goes stale in a comment; the README's Benchmarks dates it and
    bench/ re-measures it. The comment keeps the reason."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r}"
        for folder in ("core", "adapters", "bot", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in _comments_and_docstrings(path.read_text(encoding="utf-8"))
        for match in _MEASURED.finditer(text)
    ]
    assert offenders == []


def test_only_storage_tests_read_a_database_directly() -> None:
    """Tests about rules and platforms read through the store; raw SQL lives in storage tests, in
    the one backend-neutral helper (tests/committed_rows.py) and in tests/postgres.py, which makes
    and drops the test databases. tests/decks opens Anki files."""
    allowed = ("tests/adapters/", "tests/decks/", "tests/committed_rows.py", "tests/postgres.py")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(allowed)
        and re.search(
            r"^\s*(import sqlite3|import asyncpg)", path.read_text(encoding="utf-8"), re.M
        )
    ]
    assert offenders == []
