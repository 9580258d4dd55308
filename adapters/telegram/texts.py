"""What the Telegram adapter itself says: welcome, help, command list and error answers.

Review wording lives in `core.texts`; these are the few sentences only this platform needs.
"""

from __future__ import annotations

__all__ = [
    "COMMANDS",
    "DECKS_HEADING",
    "DECK_ACTIVE_MARK",
    "DECK_CHOSEN",
    "DECK_NOT_HERE",
    "DECK_USAGE",
    "FILE_TOO_BIG",
    "IMPORTED",
    "IMPORT_HINT",
    "NOT_MY_BUTTON",
    "REMIND_AT",
    "REMIND_NONE",
    "REMIND_OFF",
    "SOMETHING_WENT_WRONG",
    "file_too_big",
    "help_text",
    "welcome_text",
]

# (command, description) as shown in Telegram's command menu; names are lowercase, ≤ 32 chars.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Welcome and what to do next"),
    ("help", "The commands I understand"),
    ("review", "Review the cards that are due"),
    ("decks", "The decks here; tap one to study it"),
    ("deck", "Study the deck called NAME: /deck NAME"),
    ("quiz", "Group quiz: /quiz [deck] [cards] [seconds]"),
    ("stop", "Stop this group's quiz"),
    ("stats", "Your progress (and this group's leaderboard)"),
    ("settings", "Scheduler, retention, new cards a day, time zone"),
    ("remind", "Daily review push: /remind HH:MM [zone], /remind off"),
)

WELCOME = "Hello! I help you remember flashcards with spaced repetition."
NEXT_STEP = "Send /review to start with the cards that are due, or /decks to choose a deck."
COMMAND_LIST_HEADING = "Commands:"
NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."
IMPORT_HINT = (
    "Send me a deck file to import it: CSV or TSV (question, answer per line), an Anki "
    "package (.apkg), an Anki or Quizlet text export, Markdown or JSON."
)

# Decks and imports
DECKS_HEADING = "Decks in this chat. Tap one to study it (✓ marks the active deck):"
DECK_ACTIVE_MARK = "✓ "
DECK_CHOSEN = "Now studying “{name}”. Send /review to start."
DECK_NOT_HERE = "That deck is not available in this chat any more."
DECK_USAGE = "Name the deck: /deck NAME. Send /decks to see them all."
FILE_TOO_BIG = "That file is {size} MB; decks can be at most {limit} MB."
IMPORTED = "Imported {cards} into “{name}”."  # cards: plural(n, "card")

# Stats

# Daily review pushes
REMIND_AT = "Daily review at {time} {zone}."
REMIND_NONE = "No daily review is set. Try /remind 08:00 Europe/Berlin"
REMIND_OFF = "Daily review is off."


def _command_lines() -> list[str]:
    return [f"/{name} — {description}" for name, description in COMMANDS]


def welcome_text() -> str:
    """Plain text (no markup) for /start."""
    return "\n".join([WELCOME, NEXT_STEP, "", COMMAND_LIST_HEADING, *_command_lines()])


def help_text() -> str:
    """Plain text (no markup) for /help."""
    return "\n".join([COMMAND_LIST_HEADING, *_command_lines(), "", NEXT_STEP, IMPORT_HINT])


def file_too_big(size: int, limit: int) -> str:
    """The refusal for a `size`-byte upload over the `limit`, both shown in megabytes."""
    megabyte = 1024 * 1024
    return FILE_TOO_BIG.format(size=f"{size / megabyte:.1f}", limit=f"{limit / megabyte:g}")
