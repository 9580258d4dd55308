"""What this bot already sent: Telegram's file_id of each uploaded file, so a picture goes up once
per bot rather than once per review, and which files each message shows, so an edit knows what is
on screen. In memory and bounded (one per application, in `bot_data`): after a restart a file is
uploaded once more, and a message sent before it counts as showing what it visibly carries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, MutableMapping
from typing import Any

__all__ = ["SentMedia", "sent_media_of"]

_LIMIT = 10_000  # entries of each kind: a few hundred kilobytes of ids


class SentMedia:
    def __init__(self, limit: int = _LIMIT) -> None:
        self._limit = limit
        self._file_ids: OrderedDict[str, str] = OrderedDict()
        self._shown: OrderedDict[tuple[int, int], frozenset[str]] = OrderedDict()

    def file_id(self, key: str) -> str | None:
        """The file_id Telegram gave the file with content `key`, if this bot uploaded it."""
        file_id = self._file_ids.get(key)
        if file_id is not None:
            self._file_ids.move_to_end(key)
        return file_id

    def keep_file_id(self, key: str, file_id: str) -> None:
        self._keep(self._file_ids, key, file_id)

    def shown(self, chat_id: int, message_id: int) -> frozenset[str] | None:
        """The files a message sent by this process shows (with the album above it)."""
        return self._shown.get((chat_id, message_id))

    def remember_shown(self, chat_id: int, message_id: int, keys: frozenset[str]) -> None:
        self._keep(self._shown, (chat_id, message_id), keys)

    def _keep(self, entries: OrderedDict[Any, Any], key: Hashable, value: object) -> None:
        entries[key] = value
        entries.move_to_end(key)
        while len(entries) > self._limit:
            entries.popitem(last=False)


def sent_media_of(bot_data: MutableMapping[str, Any]) -> SentMedia:
    """The application's memory of sent media (file ids belong to one bot token)."""
    memory = bot_data.get("sent_media")
    if not isinstance(memory, SentMedia):
        memory = bot_data["sent_media"] = SentMedia()
    return memory
