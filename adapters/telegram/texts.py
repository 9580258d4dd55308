"""What the Telegram adapter itself says: its command names, welcome, help and command list.

The bot's sentences live in `core.texts`; these are the few only this platform needs.
"""

from __future__ import annotations

from core import texts as core_texts
from core.commands import PLAIN_COMMANDS, CommandNames

__all__ = [
    "COMMANDS",
    "COMMAND_NAMES",
    "DECKS_HEADING",
    "DECK_NOT_HERE",
    "DECK_USAGE",
    "IMPORT_HINT",
    "REMIND_AT",
    "help_text",
    "welcome_text",
]

# The commands core sentences name, as typed here: `/name argument`.
COMMAND_NAMES: CommandNames = PLAIN_COMMANDS

# (command, description) as shown in Telegram's command menu; names are lowercase, ≤ 32 chars.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Welcome and what to do next"),
    ("help", core_texts.ABOUT_HELP),
    ("review", core_texts.ABOUT_REVIEW),
    ("decks", "The decks here; tap one to study it"),
    ("deck", "Study the deck called NAME: /deck NAME"),
    ("quiz", "Group quiz: /quiz [deck] [cards] [seconds]"),
    ("stop", "Stop this group's quiz"),
    ("stats", "Your progress (and this group's leaderboard)"),
    ("settings", "Scheduler, retention, new cards a day, time zone"),
    ("remind", "Daily review push: /remind HH:MM [zone], /remind off"),
    ("plan", "Exam plan: /plan DECK YYYY-MM-DD [target%], /plan off"),
)

NEXT_STEP = "Send /review to start with the cards that are due, or /decks to choose a deck."
COMMAND_LIST_HEADING = "Commands:"
IMPORT_HINT = (
    "Send me a deck file to import it: CSV or TSV (question, answer per line), an Anki "
    "package (.apkg), an Anki or Quizlet text export, Markdown or JSON."
)

# Decks and imports
DECKS_HEADING = "Decks in this chat. Tap one to study it (✓ marks the active deck):"
DECK_NOT_HERE = "That deck is not available in this chat any more."
DECK_USAGE = "Name the deck: /deck NAME. Send /decks to see them all."

# Stats

# Daily review pushes
REMIND_AT = "Daily review at {time} {zone}."


def _command_lines() -> list[str]:
    return [f"/{name} — {description}" for name, description in COMMANDS]


def welcome_text() -> str:
    """Plain text (no markup) for /start."""
    return "\n".join([core_texts.WELCOME, NEXT_STEP, "", COMMAND_LIST_HEADING, *_command_lines()])


def help_text() -> str:
    """Plain text (no markup) for /help."""
    return "\n".join([COMMAND_LIST_HEADING, *_command_lines(), "", NEXT_STEP, IMPORT_HINT])
