"""What this bot already sent. Telegram's file_id of each file it uploaded, kept in the store under
the bot (an id is valid only for the bot that uploaded it), so a picture goes up once per bot:
not once per review, per restart or per worker; the recent ones are in memory too, so a card
shown again asks the store nothing. And which files each message shows, so an edit knows what is
on screen: in memory only (one per application), so after a restart a message sent before it
counts as showing what it visibly carries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from telegram import Bot

from adapters.telegram.identity import PLATFORM
from core.ports import Store

__all__ = ["SentMedia"]

_LIMIT = 10_000  # entries of each kind in memory: a few hundred kilobytes of ids


class SentMedia:
    """`store` None keeps the file_ids in memory only (a test about rendering)."""

    def __init__(self, store: Store | None = None, limit: int = _LIMIT) -> None:
        self._store = store
        self._limit = limit
        self._file_ids: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._shown: OrderedDict[tuple[int, int], frozenset[str]] = OrderedDict()

    async def file_ids(self, bot: Bot, keys: Sequence[str]) -> dict[str, str]:
        """The file_ids Telegram gave `bot` for the files with content `keys` it uploaded."""
        owner = _owner(bot)
        remembered = self._file_ids
        known = {key: remembered[(owner, key)] for key in keys if (owner, key) in remembered}
        missing = [key for key in dict.fromkeys(keys) if key not in known]
        if missing and self._store is not None:
            async with self._store.unit_of_work() as uow:
                found = await uow.uploaded_files.file_ids(owner, missing)
            known |= found
        for key, file_id in known.items():
            self._keep(self._file_ids, (owner, key), file_id)
        return known

    async def keep_file_ids(self, bot: Bot, uploaded: Mapping[str, str]) -> None:
        """Keep the file_ids Telegram gave `bot`'s uploads (by content key), replacing any it
        refused."""
        owner = _owner(bot)
        for key, file_id in uploaded.items():
            self._keep(self._file_ids, (owner, key), file_id)
        if uploaded and self._store is not None:
            async with self._store.unit_of_work() as uow:
                for key, file_id in uploaded.items():
                    uow.uploaded_files.save(owner, key, file_id)
                await uow.commit()

    def forget_file_ids(self, bot: Bot, keys: Iterable[str]) -> None:
        """Telegram refused these ids: the memory drops them (the store's are replaced once the
        files are uploaded again)."""
        owner = _owner(bot)
        for key in keys:
            self._file_ids.pop((owner, key), None)

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


def _owner(bot: Bot) -> str:
    """Whose uploads the ids are: `telegram:` and the bot's user id (the token's public part)."""
    return f"{PLATFORM}:{bot.id}"
