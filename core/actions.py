"""Action tokens: what a button carries, made and checked by the core.

A token names the thing it acts on (review session or group quiz), the version it was made for
and the action, e.g. ``r.2hq1x8e0k.3.show`` or ``q.7k2m.1.rate4``. It fits Telegram's 64-byte
callback data and Discord's 100-character custom_id. Tokens are not secret: the core refuses a
press whose version is old, whose subject belongs to someone else, or whose action is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from core.errors import StaleAction

__all__ = [
    "MAX_TOKEN_BYTES",
    "MAX_TOKEN_NUMBER",
    "Action",
    "ActionToken",
    "Subject",
    "base36",
    "parse_token",
]

MAX_TOKEN_BYTES = 64
MAX_TOKEN_NUMBER = 2**63 - 1  # ids and versions are SQL BIGINTs
_TOKEN = re.compile(r"([rq])\.([0-9a-z]{1,13})\.([0-9a-z]{1,13})\.([a-z0-9]{1,12})")


class Subject(StrEnum):
    REVIEW = "r"
    QUIZ = "q"


class Action(StrEnum):
    SHOW = "show"
    RATE1 = "rate1"
    RATE2 = "rate2"
    RATE3 = "rate3"
    RATE4 = "rate4"
    RATE5 = "rate5"
    NEXT = "next"
    STOP = "stop"

    @property
    def rating(self) -> int | None:
        return int(self.value[-1]) if self.value.startswith("rate") else None

    @classmethod
    def rate(cls, rating: int) -> Action:
        return cls(f"rate{rating}")


@dataclass(frozen=True, slots=True)
class ActionToken:
    subject: Subject
    subject_id: int
    version: int
    action: Action

    def encode(self) -> str:
        # The members themselves are the strings (StrEnum): no `.value` lookups on this hot path.
        token = ".".join((self.subject, base36(self.subject_id), base36(self.version), self.action))
        assert len(token.encode()) <= MAX_TOKEN_BYTES
        return token


def parse_token(data: str) -> ActionToken:
    """Decode a token from a button; anything malformed is a StaleAction, never a crash."""
    match = _TOKEN.fullmatch(data or "")  # not `$`, which also matches before a final newline
    if match is None:
        raise StaleAction("This button is not one of mine.")
    subject, subject_id, version, action = match.groups()
    numbers = int(subject_id, 36), int(version, 36)
    if max(numbers) > MAX_TOKEN_NUMBER:  # only a forged token: the store's ids are 64-bit
        raise StaleAction("This button is not one of mine.")
    try:
        return ActionToken(Subject(subject), *numbers, Action(action))
    except ValueError:
        raise StaleAction("This button is not one of mine.") from None


@lru_cache(maxsize=4096)  # a screen's buttons repeat one session id and version
def base36(number: int) -> str:
    if number < 0:
        raise ValueError("token numbers are non-negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out
