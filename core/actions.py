"""Action tokens: what a button carries, made and checked by the core.

A token names the thing it acts on (review session or group quiz), the version it was made for
and the action, e.g. ``r.2hq1x8e0k.3.show`` or ``q.7k2m.1.rate4``. It fits Telegram's 64-byte
callback data and Discord's 100-character custom_id. Tokens are not secret: the core refuses a
press whose version is old, whose subject belongs to someone else, or whose action is unknown.

Every button the bot sends carries a token made here (settings menus: `core.settings.menu` with
`SETTINGS_PREFIX`; decks: `deck_token`; a daily push: `START_REVIEW_TOKEN`), and `ROUTE_PATTERNS`
tells adapters which handler a press goes to, so no adapter spells a prefix itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from core import texts
from core.errors import StaleAction

__all__ = [
    "HISTORY_PREFIX",
    "MAX_TOKEN_BYTES",
    "MAX_TOKEN_NUMBER",
    "ROUTE_PATTERNS",
    "SETTINGS_PREFIX",
    "START_REVIEW_TOKEN",
    "Action",
    "ActionToken",
    "LeechAction",
    "LeechToken",
    "Route",
    "Subject",
    "base36",
    "deck_token",
    "parse_leech_token",
    "parse_token",
    "route_of",
]

MAX_TOKEN_BYTES = 64
MAX_TOKEN_NUMBER = 2**63 - 1  # ids and versions are SQL BIGINTs
_TOKEN = re.compile(r"([rq])\.([0-9a-z]{1,13})\.([0-9a-z]{1,13})\.([a-z0-9]{1,12})")


class Subject(StrEnum):
    REVIEW = "r"
    QUIZ = "q"


class Route(StrEnum):
    """What a press is about; an adapter sends each route's presses to one handler."""

    REVIEW = "review"
    QUIZ = "quiz"
    SETTINGS = "settings"
    DECK = "deck"
    START_REVIEW = "start_review"
    LEECH = "leech"
    HISTORY = "history"  # "Add your Anki review history?" after an upload


SETTINGS_PREFIX = "s."  # a settings menu's button: `core.settings.menu.SettingsChoice`
HISTORY_PREFIX = "h."  # an Anki history offer's button: `core.decks.history_offers`
# A daily push's "Start review" button: it starts a review like the review command.
START_REVIEW_TOKEN = "p.review"
# Discord's pushes carried this before both platforms shared START_REVIEW_TOKEN; old push
# messages keep their buttons, so it still starts a review.
_OLD_START_REVIEW_TOKEN = "start.review"
# A leech's buttons under a rating: `l.<action>.<session>.<step>` names the review that flagged it.
_LEECH_PREFIX = "l."
_LEECH_TOKEN = re.compile(r"l\.(hint|susp|cancel)\.([0-9a-z]{1,13})\.([0-9a-z]{1,13})")
# Deck buttons carry `d.<deck id>`, or `d#<sha1 prefix>` when that would not fit 64 bytes.
_DECK_PLAIN, _DECK_HASHED = "d.", "d#"

# One `re.match` pattern per route (python-telegram-bot takes them as callback patterns);
# the prefixes do not overlap, so a token matches at most one.
ROUTE_PATTERNS: dict[Route, str] = {
    Route.REVIEW: rf"^{Subject.REVIEW}\.",
    Route.QUIZ: rf"^{Subject.QUIZ}\.",
    Route.SETTINGS: "^" + re.escape(SETTINGS_PREFIX),
    Route.DECK: f"^(?:{re.escape(_DECK_PLAIN)}|{re.escape(_DECK_HASHED)})",
    Route.LEECH: "^" + re.escape(_LEECH_PREFIX),
    Route.HISTORY: "^" + re.escape(HISTORY_PREFIX),
    Route.START_REVIEW: (
        f"^(?:{re.escape(START_REVIEW_TOKEN)}|{re.escape(_OLD_START_REVIEW_TOKEN)})\\Z"
    ),
}
_ROUTES = tuple((route, re.compile(pattern)) for route, pattern in ROUTE_PATTERNS.items())


def route_of(data: str) -> Route | None:
    """The route of a pressed button's data; None for data the bot never made."""
    return next((route for route, pattern in _ROUTES if pattern.match(data or "")), None)


def deck_token(deck_id: str) -> str:
    """The data of a deck's button; the adapter resolves it against the chat's visible decks."""
    plain = _DECK_PLAIN + deck_id
    if len(plain.encode("utf-8")) <= MAX_TOKEN_BYTES:
        return plain
    digest = hashlib.sha1(deck_id.encode("utf-8"), usedforsecurity=False).hexdigest()
    return _DECK_HASHED + digest[:24]


class LeechAction(StrEnum):
    HINT = "hint"
    SUSPEND = "susp"
    CANCEL = "cancel"  # the hint prompt's cancel button


@dataclass(frozen=True, slots=True)
class LeechToken:
    """A leech button: what to do with the card rated at `step` of review session `session_id`."""

    action: LeechAction
    session_id: int
    step: int

    def encode(self) -> str:
        token = ".".join(
            (_LEECH_PREFIX[:-1], self.action, base36(self.session_id), base36(self.step))
        )
        assert len(token.encode()) <= MAX_TOKEN_BYTES
        return token


def parse_leech_token(data: str) -> LeechToken:
    """Decode a leech button; anything malformed is a StaleAction, never a crash."""
    match = _LEECH_TOKEN.fullmatch(data or "")
    if match is None:
        raise StaleAction(texts.NOT_MY_BUTTON)
    action, session_id, step = match.groups()
    numbers = int(session_id, 36), int(step, 36)
    if max(numbers) > MAX_TOKEN_NUMBER:
        raise StaleAction(texts.NOT_MY_BUTTON)
    return LeechToken(LeechAction(action), *numbers)


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
        raise StaleAction(texts.NOT_MY_BUTTON)
    subject, subject_id, version, action = match.groups()
    numbers = int(subject_id, 36), int(version, 36)
    if max(numbers) > MAX_TOKEN_NUMBER:  # only a forged token: the store's ids are 64-bit
        raise StaleAction(texts.NOT_MY_BUTTON)
    try:
        return ActionToken(Subject(subject), *numbers, Action(action))
    except ValueError:
        raise StaleAction(texts.NOT_MY_BUTTON) from None


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
