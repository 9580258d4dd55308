"""The pictures and sounds a card's screen names (`[image: heart.png]`), as files a chat can send.

Markers are resolved through the deck's media (`DeckLibrary.deck_media`) and read from the media
store; a name the deck does not have, a file gone from the store, or a deck imported without a
store leaves its marker as text. A file that is shown loses its marker in the text: the learner
sees the picture, not its name.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace

from core.decks.media import media_names
from core.decks.model import deck_id_of
from core.library import DeckLibrary
from core.screens import Block, Screen

__all__ = ["CardMedia", "MediaItem", "card_media"]


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One file to send; `key` (its content id) names it for upload caches."""

    key: str
    name: str
    media_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass(frozen=True, slots=True)
class CardMedia:
    """The screen without the markers of the files found, and those files in screen order."""

    screen: Screen
    items: tuple[MediaItem, ...]

    @property
    def images(self) -> tuple[MediaItem, ...]:
        return tuple(item for item in self.items if item.is_image)

    @property
    def sounds(self) -> tuple[MediaItem, ...]:
        return tuple(item for item in self.items if not item.is_image)


async def card_media(library: DeckLibrary, screen: Screen) -> CardMedia:
    """The files `screen`'s markers name, for a chat that shows them."""
    names = [name for block in screen.blocks for name in media_names(block.text)]
    if not names or screen.card_id is None or library.media is None:
        return CardMedia(screen, ())
    refs = await library.deck_media(deck_id_of(screen.card_id))
    store = library.media
    items: list[MediaItem] = []
    for name in dict.fromkeys(names):
        ref = refs.get(name)
        data = None if ref is None else await asyncio.to_thread(store.get, ref.content_id)
        if ref is not None and data is not None:
            items.append(MediaItem(ref.content_id, name, ref.media_type, data))
    found = {item.name for item in items}
    blocks = tuple(_without_markers(block, found) for block in screen.blocks)
    return CardMedia(replace(screen, blocks=tuple(b for b in blocks if b.text)), tuple(items))


def _without_markers(block: Block, names: set[str]) -> Block:
    if not names:
        return block
    pattern = r"[ \t]*\[(?:image|sound): (?:" + "|".join(map(re.escape, names)) + r")\][ \t]*"
    text = re.sub(pattern, " ", block.text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    return replace(block, text=text)
