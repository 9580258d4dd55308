"""How a group quiz shows on Telegram: HTML messages in the group, edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, CallbackQuery

from adapters.card_media import CardMedia, card_media
from adapters.telegram.identity import PLATFORM
from adapters.telegram.outgoing import HTML, edit_in_place, send_media_above
from adapters.telegram.render import render_screen
from adapters.telegram.sent_media import SentMedia
from core.library import DeckLibrary
from core.screens import Screen

__all__ = ["CallbackPress", "TelegramQuizMessenger"]


@dataclass(slots=True)
class CallbackPress:
    """A button press. Telegram wants one answer to it (else the client's spinner stays): the
    private notice if there is one, else an empty answer before the first edit."""

    query: CallbackQuery
    answered: bool = False

    async def answer(self, text: str | None = None) -> None:
        if not self.answered:
            self.answered = True
            await self.query.answer(text)


class TelegramQuizMessenger:
    platform = PLATFORM

    def __init__(
        self, bot: Bot, library: DeckLibrary | None = None, sent_media: SentMedia | None = None
    ) -> None:
        self._bot = bot
        self._library = library
        self._sent_media = sent_media if sent_media is not None else SentMedia()

    async def _with_media(self, screen: Screen) -> CardMedia:
        if self._library is None:
            return CardMedia(screen, ())
        return await card_media(self._library, screen)

    async def send(self, where: str, screen: Screen) -> str:
        # The card's pictures go above the question, which stays a text message the quiz edits.
        shown = await self._with_media(screen)
        await send_media_above(self._bot, int(where), shown.items, self._sent_media)
        screen = shown.screen
        last = None
        for part in render_screen(screen):
            last = await self._bot.send_message(
                int(where), part.text, parse_mode=HTML, reply_markup=part.reply_markup
            )
        assert last is not None  # a screen renders to at least one message
        return str(last.message_id)

    async def edit(
        self, where: str, handle: str, screen: Screen, pressed: CallbackPress | None
    ) -> str | None:
        if pressed is not None:
            await pressed.answer()
        screen = (await self._with_media(screen)).screen  # the pictures are above already
        first, *rest = render_screen(screen)
        await edit_in_place(
            self._bot.edit_message_text(
                first.text,
                int(where),
                int(handle),
                parse_mode=HTML,
                reply_markup=first.reply_markup,
            )
        )
        last = None
        for part in rest:  # a long answer: the keyboard moves to the new last part
            last = await self._bot.send_message(
                int(where), part.text, parse_mode=HTML, reply_markup=part.reply_markup
            )
        return None if last is None else str(last.message_id)

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        last = render_screen((await self._with_media(screen)).screen)[-1]
        await edit_in_place(
            self._bot.edit_message_text(
                last.text, int(where), int(handle), parse_mode=HTML, reply_markup=last.reply_markup
            )
        )

    async def clear_buttons(self, where: str, handle: str, pressed: CallbackPress | None) -> None:
        if pressed is not None:
            await pressed.answer()
        await edit_in_place(self._bot.edit_message_reply_markup(int(where), int(handle)))

    async def tell(self, pressed: CallbackPress, text: str) -> None:
        await pressed.answer(text)
