"""Domain errors. `str(error)` is a message safe to show the person who caused it."""

from __future__ import annotations

__all__ = [
    "ConcurrencyConflict",
    "DeckFormatError",
    "DeckImportError",
    "InvalidInput",
    "InvalidRating",
    "NotAllowed",
    "NotFound",
    "QuizbotError",
    "StaleAction",
]


class QuizbotError(Exception):
    """Base of every error the core raises on purpose."""


class DeckFormatError(QuizbotError):
    """A bundled deck file is malformed; the message names the file and line."""


class DeckImportError(QuizbotError):
    """An imported file cannot become a deck; the message says what is wrong and where."""


class InvalidRating(QuizbotError):
    def __init__(self, message: str = "Ratings go from 1 (not at all) to 5 (perfectly).") -> None:
        super().__init__(message)


class InvalidInput(QuizbotError):
    """A command argument or setting out of range; the message says what is accepted."""


class StaleAction(QuizbotError):
    """A button press that no longer applies: old card, another user's button, or forged data."""


class NotFound(QuizbotError):
    """A deck, quiz or other named thing does not exist (for this chat)."""


class NotAllowed(QuizbotError):
    """The person may not do this here (e.g. stop someone else's quiz)."""


class ConcurrencyConflict(QuizbotError):
    """A staged write lost an optimistic-concurrency race; nothing was written."""

    def __init__(
        self, message: str = "Someone else changed this at the same moment; try again."
    ) -> None:
        super().__init__(message)
