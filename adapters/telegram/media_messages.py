"""A card's pictures and sounds as Telegram messages: each file sent by the file_id this bot got
for it, else uploaded (and its new file_id kept, `SentMedia`). Telegram may refuse a kept id
(400 "wrong file identifier", an expired file reference, or an id of another bot); the file is
then uploaded again and its new id replaces the refused one."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InputFile, InputMediaPhoto, Message
from telegram.error import BadRequest

from adapters.card_media import MediaItem
from adapters.telegram.sent_media import SentMedia

__all__ = [
    "ALBUM_LIMIT",
    "Picture",
    "send_media_above",
    "send_photo",
    "send_pictures",
    "send_sound",
]

log = logging.getLogger(__name__)

ALBUM_LIMIT = 10  # sendMediaGroup takes 2–10 items
# How Telegram words a refused file_id: "wrong file identifier/HTTP URL specified", "wrong remote
# file identifier specified", "FILE_REFERENCE_EXPIRED", "invalid file_id", …
_REFUSED_ID_WORDS = ("file identifier", "file id", "file_id", "file reference", "file_reference")


@dataclass(frozen=True, slots=True)
class Picture:
    key: str  # content id or the PNG's hash: what the file_id is kept under
    data: bytes


async def send_media_above(
    bot: Bot, chat_id: int, media: Sequence[MediaItem], memory: SentMedia
) -> None:
    """A card's sounds and pictures with no text (an album when several), for a message that
    follows with the text and is edited later (a group quiz's question)."""
    for sound in (item for item in media if not item.is_image):
        await send_sound(bot, chat_id, sound, memory)
    pictures = [Picture(item.key, item.data) for item in media if item.is_image]
    await send_pictures(bot, chat_id, pictures, memory)


async def send_photo(
    bot: Bot, chat_id: int, picture: Picture, memory: SentMedia, **options: Any
) -> Message:
    async def send(photo: object) -> Message:
        return await bot.send_photo(chat_id, photo, **options)  # type: ignore[arg-type]

    return await _by_file_id_or_upload(bot, memory, picture.key, picture.data, send, _photo_id)


async def send_pictures(
    bot: Bot, chat_id: int, pictures: Sequence[Picture], memory: SentMedia
) -> None:
    """Pictures without text: one as a photo, several as albums of at most ten."""
    for start in range(0, len(pictures), ALBUM_LIMIT):
        chunk = pictures[start : start + ALBUM_LIMIT]
        if len(chunk) == 1:
            await send_photo(bot, chat_id, chunk[0], memory)
        else:
            await _send_album(bot, chat_id, chunk, memory)


async def _send_album(
    bot: Bot, chat_id: int, pictures: Sequence[Picture], memory: SentMedia
) -> None:
    known = await memory.file_ids(bot, [p.key for p in pictures])
    try:
        sent = await bot.send_media_group(
            chat_id, [InputMediaPhoto(known.get(p.key) or p.data) for p in pictures]
        )
    except BadRequest as error:
        if not known or not _refuses_file_id(error):
            raise
        # Telegram does not say which item's id it refused: the whole album goes up again.
        _log_refused(known, error)
        memory.forget_file_ids(bot, known)
        known = {}
        sent = await bot.send_media_group(chat_id, [InputMediaPhoto(p.data) for p in pictures])
    uploaded = {
        picture.key: file_id
        for picture, message in zip(pictures, sent, strict=False)
        if picture.key not in known and (file_id := _photo_id(message)) is not None
    }
    await memory.keep_file_ids(bot, uploaded)


async def send_sound(bot: Bot, chat_id: int, sound: MediaItem, memory: SentMedia) -> None:
    """A sound as a voice message when it is OGG Opus (what Telegram's voice messages are), else
    as an audio file with its name."""
    if sound.media_type == "audio/ogg" and b"OpusHead" in sound.data[:64]:

        async def voice(file: object) -> Message:
            return await bot.send_voice(chat_id, file)  # type: ignore[arg-type]

        await _by_file_id_or_upload(bot, memory, sound.key, sound.data, voice, _voice_id)
        return

    async def audio(file: object) -> Message:
        return await bot.send_audio(chat_id, file)  # type: ignore[arg-type]

    upload = InputFile(sound.data, filename=sound.name)
    await _by_file_id_or_upload(bot, memory, sound.key, upload, audio, _audio_id)


async def _by_file_id_or_upload(
    bot: Bot,
    memory: SentMedia,
    key: str,
    upload: object,
    send: Callable[[object], Awaitable[Message]],
    file_id_of: Callable[[Message], str | None],
) -> Message:
    """`send` the file by the id kept for `key`, else (or when Telegram refuses that id) by
    uploading `upload`, and keep the id Telegram gave the upload."""
    known = await memory.file_ids(bot, [key])
    if key in known:
        try:
            return await send(known[key])
        except BadRequest as error:
            if not _refuses_file_id(error):
                raise
            _log_refused(known, error)
            memory.forget_file_ids(bot, known)
    sent = await send(upload)
    file_id = file_id_of(sent)
    if file_id is not None:
        await memory.keep_file_ids(bot, {key: file_id})
    return sent


def _refuses_file_id(error: BadRequest) -> bool:
    message = error.message.lower()
    return any(words in message for words in _REFUSED_ID_WORDS)


def _log_refused(known: dict[str, str], error: BadRequest) -> None:
    keys = ", ".join(key[:12] for key in known)
    log.warning("Telegram refused the file_ids of %s (%s): uploading again", keys, error.message)


def _photo_id(message: Message) -> str | None:
    return message.photo[-1].file_id if message.photo else None


def _voice_id(message: Message) -> str | None:
    return message.voice.file_id if message.voice is not None else None


def _audio_id(message: Message) -> str | None:
    return message.audio.file_id if message.audio is not None else None
