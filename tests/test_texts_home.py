"""One home per sentence: the core's texts name commands as data, adapters patch no sentence.

Discord once turned core sentences into its own with `str.replace("/stop", "/quiz stop")`, and
both platforms' texts.py kept copies of the same sentences; these checks keep that from coming
back. That each platform's sentences name its own commands is checked through the real stacks
(tests/telegram/test_quiz.py, tests/discord/test_quiz.py, test_settings.py, test_remind.py).
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

from adapters.discord import texts as discord_texts
from adapters.telegram import texts as telegram_texts
from core import texts as core_texts
from core.commands import PLAIN_COMMANDS, CommandNames
from core.stats import texts as stats_texts

ROOT = Path(__file__).resolve().parents[1]
CHAT_ADAPTERS = ("adapters/chat", "adapters/console", "adapters/discord", "adapters/telegram")


def _sentences(module: ModuleType) -> dict[str, str]:
    """The module's text constants of more than one word (strings at module level and its
    dicts' values): text → constant name."""
    found: dict[str, str] = {}
    for name, value in vars(module).items():
        values = value.values() if isinstance(value, dict) else [value]
        found.update({text: name for text in values if isinstance(text, str) and " " in text})
    return found


def _literals(module: ModuleType) -> set[str]:
    """The string literals written in the module's source (docstrings aside): what it says
    itself, not what it takes from another module."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and " " in node.value
    }


def test_no_chat_adapter_patches_a_text_with_str_replace() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for folder in CHAT_ADAPTERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]
    assert offenders == []


def test_no_adapter_texts_module_repeats_a_core_sentence() -> None:
    core = set(_sentences(core_texts))
    for adapter in (telegram_texts, discord_texts):
        assert _literals(adapter) & core == set(), adapter.__name__
    assert _literals(telegram_texts) & _literals(discord_texts) == set()


def test_core_sentences_name_no_command_themselves() -> None:
    """A core sentence says `{review}`, never `/review`: each platform writes in its spelling."""
    every = (telegram_texts.COMMAND_NAMES, discord_texts.COMMAND_NAMES, PLAIN_COMMANDS)
    commands = {
        getattr(names, field).split()[0].rstrip(":")
        for names in every
        for field in CommandNames.__dataclass_fields__
    }
    assert "/stop" in commands and "/quiz" in commands
    named = {
        (name, command)
        for module in (core_texts, stats_texts)
        for text, name in _sentences(module).items()
        for command in commands
        if command in text
    }
    assert named == set()


def test_placeholders_are_filled_with_each_platforms_commands() -> None:
    assert PLAIN_COMMANDS.fill(core_texts.QUIZ_ALREADY_RUNNING).endswith("with /stop.")
    discord = discord_texts.COMMAND_NAMES.fill(core_texts.SETTINGS_ZONE_HINT)
    assert "/settings timezone:Asia/Dubai or /settings timezone:+05:30." in discord
    # A value is written in as given, even with braces in it (a deck someone named).
    chosen = PLAIN_COMMANDS.fill(core_texts.DECK_CHOSEN, name="{review}")
    assert chosen == "Now studying “{review}”. Send /review to start."
