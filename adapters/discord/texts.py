"""What the Discord adapter itself says: command descriptions, help and error answers.

Review wording lives in `core.texts`; these are the few sentences only this platform needs.
"""

from __future__ import annotations

__all__ = [
    "COMMANDS",
    "NOT_MY_BUTTON",
    "REVIEW_PUBLIC",
    "SOMETHING_WENT_WRONG",
    "help_text",
]

# (command, description) as synced to Discord; names lowercase ≤ 32, descriptions ≤ 100.
COMMANDS: dict[str, str] = {
    "help": "The commands I understand",
    "review": "Review the cards that are due",
}
REVIEW_PUBLIC = "Show the review to the channel (default: only you see it in a server)"

NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."
HELP_HEADING = "I help you remember flashcards with spaced repetition."
HELP_NEXT_STEP = "Start with `/review`: I show a card, you show the answer and rate yourself 1–5."


def help_text() -> str:
    """Markdown for /help: our own wording, so nothing in it needs escaping."""
    lines = [HELP_HEADING, "", *(f"`/{name}` — {about}" for name, about in COMMANDS.items())]
    return "\n".join([*lines, "", HELP_NEXT_STEP])
