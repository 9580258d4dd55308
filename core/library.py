"""The deck library: bundled decks, decks imported into chats, and each chat's active deck."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from core import texts
from core.card_state import CardState
from core.decks.content_hash import deck_content_hash
from core.decks.history_import import HistoryCounts, history_writes
from core.decks.history_offers import (
    HISTORY_OFFER_LIFETIME,
    HistoryOffer,
    offer_id_of,
    offer_token,
)
from core.decks.importer import DeckImporter
from core.decks.media import UNUSED_MEDIA_AGE, MediaFile, MediaRef, PrunedMedia
from core.decks.model import (
    MAX_SLUG_LENGTH,
    Deck,
    ImportResult,
    distinct_slug,
    make_card_id,
    slugify,
)
from core.errors import DeckImportError, NotFound, StaleAction
from core.learners import Learner
from core.permissions import ChatAction, ChatRole, require
from core.ports import Clock, DeckInfo, MediaStore, Randomness, Store, UnitOfWork
from core.scheduling.days import learner_day

__all__ = ["DeckLibrary", "ImportSummary"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    deck: DeckInfo
    warnings: tuple[str, ...]
    history: HistoryCounts | None = None  # when the learner's Anki history was asked for
    history_offer: str | None = None  # the token of "Add your Anki review history?"


class DeckLibrary:
    def __init__(
        self,
        store: Store,
        importer: DeckImporter | None = None,
        *,
        clock: Clock | None = None,
        randomness: Randomness | None = None,
        media: MediaStore | None = None,
    ) -> None:
        self._store = store
        # Without a media store (tests of text decks), imported pictures and sounds are dropped.
        self.media = media
        # Only chat uploads need these: their history offers have an id and an age.
        self._clock = clock
        self._randomness = randomness
        self._bundled_ids: set[str] = set()
        # Without packages from the composition root, only the text formats are read.
        self.importer = importer or DeckImporter()

    async def install_bundled(self, decks: Iterable[Deck]) -> None:
        """Store the shipped decks that changed since the last start (every `quizbot` command
        starts so): an unchanged start writes nothing. Cards keep their ids, so progress stays."""
        async with self._store.unit_of_work() as uow:
            for deck in decks:
                self._bundled_ids.add(deck.id)
                if await uow.decks.content_hash(deck.id) != deck_content_hash(deck):
                    uow.decks.save(deck, owner_chat_id=None)
            await uow.commit()  # nothing staged: no transaction at all

    async def import_deck(
        self,
        data: bytes,
        name: str,
        owner_chat_id: int | None,
        file_name: str = "",
        *,
        role: ChatRole,
        history_for: Learner | None = None,
        now: datetime | None = None,
        offer_history_to: Learner | None = None,
    ) -> ImportSummary:
        """Read a deck file in any known format (see `DeckImporter`), then store the whole deck
        in one transaction: a bad file writes nothing. Cards keep their ids on re-import.
        `role` is the importer's standing in the owning chat (`OPERATOR` for no chat).

        `history_for`: also add the package's review history and card states for that learner
        (at `now`), in the same transaction; a file without history is refused then.
        `offer_history_to`: a chat upload's uploader; when the file has history, the summary
        carries the token of a button that adds it for them (`add_offered_history`)."""
        require(role, ChatAction.IMPORT_DECK)
        name = name.strip()
        if not name:
            raise DeckImportError(texts.DECK_NEEDS_NAME)
        deck_id = self._owned_id(name, owner_chat_id)
        if deck_id in self._bundled_ids:
            # It would replace the shipped deck's cards until the next start put them back.
            raise DeckImportError(texts.DECK_NAME_TAKEN.format(name=name))
        # Parsing a big package takes a while; the event loop keeps serving other chats.
        result = await asyncio.to_thread(
            self.importer.read,
            data,
            file_name=file_name,
            deck_id=deck_id,
            deck_name=name,
            source=name,
        )
        if history_for is not None and result.history is None:
            raise DeckImportError(texts.HISTORY_NONE)
        # Content-addressed, so written first: if the transaction fails, the files are only
        # bytes no deck names, and the same bytes reuse them next time.
        media = await asyncio.to_thread(self._put_media, result.media)
        counts, token = None, None
        async with self._store.unit_of_work() as uow:
            uow.decks.save(result.deck, owner_chat_id=owner_chat_id)
            uow.decks.save_media(deck_id, media)
            if history_for is not None:
                if now is None:
                    raise ValueError("a history import needs the time")
                counts = await self._stage_history(uow, result, history_for, now)
            if offer_history_to is not None and result.history and result.history.reviews:
                token = self._stage_offer(uow, offer_history_to, result, data, file_name)
            await uow.commit()
        info = DeckInfo(deck_id, name, "", len(result.deck.cards), owner_chat_id)
        return ImportSummary(info, result.warnings, counts, token)

    def _put_media(self, files: Iterable[MediaFile]) -> list[MediaRef]:
        if self.media is None:
            return []
        store = self.media
        return [MediaRef(f.name, store.put(f.data), f.media_type) for f in files]

    async def deck_media(self, deck_id: str) -> dict[str, MediaRef]:
        """The deck's media files by the names its cards' markers use."""
        async with self._store.unit_of_work() as uow:
            return await uow.decks.media(deck_id)

    async def media_files(self, deck_id: str) -> dict[str, bytes]:
        """The deck's files by name, for export; a file gone from the store is left out."""
        if self.media is None:
            return {}
        store = self.media
        files = {
            name: store.get(ref.content_id)
            for name, ref in (await self.deck_media(deck_id)).items()
        }
        return {name: data for name, data in files.items() if data is not None}

    async def prune_media(self) -> PrunedMedia:
        """Delete the media files no deck names any more (a replaced deck's, a failed import's)
        once `UNUSED_MEDIA_AGE` old: an import writes its files before its deck is saved, so a
        younger one may be about to be named (`MediaStore.prune`: safe beside imports)."""
        if self.media is None:
            return PrunedMedia(0, 0)
        if self._clock is None:
            raise ValueError("pruning media needs the library's clock")
        written_before = self._clock.now() - UNUSED_MEDIA_AGE
        async with self._store.unit_of_work() as uow:
            in_use = await uow.decks.media_in_use()
        return await asyncio.to_thread(self.media.prune, in_use, written_before)

    async def prune_media_job(self) -> None:
        """`prune_media` as a scheduled job: what it deleted, in the log."""
        pruned = await self.prune_media()
        if pruned.files:
            log.info("deleted %d media files no deck names (%d bytes)", pruned.files, pruned.size)

    async def media_locations(self, deck_id: str) -> dict[str, str]:
        """The deck's file names → where the media store keeps them (for the console)."""
        if self.media is None:
            return {}
        store = self.media
        return {
            name: store.location(ref.content_id)
            for name, ref in (await self.deck_media(deck_id)).items()
        }

    def _stage_offer(
        self, uow: UnitOfWork, learner: Learner, result: ImportResult, data: bytes, file_name: str
    ) -> str:
        if self._clock is None or self._randomness is None:
            raise ValueError("history offers need the library's clock and randomness")
        now = self._clock.now()
        offer = HistoryOffer(
            self._randomness.new_id(),
            learner.id,
            result.deck.id,
            result.deck.name,
            file_name,
            data,
            now,
        )
        uow.history_offers.save(offer)
        return offer_token(offer.id)

    async def drop_expired_offers(self) -> None:
        """Forget the history offers nobody can take any more (their files are up to 20 MB):
        the minutely tick's job, so none outlives its hour by more than a minute."""
        if self._clock is None:
            raise ValueError("history offers need the library's clock")
        async with self._store.unit_of_work() as uow:
            uow.history_offers.delete_older_than(self._clock.now() - HISTORY_OFFER_LIFETIME)
            await uow.commit()

    async def add_offered_history(self, learner: Learner, token: str) -> HistoryCounts:
        """Take the offer the button `token` names: add the file's history for `learner`, who
        must be its uploader, and forget the file. A stale, foreign or spent offer: StaleAction."""
        if self._clock is None:
            raise ValueError("history offers need the library's clock")
        now = self._clock.now()
        async with self._store.unit_of_work() as uow:
            offer = await uow.history_offers.get(offer_id_of(token))
        # A button the bot made whose offer is gone was taken, or dropped after its hour.
        if offer is None or offer.expired(now):
            raise StaleAction(texts.HISTORY_OFFER_EXPIRED)
        if offer.learner_id != learner.id:
            raise StaleAction(texts.NOT_MY_BUTTON)
        result = await asyncio.to_thread(
            self.importer.read,
            offer.data,
            file_name=offer.file_name,
            deck_id=offer.deck_id,
            deck_name=offer.deck_name,
            source=offer.deck_name,
        )
        async with self._store.unit_of_work() as uow:
            # The deck may have been imported again since: only its cards still there count.
            stored = await uow.decks.cards(offer.deck_id)
            deck = Deck(offer.deck_id, offer.deck_name, stored)
            counts = await self._stage_history(uow, replace(result, deck=deck), learner, now)
            uow.history_offers.delete(offer.id)  # a second press conflicts: added once
            await uow.commit()
        return counts

    @staticmethod
    async def _stage_history(
        uow: UnitOfWork, result: ImportResult, learner: Learner, now: datetime
    ) -> HistoryCounts:
        assert result.history is not None
        keys = [review.import_key for review in result.history.reviews]
        known = await uow.reviews.imported_keys(learner.id, keys)
        existing: dict[str, CardState] = {}
        for past in result.history.cards:
            card_id = make_card_id(result.deck.id, past.card_key)
            if (state := await uow.card_states.get(learner.id, card_id)) is not None:
                existing[card_id] = state
        today = learner_day(now, learner.settings.zone, learner.settings.day_start)
        writes = history_writes(result.history, learner, result.deck, known, existing, today)
        for record in writes.reviews:
            uow.reviews.append(record)
        for state in writes.states:
            uow.card_states.save(state)
        return writes.counts

    async def deck_with_cards(self, deck: DeckInfo) -> Deck:
        """The whole deck, for export."""
        async with self._store.unit_of_work() as uow:
            cards = await uow.decks.cards(deck.id)
        return Deck(deck.id, deck.name, cards, deck.description)

    async def visible(self, chat_id: int | None) -> list[DeckInfo]:
        async with self._store.unit_of_work() as uow:
            return await uow.decks.visible_in(chat_id)

    async def find(self, name_or_id: str, chat_id: int | None) -> DeckInfo:
        """A deck visible in the chat by id or name (case-insensitive), or NotFound."""
        wanted = name_or_id.strip().casefold()
        for deck in await self.visible(chat_id):
            if wanted in (deck.id.casefold(), deck.name.casefold(), slugify(deck.name)):
                return deck
        raise NotFound(texts.UNKNOWN_DECK.format(name=name_or_id))

    async def quiz_deck(self, name: str | None, chat_id: int) -> DeckInfo:
        """The deck a quiz in the chat plays: the named one, else the active or first visible."""
        if name:
            return await self.find(name, chat_id)
        ids = await self.active_deck_ids(chat_id)
        if not ids:
            raise NotFound(texts.NO_DECKS)
        return await self.find(ids[0], chat_id)

    async def active_deck_ids(self, chat_id: int) -> list[str]:
        """The chat's active deck, else every deck visible there."""
        async with self._store.unit_of_work() as uow:
            chat = await uow.chats.get(chat_id)
            if chat and chat.active_deck_id and await uow.decks.get(chat.active_deck_id):
                return [chat.active_deck_id]
            return [deck.id for deck in await uow.decks.visible_in(chat_id)]

    async def set_active(self, chat_id: int, deck_id: str | None, *, role: ChatRole) -> None:
        require(role, ChatAction.CHOOSE_DECK)
        async with self._store.unit_of_work() as uow:
            uow.chats.set_active_deck(chat_id, deck_id)
            await uow.commit()

    @staticmethod
    def _owned_id(name: str, owner_chat_id: int | None) -> str:
        # Imported decks are namespaced by their chat so two chats may both have a "Spanish".
        prefix = "" if owner_chat_id is None else f"c{owner_chat_id}."
        return prefix + distinct_slug(name, MAX_SLUG_LENGTH - len(prefix))
