"""An in-memory `core.ports.Store` for tests about rules rather than SQL.

It keeps the port's promises the way the SQLite store does, checked by the same contract tests
(tests/adapters/test_store_contract.py): reads see committed data only, writes are staged and a
commit applies all of them or none, a versioned save at the wrong version or a repeated unique key
is a `ConcurrencyConflict`. Committed rows are frozen dataclasses, so a commit copies the tables
shallowly and swaps them in; nothing awaits in between, so a commit is atomic on the event loop.
The review path's reads suspend once, as a real store's do, so concurrent units interleave.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import pairwise
from types import TracebackType
from typing import Protocol, Self, TypeVar

from core.card_state import CardCountQuery, CardState, ReviewRecord
from core.decks.content_hash import deck_content_hash
from core.decks.history_offers import HistoryOffer
from core.decks.media import MediaRef
from core.decks.model import Card, Deck
from core.errors import ConcurrencyConflict
from core.learners import Chat, Learner, LearnerSettings
from core.leeches.model import HintPrompt, SuspendedCard
from core.personal.model import PersonalParameters
from core.planning.model import ExamPlan
from core.ports import DeckInfo
from core.quiz.model import GroupQuiz, QuizPhase, QuizRating
from core.reminders.model import Subscription
from core.review.session import ReviewSession
from core.scheduling.fit import LoggedReview
from core.scheduling.model import SchedulerKind
from core.stats.repository import ChatReviewCount, FollowedRating, StateCount

__all__ = ["MemoryStore"]


@dataclass(frozen=True, slots=True)
class _StoredDeck:
    name: str
    description: str
    owner_chat_id: int | None
    cards: tuple[Card, ...]
    content_hash: str


@dataclass
class _Tables:
    learners: dict[int, Learner] = field(default_factory=dict)
    chats: dict[int, Chat] = field(default_factory=dict)
    decks: dict[str, _StoredDeck] = field(default_factory=dict)
    card_states: dict[tuple[int, str], CardState] = field(default_factory=dict)
    review_log: list[ReviewRecord] = field(default_factory=list)
    sessions: dict[int, ReviewSession] = field(default_factory=dict)
    quizzes: dict[int, GroupQuiz] = field(default_factory=dict)
    quiz_ratings: dict[tuple[int, int, int], QuizRating] = field(default_factory=dict)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    parameters: dict[int, PersonalParameters] = field(default_factory=dict)
    # (learner, card) → (hint, suspended_at); hint_prompts by learner
    card_flags: dict[tuple[int, str], tuple[str | None, datetime | None]] = field(
        default_factory=dict
    )
    hint_prompts: dict[int, HintPrompt] = field(default_factory=dict)
    history_offers: dict[int, HistoryOffer] = field(default_factory=dict)
    # A subscription's lease: (claim token, until); a save ends it.
    push_leases: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    deck_media: dict[str, dict[str, MediaRef]] = field(default_factory=dict)
    exam_plans: dict[tuple[int, str], ExamPlan] = field(default_factory=dict)
    uploaded_files: dict[tuple[str, str], str] = field(default_factory=dict)  # (bot, key) → id

    def copy(self) -> _Tables:
        return _Tables(
            dict(self.learners),
            dict(self.chats),
            dict(self.decks),
            dict(self.card_states),
            list(self.review_log),
            dict(self.sessions),
            dict(self.quizzes),
            dict(self.quiz_ratings),
            dict(self.subscriptions),
            dict(self.parameters),
            dict(self.card_flags),
            dict(self.hint_prompts),
            dict(self.history_offers),
            dict(self.push_leases),
            dict(self.deck_media),
            dict(self.exam_plans),
            dict(self.uploaded_files),
        )


# A staged write: applies itself to the tables being committed, False when its check fails.
_Write = Callable[[_Tables], bool]


class _Versioned(Protocol):
    @property
    def version(self) -> int: ...


K = TypeVar("K")
V = TypeVar("V", bound=_Versioned)


def _versioned(table: dict[K, V], key: K, row: V) -> bool:
    """Insert at version 1 (the key must be new), else replace the row at `version - 1`."""
    current = table.get(key)
    if row.version == 1:
        if current is not None:
            return False
    elif current is None or current.version != row.version - 1:
        return False
    table[key] = row
    return True


class MemoryStore:
    def __init__(self) -> None:
        self.tables = _Tables()
        self.commits = 0

    @property
    def review_log(self) -> list[ReviewRecord]:
        """Every committed review, in order: what a test about rules inspects."""
        return list(self.tables.review_log)

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    async def close(self) -> None:
        return None

    def apply(self, writes: Sequence[_Write]) -> None:
        tables = self.tables.copy()
        if not all(write(tables) for write in writes):
            raise ConcurrencyConflict("a versioned write or unique key conflicted")
        self.tables = tables
        self.commits += 1


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._staged: list[_Write] = []
        self.learners = _Learners(store, self._staged)
        self.chats = _Chats(store, self._staged)
        self.decks = _Decks(store, self._staged)
        self.card_states = _CardStates(store, self._staged)
        self.reviews = _Reviews(store, self._staged)
        self.sessions = _Sessions(store, self._staged)
        self.quizzes = _Quizzes(store, self._staged)
        self.subscriptions = _Subscriptions(store, self._staged)
        self.stats = _Stats(store)
        self.parameters = _Parameters(store, self._staged)
        self.card_flags = _CardFlags(store, self._staged)
        self.history_offers = _HistoryOffers(store, self._staged)
        self.exam_plans = _ExamPlans(store, self._staged)
        self.uploaded_files = _UploadedFiles(store, self._staged)

    async def commit(self) -> None:
        writes = tuple(self._staged)
        self._staged.clear()
        if writes:
            self._store.apply(writes)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._staged.clear()


async def _suspend() -> None:
    await asyncio.sleep(0)


class _Repository:
    def __init__(self, store: MemoryStore, staged: list[_Write]) -> None:
        self._store = store
        self._staged = staged

    @property
    def _tables(self) -> _Tables:
        return self._store.tables


class _Learners(_Repository):
    async def ensure(self, platform: str, platform_user_id: str, display_name: str) -> Learner:
        tables = self._tables
        for learner in tables.learners.values():
            if (learner.platform, learner.platform_user_id) == (platform, platform_user_id):
                if learner.display_name != display_name:
                    learner = replace(learner, display_name=display_name)
                    tables.learners[learner.id] = learner
                return _with_parameters(tables, learner)
        learner = Learner(
            max(tables.learners, default=0) + 1,
            platform,
            platform_user_id,
            display_name,
            LearnerSettings(),
        )
        tables.learners[learner.id] = learner
        return learner

    async def get(self, learner_id: int) -> Learner | None:
        learner = self._tables.learners.get(learner_id)
        return None if learner is None else _with_parameters(self._tables, learner)

    async def get_many(self, learner_ids: Sequence[int]) -> dict[int, Learner]:
        learners = self._tables.learners
        return {
            i: _with_parameters(self._tables, learners[i]) for i in learner_ids if i in learners
        }

    def save_settings(self, learner_id: int, settings: LearnerSettings) -> None:
        def write(tables: _Tables) -> bool:
            if learner_id in tables.learners:
                tables.learners[learner_id] = replace(
                    tables.learners[learner_id], settings=settings
                )
            return True

        self._staged.append(write)


def _with_parameters(tables: _Tables, learner: Learner) -> Learner:
    """The learner as the SQLite store reads them: with their personal FSRS parameters."""
    row = tables.parameters.get(learner.id)
    scheduler = replace(
        learner.settings.scheduler, parameters=None if row is None else row.parameters
    )
    return replace(learner, settings=replace(learner.settings, scheduler=scheduler))


class _Chats(_Repository):
    async def ensure(
        self,
        platform: str,
        platform_chat_id: str,
        title: str,
        is_group: bool,
        community: str | None = None,
    ) -> Chat:
        chats = self._tables.chats
        for chat in chats.values():
            if (chat.platform, chat.platform_chat_id) == (platform, platform_chat_id):
                chat = replace(chat, title=title, community=community)
                chats[chat.id] = chat
                return chat
        chat = Chat(
            max(chats, default=0) + 1, platform, platform_chat_id, title, is_group, None, community
        )
        chats[chat.id] = chat
        return chat

    async def get(self, chat_id: int) -> Chat | None:
        return self._tables.chats.get(chat_id)

    async def get_many(self, chat_ids: Sequence[int]) -> dict[int, Chat]:
        chats = self._tables.chats
        return {i: chats[i] for i in chat_ids if i in chats}

    async def in_community(self, platform: str, community: str) -> list[int]:
        return sorted(
            c.id
            for c in self._tables.chats.values()
            if (c.platform, c.community) == (platform, community)
        )

    def set_active_deck(self, chat_id: int, deck_id: str | None) -> None:
        def write(tables: _Tables) -> bool:
            if chat_id in tables.chats:
                tables.chats[chat_id] = replace(tables.chats[chat_id], active_deck_id=deck_id)
            return True

        self._staged.append(write)


class _Decks(_Repository):
    async def get(self, deck_id: str) -> DeckInfo | None:
        deck = self._tables.decks.get(deck_id)
        return None if deck is None else _info(deck_id, deck)

    async def visible_in(self, chat_id: int | None) -> list[DeckInfo]:
        decks = [
            _info(deck_id, deck)
            for deck_id, deck in self._tables.decks.items()
            if deck.owner_chat_id is None or deck.owner_chat_id == chat_id
        ]
        return sorted(decks, key=lambda d: (d.name, d.id))

    async def visible_ids_in(self, chat_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        return {i: tuple(deck.id for deck in await self.visible_in(i)) for i in chat_ids}

    async def names_of(self, deck_ids: Sequence[str]) -> dict[str, str]:
        await _suspend()
        decks = self._tables.decks
        return {deck_id: decks[deck_id].name for deck_id in deck_ids if deck_id in decks}

    async def cards(self, deck_id: str) -> tuple[Card, ...]:
        deck = self._tables.decks.get(deck_id)
        return () if deck is None else deck.cards

    async def cards_by_id(self, card_ids: Sequence[str]) -> dict[str, Card]:
        await _suspend()
        wanted = set(card_ids)
        return {
            card.id: card
            for deck in self._tables.decks.values()
            for card in deck.cards
            if card.id in wanted
        }

    async def content_hash(self, deck_id: str) -> str | None:
        deck = self._tables.decks.get(deck_id)
        return None if deck is None else deck.content_hash

    def save(self, deck: Deck, owner_chat_id: int | None) -> None:
        def write(tables: _Tables) -> bool:
            kept = {card.id for card in deck.cards}
            old = tables.decks.get(deck.id)
            dropped = {c.id for c in old.cards} - kept if old else set()
            # Card ids are unique across decks: a card that moves leaves its old deck.
            for other_id, other in list(tables.decks.items()):
                if other_id != deck.id and any(c.id in kept for c in other.cards):
                    cards = tuple(c for c in other.cards if c.id not in kept)
                    tables.decks[other_id] = replace(other, cards=cards)
            stored = _StoredDeck(
                deck.name, deck.description, owner_chat_id, deck.cards, deck_content_hash(deck)
            )
            tables.decks[deck.id] = stored
            # A dropped card takes its learners' states with it (ON DELETE CASCADE in SQL).
            for key in [k for k in tables.card_states if k[1] in dropped]:
                del tables.card_states[key]
            return True

        self._staged.append(write)

    def save_media(self, deck_id: str, media: Sequence[MediaRef]) -> None:
        def write(tables: _Tables) -> bool:
            tables.deck_media[deck_id] = {ref.name: ref for ref in media}
            return True

        self._staged.append(write)

    async def media(self, deck_id: str) -> dict[str, MediaRef]:
        return dict(self._tables.deck_media.get(deck_id, {}))

    async def media_in_use(self) -> set[str]:
        lists = self._tables.deck_media.values()
        return {ref.content_id for refs in lists for ref in refs.values()}


def _info(deck_id: str, deck: _StoredDeck) -> DeckInfo:
    return DeckInfo(deck_id, deck.name, deck.description, len(deck.cards), deck.owner_chat_id)


class _CardStates(_Repository):
    async def get(self, learner_id: int, card_id: str) -> CardState | None:
        await _suspend()
        return self._tables.card_states.get((learner_id, card_id))

    def _mine(self, learner_id: int, deck_ids: Sequence[str]) -> list[CardState]:
        decks = set(deck_ids)
        return [
            s
            for s in self._tables.card_states.values()
            if s.learner_id == learner_id
            and s.deck_id in decks
            and not _suspended(self._tables, learner_id, s.card_id)
        ]

    async def due(
        self, learner_id: int, deck_ids: Sequence[str], now: datetime, limit: int
    ) -> list[CardState]:
        await _suspend()
        due = [s for s in self._mine(learner_id, deck_ids) if s.due_at <= now]
        return sorted(due, key=lambda s: (s.due_at, s.card_id))[:limit]

    async def unseen_card_ids(
        self, learner_id: int, deck_ids: Sequence[str], limit: int
    ) -> list[str]:
        tables = self._tables
        states = tables.card_states
        unseen = [
            card.id
            for deck_id in deck_ids
            if (deck := self._tables.decks.get(deck_id)) is not None
            for card in deck.cards
            if (learner_id, card.id) not in states and not _suspended(tables, learner_id, card.id)
        ]
        return unseen[:limit]

    async def count_due(self, queries: Sequence[CardCountQuery], now: datetime) -> list[int]:
        return [len(await self.due(q.learner_id, q.deck_ids, now, q.limit)) for q in queries]

    async def count_unseen(self, queries: Sequence[CardCountQuery]) -> list[int]:
        return [len(await self.unseen_card_ids(q.learner_id, q.deck_ids, q.limit)) for q in queries]

    async def next_due_at(
        self, learner_id: int, deck_ids: Sequence[str], after: datetime
    ) -> datetime | None:
        later = [s.due_at for s in self._mine(learner_id, deck_ids) if s.due_at > after]
        return min(later, default=None)

    def save(self, state: CardState) -> None:
        key = (state.learner_id, state.card_id)
        self._staged.append(lambda t: _versioned(t.card_states, key, state))


def _suspended(tables: _Tables, learner_id: int, card_id: str) -> bool:
    flags = tables.card_flags.get((learner_id, card_id))
    return flags is not None and flags[1] is not None


class _Reviews(_Repository):
    def append(self, record: ReviewRecord) -> None:
        def write(tables: _Tables) -> bool:
            key = _review_key(record)
            if any(_review_key(r) == key for r in tables.review_log):
                return False
            if record.import_key is not None and any(
                (r.learner_id, r.import_key) == (record.learner_id, record.import_key)
                for r in tables.review_log
            ):
                return False
            tables.review_log.append(record)
            return True

        self._staged.append(write)

    async def counts_on_day(self, learner_id: int, review_day: date) -> tuple[int, int]:
        await _suspend()
        day = [
            r
            for r in self._tables.review_log
            if r.learner_id == learner_id and r.review_day == review_day
        ]
        return len(day), sum(r.first_review for r in day)

    async def counts_on_days(
        self, learner_days: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], tuple[int, int]]:
        return {key: await self.counts_on_day(*key) for key in learner_days}

    async def new_cards_by_deck(self, learner_id: int, review_day: date) -> dict[str, int]:
        await _suspend()
        found: dict[str, int] = {}
        for r in self._tables.review_log:
            if r.learner_id == learner_id and r.review_day == review_day and r.first_review:
                found[r.deck_id] = found.get(r.deck_id, 0) + 1
        return found

    async def imported_keys(self, learner_id: int, import_keys: Sequence[str]) -> set[str]:
        await _suspend()
        wanted = set(import_keys)
        return {
            r.import_key
            for r in self._tables.review_log
            if r.learner_id == learner_id and r.import_key in wanted
        }


def _review_key(r: ReviewRecord) -> tuple[object, ...]:
    return (r.source, r.source_id, r.learner_id, r.card_id, r.step)


class _Sessions(_Repository):
    async def get(self, session_id: int) -> ReviewSession | None:
        await _suspend()
        return self._tables.sessions.get(session_id)

    async def active_for(self, learner_id: int, chat_id: int | None) -> list[ReviewSession]:
        active = [
            s
            for s in self._tables.sessions.values()
            if (s.learner_id, s.chat_id) == (learner_id, chat_id) and s.current_card_id is not None
        ]
        return sorted(active, key=lambda s: (s.updated_at, s.id))

    def save(self, session: ReviewSession) -> None:
        self._staged.append(lambda t: _versioned(t.sessions, session.id, session))


class _Quizzes(_Repository):
    async def get(self, quiz_id: int) -> GroupQuiz | None:
        await _suspend()
        return self._tables.quizzes.get(quiz_id)

    async def unfinished_in(self, chat_id: int) -> GroupQuiz | None:
        return next(
            (
                q
                for q in self._tables.quizzes.values()
                if q.chat_id == chat_id and q.phase is not QuizPhase.FINISHED
            ),
            None,
        )

    async def unfinished(self) -> list[GroupQuiz]:
        open_ = [q for q in self._tables.quizzes.values() if q.phase is not QuizPhase.FINISHED]
        return sorted(open_, key=lambda q: (q.started_at, q.id))

    async def ratings(self, quiz_id: int) -> list[QuizRating]:
        mine = [r for r in self._tables.quiz_ratings.values() if r.quiz_id == quiz_id]
        return sorted(mine, key=lambda r: (r.position, r.rated_at, r.learner_id))

    def save(self, quiz: GroupQuiz) -> None:
        def write(tables: _Tables) -> bool:
            if quiz.phase is not QuizPhase.FINISHED and any(
                q.chat_id == quiz.chat_id and q.id != quiz.id and q.phase is not QuizPhase.FINISHED
                for q in tables.quizzes.values()
            ):
                return False  # one unfinished quiz per chat
            return _versioned(tables.quizzes, quiz.id, quiz)

        self._staged.append(write)

    def set_message_ref(self, quiz_id: int, message_ref: str) -> None:
        def write(tables: _Tables) -> bool:
            if quiz_id in tables.quizzes:
                tables.quizzes[quiz_id] = replace(tables.quizzes[quiz_id], message_ref=message_ref)
            return True

        self._staged.append(write)

    def move_deadline(self, quiz_id: int, version: int, deadline_at: datetime) -> None:
        def write(tables: _Tables) -> bool:
            quiz = tables.quizzes.get(quiz_id)
            if quiz is not None and quiz.version == version:
                sooner = min(deadline_at, quiz.deadline_at or deadline_at)
                tables.quizzes[quiz_id] = replace(quiz, deadline_at=sooner)
            return True  # not versioned: a quiz that moved on keeps its own deadline

        self._staged.append(write)

    def save_rating(self, rating: QuizRating, quiz_version: int) -> None:
        def write(tables: _Tables) -> bool:
            quiz = tables.quizzes.get(rating.quiz_id)
            if quiz is None or quiz.version != quiz_version:
                return False
            tables.quiz_ratings[(rating.quiz_id, rating.position, rating.learner_id)] = rating
            return True

        self._staged.append(write)


class _Subscriptions(_Repository):
    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        due = [s for s in self._tables.subscriptions.values() if s.next_push_at <= now]
        return sorted(due, key=lambda s: (s.next_push_at, s.id))[:limit]

    async def claim_due(
        self, now: datetime, limit: int, claim: str, lease_until: datetime
    ) -> list[Subscription]:
        leases = self._tables.push_leases
        free = [
            s
            for s in await self.due(now, len(self._tables.subscriptions))
            if s.id not in leases or leases[s.id][1] <= now
        ]
        for subscription in free[:limit]:
            leases[subscription.id] = (claim, lease_until)
        return free[:limit]

    async def for_chat(self, chat_id: int, learner_id: int | None) -> Subscription | None:
        return next(
            (
                s
                for s in self._tables.subscriptions.values()
                if (s.chat_id, s.learner_id) == (chat_id, learner_id)
            ),
            None,
        )

    def save(self, subscription: Subscription) -> None:
        def write(tables: _Tables) -> bool:
            if any(
                (s.chat_id, s.learner_id) == (subscription.chat_id, subscription.learner_id)
                and s.id != subscription.id
                for s in tables.subscriptions.values()
            ):
                return False  # one push per learner and chat, one group push per chat
            saved = _versioned(tables.subscriptions, subscription.id, subscription)
            if saved:
                tables.push_leases.pop(subscription.id, None)
            return saved

        self._staged.append(write)

    def delete(self, subscription_id: int) -> None:
        def write(tables: _Tables) -> bool:
            tables.subscriptions.pop(subscription_id, None)
            tables.push_leases.pop(subscription_id, None)
            return True

        self._staged.append(write)


class _Stats:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _reviews(self, learner_id: int) -> list[ReviewRecord]:
        return [r for r in self._store.tables.review_log if r.learner_id == learner_id]

    async def review_total(self, learner_id: int) -> int:
        return len(self._reviews(learner_id))

    async def review_counts(self, learner_id: int, boundaries: Sequence[datetime]) -> list[int]:
        if any(lo >= hi for lo, hi in pairwise(boundaries)):
            raise ValueError("boundaries must increase strictly")
        times = [r.reviewed_at for r in self._reviews(learner_id)]
        return [sum(lo <= t < hi for t in times) for lo, hi in pairwise(boundaries)]

    async def rating_counts(self, learner_id: int, since: datetime) -> Mapping[int, int]:
        counts: dict[int, int] = {}
        for r in self._reviews(learner_id):
            if r.reviewed_at >= since:
                counts[int(r.rating)] = counts.get(int(r.rating), 0) + 1
        return counts

    async def state_counts(self, learner_id: int) -> list[StateCount]:
        groups: dict[tuple[str, int, bool], int] = {}
        for s in self._store.tables.card_states.values():
            if s.learner_id == learner_id:
                key = (s.deck_id, s.memory.interval_days, s.memory.reps == 0)
                groups[key] = groups.get(key, 0) + 1
        return [StateCount(d, i, f, n) for (d, i, f), n in groups.items()]

    async def due_by(self, learner_id: int, cutoffs: Sequence[datetime]) -> list[int]:
        tables = self._store.tables
        due = [
            s.due_at
            for s in tables.card_states.values()
            if s.learner_id == learner_id and not _suspended(tables, learner_id, s.card_id)
        ]
        return [sum(d <= cutoff for d in due) for cutoff in cutoffs]

    async def review_counts_in(
        self, chat_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[ChatReviewCount]:
        chats = set(chat_ids)
        totals: dict[int, tuple[int, int]] = {}
        for r in self._store.tables.review_log:
            if r.chat_id in chats and since <= r.reviewed_at < until:
                reviews, rating_sum = totals.get(r.learner_id, (0, 0))
                totals[r.learner_id] = (reviews + 1, rating_sum + int(r.rating))
        return [ChatReviewCount(i, n, s) for i, (n, s) in totals.items()]

    async def followed_ratings(self, learner_id: int, since: datetime) -> list[FollowedRating]:
        by_card: dict[str, list[ReviewRecord]] = {}
        for r in self._reviews(learner_id):  # logging order; the sort below is stable
            by_card.setdefault(r.card_id, []).append(r)
        pairs: list[FollowedRating] = []
        for reviews in by_card.values():
            reviews.sort(key=lambda r: r.reviewed_at)
            pairs.extend(
                FollowedRating(
                    int(r.rating),
                    r.review_day,
                    str(r.scheduler),
                    r.interval_days,
                    int(n.rating),
                    n.review_day,
                )
                for r, n in pairwise(reviews)
                if n.reviewed_at >= since
            )
        return pairs


class _HistoryOffers(_Repository):
    async def get(self, offer_id: int) -> HistoryOffer | None:
        await _suspend()
        return self._tables.history_offers.get(offer_id)

    def save(self, offer: HistoryOffer) -> None:
        def write(tables: _Tables) -> bool:
            if offer.id in tables.history_offers:
                return False
            tables.history_offers[offer.id] = offer
            return True

        self._staged.append(write)

    def delete(self, offer_id: int) -> None:
        self._staged.append(lambda t: t.history_offers.pop(offer_id, None) is not None)

    def delete_older_than(self, cutoff: datetime) -> None:
        def write(tables: _Tables) -> bool:
            for offer_id in [i for i, o in tables.history_offers.items() if o.created_at < cutoff]:
                del tables.history_offers[offer_id]
            return True

        self._staged.append(write)


class _Parameters(_Repository):
    async def get(self, learner_id: int) -> PersonalParameters | None:
        return self._tables.parameters.get(learner_id)

    async def due_for_refit(
        self, claimed_before: datetime, min_reviews: int, limit: int
    ) -> list[tuple[int, PersonalParameters | None]]:
        tables = self._tables
        counts: dict[int, int] = {}
        for record in tables.review_log:
            counts[record.learner_id] = counts.get(record.learner_id, 0) + 1
        due = [
            (learner_id, row)
            for learner_id, count in counts.items()
            if count >= min_reviews and learner_id in tables.learners
            for row in [tables.parameters.get(learner_id)]
            if row is None or (row.enabled and row.claimed_at < claimed_before)
        ]
        due.sort(key=lambda d: (d[1] is not None, d[1].claimed_at if d[1] else d[0], d[0]))
        return due[:limit]

    async def history(self, learner_id: int) -> list[LoggedReview]:
        mine = [r for r in self._tables.review_log if r.learner_id == learner_id]
        mine.sort(key=lambda r: r.reviewed_at)  # stable: ties stay in the order logged
        return [(r.card_id, r.review_day, r.rating) for r in mine]

    async def fsrs_states(self, learner_id: int) -> list[CardState]:
        states = self._tables.card_states.values()
        return sorted(
            (
                s
                for s in states
                if s.learner_id == learner_id and s.memory.kind is SchedulerKind.FSRS
            ),
            key=lambda s: s.card_id,
        )

    def save(self, row: PersonalParameters, previous_claimed_at: datetime | None) -> None:
        def write(tables: _Tables) -> bool:
            current = tables.parameters.get(row.learner_id)
            if previous_claimed_at is None:
                if current is not None:
                    return False
            elif current is None or current.claimed_at != previous_claimed_at:
                return False
            tables.parameters[row.learner_id] = row
            return True

        self._staged.append(write)


class _CardFlags(_Repository):
    async def hint(self, learner_id: int, card_id: str) -> str | None:
        return self._tables.card_flags.get((learner_id, card_id), (None, None))[0]

    async def lapses(
        self, learner_ids: Sequence[int], card_ids: Sequence[str], at_least: int
    ) -> dict[tuple[int, str], int]:
        learners, cards = set(learner_ids), set(card_ids)
        return {
            (state.learner_id, state.card_id): state.memory.lapses
            for state in self._tables.card_states.values()
            if state.learner_id in learners
            and state.card_id in cards
            and state.memory.lapses >= at_least
        }

    async def leech_count(self, learner_id: int, threshold: int) -> int:
        tables = self._tables
        return sum(
            1
            for state in tables.card_states.values()
            if state.learner_id == learner_id
            and state.memory.lapses >= threshold
            and not _suspended(tables, learner_id, state.card_id)
        )

    async def suspended(self, learner_id: int) -> list[SuspendedCard]:
        tables = self._tables
        questions = {c.id: c.question for d in tables.decks.values() for c in d.cards}
        cards = [
            SuspendedCard(card_id, questions[card_id], at)
            for (learner, card_id), (_, at) in tables.card_flags.items()
            if learner == learner_id and at is not None and card_id in questions
        ]
        cards.sort(key=lambda c: c.card_id)
        cards.sort(key=lambda c: c.suspended_at, reverse=True)
        return cards

    async def suspended_count(self, learner_id: int) -> int:
        return len(await self.suspended(learner_id))

    async def reviewed_card(self, learner_id: int, session_id: int, step: int) -> str | None:
        return next(
            (
                r.card_id
                for r in self._tables.review_log
                if (r.source.value, r.source_id, r.learner_id, r.step)
                == ("review", session_id, learner_id, step)
            ),
            None,
        )

    async def prompt(self, learner_id: int) -> HintPrompt | None:
        return self._tables.hint_prompts.get(learner_id)

    def _flag(self, learner_id: int, card_id: str, hint: object, suspended_at: object) -> None:
        """Change the hint and/or the suspension (`_KEEP`: leave as it is)."""

        def write(tables: _Tables) -> bool:
            old_hint, old_at = tables.card_flags.get((learner_id, card_id), (None, None))
            new_hint = old_hint if hint is _KEEP else hint
            new_at = old_at if suspended_at is _KEEP else suspended_at
            assert new_hint is None or isinstance(new_hint, str)
            assert new_at is None or isinstance(new_at, datetime)
            tables.card_flags[(learner_id, card_id)] = (new_hint, new_at)
            return True

        self._staged.append(write)

    def set_hint(self, learner_id: int, card_id: str, hint: str | None) -> None:
        self._flag(learner_id, card_id, hint, _KEEP)

    def suspend(self, learner_id: int, card_id: str, at: datetime) -> None:
        self._flag(learner_id, card_id, _KEEP, at)

    def restore(self, learner_id: int, card_id: str) -> None:
        def write(tables: _Tables) -> bool:
            # As SQL's UPDATE: no row, nothing to change (and no conflict).
            if (learner_id, card_id) in tables.card_flags:
                hint, _ = tables.card_flags[(learner_id, card_id)]
                tables.card_flags[(learner_id, card_id)] = (hint, None)
            return True

        self._staged.append(write)

    def open_prompt(self, prompt: HintPrompt) -> None:
        def write(tables: _Tables) -> bool:
            tables.hint_prompts[prompt.learner_id] = prompt
            return True

        self._staged.append(write)

    def close_prompt(self, learner_id: int) -> None:
        def write(tables: _Tables) -> bool:
            tables.hint_prompts.pop(learner_id, None)
            return True

        self._staged.append(write)


_KEEP = object()


class _ExamPlans(_Repository):
    async def of_learner(self, learner_id: int) -> list[ExamPlan]:
        plans = [p for (learner, _), p in self._tables.exam_plans.items() if learner == learner_id]
        return sorted(plans, key=lambda p: (p.exam_day, p.deck_id))

    async def of_learners(self, learner_ids: Sequence[int]) -> dict[int, list[ExamPlan]]:
        plans = {learner_id: await self.of_learner(learner_id) for learner_id in learner_ids}
        return {learner_id: found for learner_id, found in plans.items() if found}

    def save(self, plan: ExamPlan) -> None:
        def write(tables: _Tables) -> bool:
            tables.exam_plans[(plan.learner_id, plan.deck_id)] = plan
            return True

        self._staged.append(write)

    def end(self, learner_id: int) -> None:
        def write(tables: _Tables) -> bool:
            for key in [k for k in tables.exam_plans if k[0] == learner_id]:
                del tables.exam_plans[key]
            return True

        self._staged.append(write)


class _UploadedFiles(_Repository):
    async def file_ids(self, bot: str, content_keys: Sequence[str]) -> dict[str, str]:
        await _suspend()
        kept = self._tables.uploaded_files
        return {key: kept[(bot, key)] for key in content_keys if (bot, key) in kept}

    def save(self, bot: str, content_key: str, file_id: str) -> None:
        def write(tables: _Tables) -> bool:
            tables.uploaded_files[(bot, content_key)] = file_id
            return True

        self._staged.append(write)
