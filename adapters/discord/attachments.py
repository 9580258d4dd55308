"""A card's files as one Discord message's attachments, within Discord's limits, and what an edit
of the message keeps.

Discord takes at most 10 attachments a message, each within the upload limit of where it goes
(10 MiB on a server without boosts: the interaction's `attachment_size_limit`, else discord.py's
default), and refuses a request over 25 MiB with 413 (code 40005, "Request entity too large"). A
file that does not fit is left out and named in a short line of the message ("🖼 leg.png is too
large to show on Discord (12.4 MB)."), so the learner knows a picture is missing; the others
still go.

An edit lists the attachments the message keeps (Discord removes those a PATCH does not list):
the ones the new screen shows again stay, told by file name and size, and only new files are
uploaded, so a reveal and a rating of a picture card upload the picture once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import discord

from adapters.card_media import MediaItem
from adapters.discord.texts import PLATFORM_NAME
from core import texts
from core.screens import Block, Screen, Style

__all__ = [
    "DEFAULT_FILE_LIMIT",
    "MAX_ATTACHMENTS",
    "MAX_REQUEST_BYTES",
    "Attachable",
    "AttachmentPlan",
    "attachables",
    "plan_attachments",
]

MAX_ATTACHMENTS = 10  # per message
MAX_REQUEST_BYTES = 25 * 1024 * 1024  # one request, files and all, without Nitro boosts
DEFAULT_FILE_LIMIT = discord.utils.DEFAULT_FILE_SIZE_LIMIT_BYTES  # 10 MiB: a server without boosts
# Room in a request besides the files: payload_json (at most 6,000 embed characters and the
# buttons) and the multipart framing.
_REQUEST_ALLOWANCE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Attachable:
    """One file for a message: `filename` as Discord shows it, `name` as the deck named it."""

    filename: str
    name: str
    data: bytes
    picture: bool


@dataclass(frozen=True, slots=True)
class AttachmentPlan:
    """What one message carries: the attachments it has and keeps, the files to upload, and a
    sentence for each file left out."""

    kept: tuple[discord.Attachment, ...]
    uploads: tuple[Attachable, ...]
    left_out: tuple[str, ...]

    def files(self) -> list[discord.File]:
        """The uploads, for a new message (or an edit that keeps nothing)."""
        return [discord.File(io.BytesIO(f.data), filename=f.filename) for f in self.uploads]

    def attachments(self) -> list[discord.Attachment | discord.File]:
        """An edit's `attachments`: what stays, then what is new (Discord's order too)."""
        return [*self.kept, *self.files()]

    def noted(self, screen: Screen) -> Screen:
        """`screen` with a muted line for each file left out."""
        notes = tuple(Block(sentence, Style.MUTED) for sentence in self.left_out)
        return replace(screen, blocks=(*screen.blocks, *notes)) if notes else screen


def attachables(media: Sequence[MediaItem], formulas: Sequence[bytes] = ()) -> list[Attachable]:
    """A card's files by their names (made safe), then its drawn formulas."""
    files = [
        Attachable(_safe_name(item.name, number), item.name, item.data, item.is_image)
        for number, item in enumerate(media, start=1)
    ]
    for number, png in enumerate(formulas, start=1):
        name = f"formula-{number}.png"
        files.append(Attachable(name, name, png, True))
    return files


def plan_attachments(
    files: Sequence[Attachable],
    *,
    file_limit: int = DEFAULT_FILE_LIMIT,
    current: Sequence[discord.Attachment] = (),
) -> AttachmentPlan:
    """The files, in order, as far as one message takes them: each at most `file_limit`, at most
    ten, and all within one request's size (kept ones counted too, so an edit shows what the
    first message showed); `current` are the attachments the message has (an edit), kept where
    a file is one of them rather than uploaded again."""
    on_message = {(a.filename, a.size): a for a in current}
    kept: list[discord.Attachment] = []
    uploads: list[Attachable] = []
    left_out: list[str] = []
    carried = 0
    for file in files:
        size = len(file.data)
        if size > file_limit:
            left_out.append(
                texts.media_too_large(file.name, size, PLATFORM_NAME, picture=file.picture)
            )
            continue
        full = len(kept) + len(uploads) == MAX_ATTACHMENTS
        if full or carried + size > MAX_REQUEST_BYTES - _REQUEST_ALLOWANCE:
            left_out.append(_left_out(file))
            continue
        carried += size
        existing = on_message.pop((file.filename, size), None)
        if existing is not None:
            kept.append(existing)
        else:
            uploads.append(file)
    return AttachmentPlan(tuple(kept), tuple(uploads), tuple(left_out))


def _left_out(file: Attachable) -> str:
    return texts.media_left_out(
        file.name,
        len(file.data),
        PLATFORM_NAME,
        picture=file.picture,
        count=MAX_ATTACHMENTS,
        total=MAX_REQUEST_BYTES,
    )


def _safe_name(name: str, number: int) -> str:
    """A deck's file name as an attachment's: its own characters where harmless, numbered so
    two names made alike stay distinct."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit("/", 1)[-1]).strip("._") or "file"
    return f"{number}-{stem[-80:]}"
