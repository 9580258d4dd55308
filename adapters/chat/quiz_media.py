"""What a group quiz's card shows besides its text, alike on every platform: the card's pictures
and sounds (`adapters.card_media`) and the formulas Unicode cannot show, drawn as pictures
(`adapters.formula_image`), so everyone in the group sees what a review shows one learner.

A formula mathtext cannot draw stays in the text, shown as code, as in reviews.
"""

from __future__ import annotations

import hashlib

from adapters.card_media import CardMedia, MediaItem, card_media
from adapters.formula_image import draw_formulas
from core.library import DeckLibrary
from core.screens import Screen

__all__ = ["quiz_card_media", "revealed_media"]


async def quiz_card_media(library: DeckLibrary | None, screen: Screen) -> CardMedia:
    """The screen without the markers of the files found and without the formulas drawn, and
    those files: the card's in screen order, then the formulas as PNGs."""
    media = CardMedia(screen, ()) if library is None else await card_media(library, screen)
    drawn = await draw_formulas(media.screen)
    formulas = tuple(
        # Keyed by the PNG's hash, as reviews key a drawn formula for Telegram's file_ids.
        MediaItem(hashlib.sha256(png).hexdigest(), f"formula-{number}.png", "image/png", png)
        for number, png in enumerate(drawn.images, start=1)
    )
    return CardMedia(drawn.screen, media.items + formulas)


async def revealed_media(
    library: DeckLibrary | None, screen: Screen, replaces: Screen | None
) -> tuple[CardMedia, tuple[MediaItem, ...]]:
    """`screen`'s media, and those of its files `replaces` (what the message showed until now)
    did not have: the answer's own pictures, sounds and formulas, or a picture a cloze hid.
    Without `replaces` nothing counts as new."""
    shown = await quiz_card_media(library, screen)
    if replaces is None:
        return shown, ()
    before = {item.key for item in (await quiz_card_media(library, replaces)).items}
    return shown, tuple(item for item in shown.items if item.key not in before)
