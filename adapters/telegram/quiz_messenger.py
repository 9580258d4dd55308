"""How a group quiz shows on Telegram: HTML messages in the group, edited in place.

A card's pictures and drawn formulas go above its question; what only the answer has (its own
pictures, sounds and formulas, a picture a cloze hid) follows the reveal, so the buttons stay on
the message everyone presses. A group takes about 20 messages a minute (an album counts as its
pictures): no file of a card is sent twice, and each goes up once, then by its file_id.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, CallbackQuery

from adapters.chat.quiz_media import quiz_card_media, revealed_media
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

    async def send(self, where: str, screen: Screen) -> str:
        # The card's pictures (its formulas drawn) go above the question, which stays a text
        # message the quiz edits.
        shown = await quiz_card_media(self._library, screen)
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
        self,
        where: str,
        handle: str,
        screen: Screen,
        pressed: CallbackPress | None,
        replaces: Screen | None = None,
    ) -> str | None:
        if pressed is not None:
            await pressed.answer()
        shown, added = await revealed_media(self._library, screen, replaces)
        first, *rest = render_screen(shown.screen)
        await edit_in_place(
            self._bot.edit_message_text(
                first.text,
                int(where),
                int(handle),
                parse_mode=HTML,
                reply_markup=first.reply_markup,
            )
        )
        # The files the question did not show follow the answer (the rest are above already).
        await send_media_above(self._bot, int(where), added, self._sent_media)
        last = None
        for part in rest:  # a long answer: the keyboard moves to the new last part
            last = await self._bot.send_message(
                int(where), part.text, parse_mode=HTML, reply_markup=part.reply_markup
            )
        return None if last is None else str(last.message_id)

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        last = render_screen((await quiz_card_media(self._library, screen)).screen)[-1]
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
