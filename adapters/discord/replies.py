"""Answering interactions with rendered screens: first the acknowledgement, then follow-ups.

Every interaction is acknowledged exactly once: `answer` responds when nothing was sent yet and
follows up otherwise, so a handler that deferred can use the same call.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import discord

from adapters.card_media import MediaItem
from adapters.discord.render import EmbedMessage, EmbedPart, OutgoingMessage, render_screen
from adapters.formula_image import DrawnScreen, draw_formulas
from core.screens import Block, Button, Screen

__all__ = [
    "ButtonRows",
    "answer",
    "answer_embeds",
    "answer_screen",
    "embed_message",
    "embeds_of",
    "media_files",
    "refuse",
    "replace",
    "replace_screen",
    "sentence",
    "with_buttons",
]

EMBED_COLOUR = discord.Colour.blurple()
MAX_ATTACHMENTS = 10  # per message
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # a message's uploads together, without Nitro boosts


class ButtonRows(discord.ui.View):
    """Buttons to send, and nothing more: no state, never stored, never dispatched.

    Presses reach `ActionButton`, a dynamic item keyed on the custom_id, so they work after a
    restart and no view timeout can unregister them.
    """

    def __init__(self, rows: Sequence[Sequence[Button]]) -> None:
        super().__init__(timeout=None)
        for index, row in enumerate(rows):
            for button in row:
                self.add_item(
                    discord.ui.Button(
                        label=button.label,
                        custom_id=button.action,
                        style=_style_of(button),
                        row=index,
                    )
                )

    def is_dispatchable(self) -> bool:
        return False


def _style_of(button: Button) -> discord.ButtonStyle:
    return discord.ButtonStyle.primary if button.primary else discord.ButtonStyle.secondary


def _view(message: OutgoingMessage) -> ButtonRows | None:
    return ButtonRows(message.rows) if message.rows else None


async def answer(
    interaction: discord.Interaction, messages: Sequence[OutgoingMessage], *, ephemeral: bool
) -> None:
    """Send `messages` as the interaction's response (or follow-ups once it is acknowledged)."""
    for message in messages:
        await _send(interaction, message, ephemeral=ephemeral)


async def replace(
    interaction: discord.Interaction, messages: Sequence[OutgoingMessage], *, ephemeral: bool
) -> None:
    """Update the pressed message in place with the first message; follow up with the rest."""
    first, *rest = messages
    await interaction.response.edit_message(content=first.content, view=_view(first))
    await answer(interaction, rest, ephemeral=ephemeral)


async def answer_screen(
    interaction: discord.Interaction,
    screen: Screen,
    *,
    ephemeral: bool,
    media: Sequence[MediaItem] = (),
) -> None:
    """`answer` with the card's `media` (`adapters.card_media`) and the screen's formulas drawn,
    attached to the message with the buttons: Discord shows pictures inline, sounds as players."""
    drawn = await draw_formulas(screen)
    *before, last = _messages(drawn)
    await answer(interaction, before, ephemeral=ephemeral)
    await _send(interaction, last, ephemeral=ephemeral, files=_files(drawn, media))


async def replace_screen(
    interaction: discord.Interaction,
    screen: Screen,
    *,
    ephemeral: bool,
    media: Sequence[MediaItem] = (),
) -> None:
    """`replace` with the card's media and the screen's formulas attached to the pressed message
    (the attachments it had are replaced, so each screen shows its own)."""
    drawn = await draw_formulas(screen)
    if not drawn.images and not media:
        await replace(interaction, render_screen(screen), ephemeral=ephemeral)
        return
    first, *rest = _messages(drawn)
    await interaction.response.edit_message(
        content=first.content, view=_view(first), attachments=_files(drawn, media)
    )
    await answer(interaction, rest, ephemeral=ephemeral)


def _messages(drawn: DrawnScreen) -> list[OutgoingMessage]:
    return render_screen(drawn.screen) if drawn.screen.blocks else [OutgoingMessage("\u200b")]


def _files(drawn: DrawnScreen, media: Sequence[MediaItem] = ()) -> list[discord.File]:
    """The card's files (by their names, made safe), then the formulas, within Discord's limits
    for one message: what would pass them is left out rather than the message refused."""
    named = [(_safe_name(item.name, number), item.data) for number, item in enumerate(media, 1)]
    named += [(f"formula-{n}.png", png) for n, png in enumerate(drawn.images, start=1)]
    files, total = [], 0
    for name, data in named:
        if len(files) == MAX_ATTACHMENTS or total + len(data) > MAX_ATTACHMENT_BYTES:
            break
        total += len(data)
        files.append(discord.File(io.BytesIO(data), filename=name))
    return files


def media_files(media: Sequence[MediaItem]) -> list[discord.File]:
    """A card's files as attachments, within one message's limits."""
    return _files(DrawnScreen(Screen(()), ()), media)


def _safe_name(name: str, number: int) -> str:
    """A deck's file name as an attachment's: its own characters where harmless, numbered so
    two names made alike stay distinct."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit("/", 1)[-1]).strip("._") or "file"
    return f"{number}-{stem[-80:]}"


def sentence(text: str) -> list[OutgoingMessage]:
    """Plain text (often quoting what someone typed) as messages: escaped once, split."""
    return render_screen(Screen((Block(text),)))


async def refuse(interaction: discord.Interaction, text: str) -> None:
    """A refusal only the person who caused it sees."""
    await answer(interaction, sentence(text), ephemeral=True)


async def _send(
    interaction: discord.Interaction,
    message: OutgoingMessage,
    *,
    ephemeral: bool,
    files: Sequence[discord.File] = (),
) -> None:
    extra: dict[str, Any] = {**with_buttons(message), **({"files": list(files)} if files else {})}
    if interaction.response.is_done():
        await interaction.followup.send(message.content, ephemeral=ephemeral, **extra)
    else:
        await interaction.response.send_message(message.content, ephemeral=ephemeral, **extra)


async def answer_embeds(
    interaction: discord.Interaction,
    parts: Sequence[EmbedPart],
    *,
    ephemeral: bool,
    image: tuple[str, bytes] | None = None,
) -> None:
    """One message of embeds (at most 10); `image` (file name, PNG) shows in the first one."""
    embeds = embeds_of(parts)
    extra: dict[str, Any] = {}
    if image is not None:
        name, data = image
        embeds[0].set_image(url=f"attachment://{name}")
        extra["file"] = discord.File(io.BytesIO(data), filename=name)
    if interaction.response.is_done():
        await interaction.followup.send(embeds=embeds, ephemeral=ephemeral, **extra)
    else:
        await interaction.response.send_message(embeds=embeds, ephemeral=ephemeral, **extra)


def embeds_of(parts: Sequence[EmbedPart]) -> list[discord.Embed]:
    return [
        discord.Embed(title=part.title, description=part.description or None, colour=EMBED_COLOUR)
        for part in parts
    ]


def embed_message(message: EmbedMessage) -> dict[str, Any]:
    """Keyword arguments for send/edit: the embeds, and the buttons (None removes them).

    `allowed_mentions` is explicit: a partial message's edit does not inherit the client's.
    """
    view = ButtonRows(message.rows) if message.rows else None
    nobody = discord.AllowedMentions.none()
    return {"embeds": embeds_of(message.embeds), "view": view, "allowed_mentions": nobody}


def with_buttons(message: OutgoingMessage) -> dict[str, Any]:
    """The `view` keyword for sending `message` (none when it has no buttons)."""
    view = _view(message)
    return {"view": view} if view is not None else {}
