"""Why a store cannot be opened; the message is for the operator and names no password."""

from __future__ import annotations

__all__ = ["DatabaseTooNew", "DatabaseUnreachable", "StorageError"]


class StorageError(RuntimeError):
    """The database cannot be used as it is; `str(error)` says why and what to do."""


class DatabaseTooNew(StorageError):
    """The database was migrated by a newer quizbot; this code does not know its schema."""


class DatabaseUnreachable(StorageError):
    """The database server does not answer, or refuses the connection."""
