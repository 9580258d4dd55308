"""What the Discord adapter itself says: command descriptions, help and error answers.

Review wording lives in `core.texts`; these are the few sentences only this platform needs.
"""

from __future__ import annotations

__all__ = [
    "CHART_FILE",
    "COMMANDS",
    "DECKS_HEADING",
    "DECKS_HINT",
    "DECK_ACTIVE_MARK",
    "DECK_CHOSEN",
    "DECK_FILE",
    "DECK_GROUP",
    "DECK_LINE",
    "DECK_NAME",
    "FILE_TOO_BIG",
    "IMPORTED",
    "IMPORT_NAME",
    "NOT_MY_BUTTON",
    "ONLY_MANAGERS_CHOOSE",
    "ONLY_MANAGERS_IMPORT",
    "REVIEW_PUBLIC",
    "SOMETHING_WENT_WRONG",
    "STATS_UNAVAILABLE",
    "WRONG_FILE_KIND",
    "file_too_big",
    "help_text",
]

# (command, description) as synced to Discord; names lowercase ≤ 32, descriptions ≤ 100.
COMMANDS: dict[str, str] = {
    "help": "The commands I understand",
    "review": "Review the cards that are due",
    "stats": "Your progress (and this channel's leaderboard in a server)",
    "decks": "The decks you can study here",
    "deck use": "Study the deck called NAME here",
    "deck import": "Import a .csv or .tsv file as a deck",
}
DECK_GROUP = "Choose or import decks"
DECK_NAME = "The deck's name"
DECK_FILE = "A .csv or .tsv file: question, answer per line"
IMPORT_NAME = "The new deck's name (default: the file name)"
REVIEW_PUBLIC = "Show the review to the channel (default: only you see it in a server)"

NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."
HELP_HEADING = "I help you remember flashcards with spaced repetition."
HELP_NEXT_STEP = "Start with `/review`: I show a card, you show the answer and rate yourself 1–5."


def help_text() -> str:
    """Markdown for /help: our own wording, so nothing in it needs escaping."""
    lines = [HELP_HEADING, "", *(f"`/{name}` — {about}" for name, about in COMMANDS.items())]
    return "\n".join([*lines, "", HELP_NEXT_STEP])


# Decks and imports
DECKS_HEADING = "Decks here"
DECK_ACTIVE_MARK = "✓ "
DECK_LINE = "{mark}**{name}** · {count} cards"
DECKS_HINT = "Choose one with `/deck use`, or import your own with `/deck import`."
DECK_CHOSEN = "Now studying “{name}”. Start with /review."
ONLY_MANAGERS_CHOOSE = "Only members with Manage Server can change this channel's deck."
ONLY_MANAGERS_IMPORT = "Only members with Manage Server can import decks here."
WRONG_FILE_KIND = "Attach a .csv or .tsv file (question, answer per line)."
FILE_TOO_BIG = "That file is {size} MB; decks can be at most {limit} MB."
IMPORTED = "Imported {count} cards into “{name}”."

# Stats
STATS_UNAVAILABLE = "Statistics are not available right now."
CHART_FILE = "stats.png"


def file_too_big(size: int, limit: int) -> str:
    """The refusal for a `size`-byte upload over the `limit`, both shown in megabytes."""
    megabyte = 1024 * 1024
    return FILE_TOO_BIG.format(size=f"{size / megabyte:.1f}", limit=f"{limit / megabyte:g}")
