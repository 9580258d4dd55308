"""How a group quiz shows on Telegram: HTML messages in the group, edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, CallbackQuery

from adapters.telegram.identity import PLATFORM
from adapters.telegram.outgoing import HTML, edit_in_place
from adapters.telegram.render import render_screen
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

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, where: str, screen: Screen) -> str:
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
        last = render_screen(screen)[-1]
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
