"""What the Telegram adapter itself says: welcome, help, command list and error answers.

Review wording lives in `core.texts`; these are the few sentences only this platform needs.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "NOT_MY_BUTTON", "SOMETHING_WENT_WRONG", "help_text", "welcome_text"]

# (command, description) as shown in Telegram's command menu; names are lowercase, ≤ 32 chars.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Welcome and what to do next"),
    ("help", "The commands I understand"),
    ("review", "Review the cards that are due"),
)

WELCOME = "Hello! I help you remember flashcards with spaced repetition."
NEXT_STEP = "Send /review to start with the cards that are due."
COMMAND_LIST_HEADING = "Commands:"
NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."


def _command_lines() -> list[str]:
    return [f"/{name} — {description}" for name, description in COMMANDS]


def welcome_text() -> str:
    """Plain text (no markup) for /start."""
    return "\n".join([WELCOME, NEXT_STEP, "", COMMAND_LIST_HEADING, *_command_lines()])


def help_text() -> str:
    """Plain text (no markup) for /help."""
    return "\n".join([COMMAND_LIST_HEADING, *_command_lines(), "", NEXT_STEP])
