"""An offer to add an uploaded Anki package's history for its uploader, asked by a button after
the deck import ("Add your Anki review history?"). The store keeps the file until they answer,
for an hour; the button's token names the offer, and only the uploader may take it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core import texts
from core.actions import HISTORY_PREFIX, MAX_TOKEN_NUMBER, base36
from core.errors import StaleAction
from core.screens import Block, Button, Screen

__all__ = [
    "HISTORY_OFFER_LIFETIME",
    "HistoryOffer",
    "HistoryOfferRepository",
    "history_offer_screen",
    "offer_id_of",
    "offer_token",
]

HISTORY_OFFER_LIFETIME = timedelta(hours=1)
_TOKEN = re.compile(r"h\.([0-9a-z]{1,13})")


@dataclass(frozen=True, slots=True)
class HistoryOffer:
    id: int
    learner_id: int  # the uploader: the only one who may take it
    deck_id: str
    deck_name: str
    file_name: str
    data: bytes
    created_at: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.created_at > HISTORY_OFFER_LIFETIME


class HistoryOfferRepository(Protocol):
    async def get(self, offer_id: int) -> HistoryOffer | None: ...

    def save(self, offer: HistoryOffer) -> None:
        """Insert the offer (ids are fresh; a second insert of one id is a conflict)."""
        ...

    def delete(self, offer_id: int) -> None: ...

    def delete_older_than(self, cutoff: datetime) -> None:
        """Drop offers made before `cutoff` (nobody can take them any more)."""
        ...


def offer_token(offer_id: int) -> str:
    """The data of the offer's button."""
    return HISTORY_PREFIX + base36(offer_id)


def offer_id_of(data: str) -> int:
    """The offer a button names; anything the bot did not make is a StaleAction."""
    match = _TOKEN.fullmatch(data or "")
    if match is None or int(match.group(1), 36) > MAX_TOKEN_NUMBER:
        raise StaleAction(texts.NOT_MY_BUTTON)
    return int(match.group(1), 36)


def history_offer_screen(token: str) -> Screen:
    """What follows an upload's import summary when the file holds the uploader's history."""
    button = Button(texts.HISTORY_OFFER_BUTTON, token, primary=True)
    return Screen((Block(texts.HISTORY_OFFER),), ((button,),))
