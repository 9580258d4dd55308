"""Answering interactions with rendered screens: first the acknowledgement, then follow-ups.

Every interaction is acknowledged exactly once: `answer` responds when nothing was sent yet and
follows up otherwise, so a handler that deferred can use the same call.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from adapters.card_media import MediaItem
from adapters.discord.attachments import AttachmentPlan, attachables, plan_attachments
from adapters.discord.render import EmbedMessage, EmbedPart, OutgoingMessage, render_screen
from adapters.formula_image import draw_formulas
from core.screens import Block, Button, Screen

__all__ = [
    "ButtonRows",
    "answer",
    "answer_embeds",
    "answer_screen",
    "embed_message",
    "embeds_of",
    "media_attachments",
    "refuse",
    "replace",
    "replace_screen",
    "sentence",
    "with_buttons",
]

EMBED_COLOUR = discord.Colour.blurple()


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
    attached to the message with the buttons: Discord shows pictures inline, sounds as players.
    Files beyond Discord's limits are named in a line of the message instead."""
    drawn = await draw_formulas(screen)
    plan = plan_attachments(attachables(media, drawn.images), file_limit=interaction.filesize_limit)
    *before, last = _messages(plan.noted(drawn.screen))
    await answer(interaction, before, ephemeral=ephemeral)
    await _send(interaction, last, ephemeral=ephemeral, files=plan.files())


async def replace_screen(
    interaction: discord.Interaction,
    screen: Screen,
    *,
    ephemeral: bool,
    media: Sequence[MediaItem] = (),
) -> None:
    """`replace` with the card's media and the screen's formulas attached to the pressed message:
    the attachments it has that the new screen shows again stay (uploaded once), the others go,
    and only files it does not have yet are uploaded."""
    drawn = await draw_formulas(screen)
    if not drawn.images and not media:
        await replace(interaction, render_screen(screen), ephemeral=ephemeral)
        return
    current = interaction.message.attachments if interaction.message is not None else []
    plan = plan_attachments(
        attachables(media, drawn.images),
        file_limit=interaction.filesize_limit,
        current=current,
    )
    first, *rest = _messages(plan.noted(drawn.screen))
    await interaction.response.edit_message(
        content=first.content, view=_view(first), attachments=plan.attachments()
    )
    await answer(interaction, rest, ephemeral=ephemeral)


def _messages(screen: Screen) -> list[OutgoingMessage]:
    return render_screen(screen) if screen.blocks else [OutgoingMessage("\u200b")]


def media_attachments(
    media: Sequence[MediaItem], current: Sequence[discord.Attachment] = ()
) -> AttachmentPlan:
    """A card's files as one channel message's attachments (a server's upload limit without
    boosts: a channel message has no interaction to tell the limit); `current`: what the
    message has, for an edit."""
    return plan_attachments(attachables(media), current=current)


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
