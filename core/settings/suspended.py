"""The settings' "Suspended cards" page: one button per suspended card, which restores it, paged
so a page keeps within Discord's five rows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from core import texts
from core.actions import base36
from core.learners import Learner
from core.leeches.model import SuspendedCard
from core.screens import Block, Button, Screen, Style
from core.settings.menu import MenuPage, SettingsChoice

__all__ = ["CARDS_PER_PAGE", "card_key", "page_count", "suspended_screen"]

CARDS_PER_PAGE = 4  # four card rows and the navigation row: Discord's five
_LABEL_CHARS = 60  # Discord allows 80 characters a button label


def card_key(card_id: str) -> str:
    """A restore button's short name for a card (a token value holds 8 characters; card ids
    are longer): 8 base-36 digits of its SHA-1, matched against the learner's suspended cards."""
    digest = hashlib.sha1(card_id.encode("utf-8"), usedforsecurity=False).digest()
    return base36(int.from_bytes(digest[:5], "big")).rjust(8, "0")


def page_count(cards: Sequence[SuspendedCard]) -> int:
    return max(1, -(-len(cards) // CARDS_PER_PAGE))


def suspended_screen(
    learner: Learner, cards: Sequence[SuspendedCard], page: int, note: str = ""
) -> Screen:
    """Page `page` (0-based, clamped) of the learner's suspended cards."""

    def button(label: str, field: str, value: str) -> Button:
        return Button(label, SettingsChoice(learner.id, field, value).encode())

    pages = page_count(cards)
    page = min(max(page, 0), pages - 1)
    blocks = [Block(texts.SETTINGS_SUSPENDED_TITLE, Style.BOLD)]
    if note:
        blocks.append(Block(note, Style.MUTED))
    shown = cards[page * CARDS_PER_PAGE : (page + 1) * CARDS_PER_PAGE]
    if not shown:
        blocks.append(Block(texts.SETTINGS_SUSPENDED_NONE))
    elif pages > 1:
        blocks.append(
            Block(texts.SETTINGS_SUSPENDED_PAGE.format(page=page + 1, pages=pages), Style.MUTED)
        )
    rows: list[tuple[Button, ...]] = [
        (button(_label(card.question), "res", card_key(card.card_id)),) for card in shown
    ]
    navigation: list[Button] = []
    if page > 0:
        navigation.append(button(texts.SETTINGS_PREVIOUS, "sus", base36(page - 1)))
    if page + 1 < pages:
        navigation.append(button(texts.SETTINGS_NEXT, "sus", base36(page + 1)))
    navigation.append(button(texts.SETTINGS_BACK, "page", MenuPage.MAIN.value))
    rows.append(tuple(navigation))
    return Screen(tuple(blocks), tuple(rows))


def _label(question: str) -> str:
    line = " ".join(question.split())
    return line if len(line) <= _LABEL_CHARS else line[: _LABEL_CHARS - 1] + "…"
