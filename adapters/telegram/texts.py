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
    "ONLY_ADMINS_CHOOSE",
    "ONLY_ADMINS_IMPORT",
    "SOMETHING_WENT_WRONG",
    "STATS_UNAVAILABLE",
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
    ("stats", "Your progress (and this group's leaderboard)"),
)

WELCOME = "Hello! I help you remember flashcards with spaced repetition."
NEXT_STEP = "Send /review to start with the cards that are due, or /decks to choose a deck."
COMMAND_LIST_HEADING = "Commands:"
NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."
IMPORT_HINT = "Send me a .csv or .tsv file (question, answer per line) to import it as a deck."

# Decks and imports
DECKS_HEADING = "Decks in this chat. Tap one to study it (✓ marks the active deck):"
DECK_ACTIVE_MARK = "✓ "
DECK_CHOSEN = "Now studying “{name}”. Send /review to start."
DECK_NOT_HERE = "That deck is not available in this chat any more."
DECK_USAGE = "Name the deck: /deck NAME. Send /decks to see them all."
ONLY_ADMINS_CHOOSE = "Only the group's admins can change the deck."
ONLY_ADMINS_IMPORT = "Only the group's admins can import decks."
FILE_TOO_BIG = "That file is {size} MB; decks can be at most {limit} MB."
IMPORTED = "Imported {count} cards into “{name}”."

# Stats
STATS_UNAVAILABLE = "Statistics are not available right now."


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
