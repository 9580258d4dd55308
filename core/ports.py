"""What the core needs from the world, as protocols; adapters implement them.

Storage is a unit of work with repositories. Reads are awaited and see committed data. Writes are
*staged* (plain method calls) and applied atomically by `commit()`: all of them or none. Every
versioned save is an optimistic-concurrency check (`UPDATE … WHERE id = ? AND version = ?`); when
one fails, or a unique key is hit, `commit()` raises `ConcurrencyConflict` and writes nothing.
Staging lets a backend group the commits of many concurrent units into one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self, TypeVar

from core.card_state import CardCountQuery, CardState, ReviewRecord
from core.decks.history_offers import HistoryOfferRepository
from core.decks.media import MediaRef, PrunedMedia
from core.decks.model import Card, Deck
from core.learners import Chat, Learner, LearnerSettings
from core.leeches.repository import CardFlagRepository
from core.personal.repository import ParametersRepository
from core.planning.repository import ExamPlanRepository
from core.quiz.model import GroupQuiz, QuizRating
from core.reminders.model import Subscription
from core.review.session import ReviewSession
from core.stats.repository import StatsRepository

__all__ = [
    "CardFlagRepository",
    "CardStateRepository",
    "ChatRepository",
    "Clock",
    "Deadlines",
    "DeckInfo",
    "DeckRepository",
    "ExamPlanRepository",
    "HistoryOfferRepository",
    "LearnerRepository",
    "MediaStore",
    "ParametersRepository",
    "QuizRepository",
    "Randomness",
    "ReviewLogRepository",
    "ReviewSessionRepository",
    "StatsRepository",
    "Store",
    "SubscriptionRepository",
    "UnitOfWork",
    "UploadedFileRepository",
]

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class Randomness(Protocol):
    def random(self) -> float:
        """A float in [0, 1)."""
        ...

    def new_id(self) -> int:
        """A fresh positive id below 2**53 (fits JSON numbers and SQL BIGINT); hard to guess."""
        ...

    def shuffle(self, items: list[T]) -> None: ...


class Deadlines(Protocol):
    """One-shot timers (quiz deadlines), armed by name; arming a name again replaces it.

    Not persistent: what a timer is for lives in the store and is re-armed from it at start-up.
    """

    def at(self, name: str, when: datetime, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` once at `when` (a time of the injected clock)."""
        ...

    def cancel(self, name: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """A deck without its cards. `owner_chat_id` None = bundled, visible in every chat."""

    id: str
    name: str
    description: str
    card_count: int
    owner_chat_id: int | None


class LearnerRepository(Protocol):
    async def ensure(self, platform: str, platform_user_id: str, display_name: str) -> Learner:
        """Find or create the learner (written at once, idempotent); refreshes the display name."""
        ...

    async def get(self, learner_id: int) -> Learner | None: ...

    async def get_many(self, learner_ids: Sequence[int]) -> dict[int, Learner]: ...

    def save_settings(self, learner_id: int, settings: LearnerSettings) -> None:
        """Save the settings; `settings.scheduler.parameters` are not: see `parameters`."""
        ...


class ChatRepository(Protocol):
    async def ensure(
        self,
        platform: str,
        platform_chat_id: str,
        title: str,
        is_group: bool,
        community: str | None = None,
    ) -> Chat:
        """Find or create the chat (written at once, idempotent); title and community follow
        the platform's."""
        ...

    async def get(self, chat_id: int) -> Chat | None: ...

    async def get_many(self, chat_ids: Sequence[int]) -> dict[int, Chat]:
        """The chats found among `chat_ids`, by id (one read for a claim batch's pushes)."""
        ...

    async def in_community(self, platform: str, community: str) -> list[int]:
        """The ids of the platform's chats in the community (a Discord server's channels)."""
        ...

    def set_active_deck(self, chat_id: int, deck_id: str | None) -> None: ...


class DeckRepository(Protocol):
    async def get(self, deck_id: str) -> DeckInfo | None: ...

    async def visible_in(self, chat_id: int | None) -> list[DeckInfo]:
        """Bundled decks plus those owned by the chat, by name."""
        ...

    async def visible_ids_in(self, chat_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """For each of `chat_ids`, the ids of the decks `visible_in` lists there, in its order."""
        ...

    async def names_of(self, deck_ids: Sequence[str]) -> dict[str, str]:
        """The names of the decks found among `deck_ids`, by id (one read for a claim batch)."""
        ...

    async def cards(self, deck_id: str) -> tuple[Card, ...]:
        """The deck's cards in deck order."""
        ...

    async def cards_by_id(self, card_ids: Sequence[str]) -> dict[str, Card]: ...

    async def content_hash(self, deck_id: str) -> str | None:
        """`deck_content_hash` of the deck as last saved; None if absent or saved before hashes."""
        ...

    def save(self, deck: Deck, owner_chat_id: int | None) -> None:
        """Insert or replace the deck; cards keep their ids (and so learners' progress)."""
        ...

    def save_media(self, deck_id: str, media: Sequence[MediaRef]) -> None:
        """Replace the deck's media list (after `save` of the deck in the same unit of work)."""
        ...

    async def media(self, deck_id: str) -> dict[str, MediaRef]:
        """The deck's media files by the names its cards' markers use."""
        ...

    async def media_in_use(self) -> set[str]:
        """The content ids some deck's media list names: the files the media store must keep."""
        ...


class MediaStore(Protocol):
    """The bytes of media files, content-addressed: equal files are kept once, and a file no
    deck names is only disk used, so the store may be written before the deck's transaction."""

    def put(self, data: bytes) -> str:
        """Keep `data` (if not kept already; either way it counts as written now) and return its
        content id."""
        ...

    def get(self, content_id: str) -> bytes | None: ...

    def exists(self, content_id: str) -> bool: ...

    def location(self, content_id: str) -> str:
        """Where the file is, for a person to open (a path, later a URL)."""
        ...

    def prune(self, keep: Collection[str], written_before: datetime) -> PrunedMedia:
        """Delete the files not in `keep` last written (or `put` again) before `written_before`.
        Safe beside a concurrent `put`: a file put again before it goes is kept, and one put
        once it went is written anew."""
        ...


class CardStateRepository(Protocol):
    async def get(self, learner_id: int, card_id: str) -> CardState | None: ...

    async def due(
        self, learner_id: int, deck_ids: Sequence[str], now: datetime, limit: int
    ) -> list[CardState]:
        """States due at `now`, most overdue first; cards the learner suspended are left out."""
        ...

    async def unseen_card_ids(
        self, learner_id: int, deck_ids: Sequence[str], limit: int
    ) -> list[str]:
        """Cards the learner has no state for yet and has not suspended, in deck order."""
        ...

    async def count_due(self, queries: Sequence[CardCountQuery], now: datetime) -> list[int]:
        """For each query, in order: how many cards `due` would give (up to its limit)."""
        ...

    async def count_unseen(self, queries: Sequence[CardCountQuery]) -> list[int]:
        """For each query, in order: how many ids `unseen_card_ids` would give (up to its
        limit)."""
        ...

    async def next_due_at(
        self, learner_id: int, deck_ids: Sequence[str], after: datetime
    ) -> datetime | None:
        """The earliest due time strictly after `after` of a card not suspended, if any."""
        ...

    def save(self, state: CardState) -> None:
        """Insert when `state.version == 1`, else update the row at `state.version - 1`."""
        ...


class ReviewLogRepository(Protocol):
    def append(self, record: ReviewRecord) -> None:
        """Stage one review; a second one with the same idempotency key is a conflict."""
        ...

    async def imported_keys(self, learner_id: int, import_keys: Sequence[str]) -> set[str]:
        """Which of these `import_key`s the learner's log already holds."""
        ...

    async def counts_on_day(self, learner_id: int, review_day: date) -> tuple[int, int]:
        """(reviews, first reviews of new cards) on one learner day: the daily limits."""
        ...

    async def counts_on_days(
        self, learner_days: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], tuple[int, int]]:
        """`counts_on_day` for many (learner, learner day) pairs at once, each pair asked
        answered ((0, 0) for a day without reviews)."""
        ...

    async def new_cards_by_deck(self, learner_id: int, review_day: date) -> dict[str, int]:
        """First reviews of new cards on one learner day, by deck (decks with none left out):
        the exam plans' limits of single decks."""
        ...


class ReviewSessionRepository(Protocol):
    async def get(self, session_id: int) -> ReviewSession | None: ...

    async def active_for(self, learner_id: int, chat_id: int | None) -> list[ReviewSession]:
        """The learner's sessions in that chat that still show a card (normally one at most)."""
        ...

    def save(self, session: ReviewSession) -> None:
        """Insert when `session.version == 1`, else update the row at `session.version - 1`."""
        ...


class QuizRepository(Protocol):
    async def get(self, quiz_id: int) -> GroupQuiz | None: ...

    async def unfinished_in(self, chat_id: int) -> GroupQuiz | None: ...

    async def unfinished(self) -> list[GroupQuiz]:
        """Every unfinished quiz, for recovery at start-up."""
        ...

    async def ratings(self, quiz_id: int) -> list[QuizRating]: ...

    def save(self, quiz: GroupQuiz) -> None:
        """Insert when `quiz.version == 1`, else update the row at `quiz.version - 1`.

        At most one unfinished quiz per chat: a second insert is a conflict.
        """
        ...

    def set_message_ref(self, quiz_id: int, message_ref: str) -> None:
        """Remember the adapter's handle of the quiz message (not versioned: buttons stay valid)."""
        ...

    def save_rating(self, rating: QuizRating, quiz_version: int) -> None:
        """Insert or replace the member's rating of that card; a conflict unless the quiz is
        still at `quiz_version` (the card closed meanwhile)."""
        ...

    def move_deadline(self, quiz_id: int, version: int, deadline_at: datetime) -> None:
        """Bring the quiz's deadline forward to `deadline_at` (never later) while it is still at
        `version`; not versioned, so the card's buttons stay valid. Nothing if it moved on."""
        ...


class SubscriptionRepository(Protocol):
    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """Subscriptions whose `next_push_at` is at or before `now`, oldest first."""
        ...

    async def claim_due(
        self, now: datetime, limit: int, claim: str, lease_until: datetime
    ) -> list[Subscription]:
        """Lease up to `limit` subscriptions due at `now` (oldest first) whose lease is free or
        ran out, under the token `claim` (unique to this claim) until `lease_until`; written at
        once, atomically, so two workers never lease the same one. The ones leased."""
        ...

    async def for_chat(self, chat_id: int, learner_id: int | None) -> Subscription | None: ...

    def save(self, subscription: Subscription) -> None:
        """Insert when version == 1, else update the row at version - 1 and end its lease (the
        push went out or was skipped: it moves to its next day)."""
        ...

    def delete(self, subscription_id: int) -> None: ...


class UploadedFileRepository(Protocol):
    """The ids a chat platform gave the files a bot uploaded (Telegram's file_id), so a file goes
    up once per bot, not once per process or worker. An id is valid only for the bot that
    uploaded it: each is kept under the bot (`telegram:123456789`) and the file's content key
    (its media store content id, or a drawn formula's SHA-256)."""

    async def file_ids(self, bot: str, content_keys: Sequence[str]) -> dict[str, str]:
        """The ids kept for those of `content_keys` the bot uploaded, by content key."""
        ...

    def save(self, bot: str, content_key: str, file_id: str) -> None:
        """Keep `file_id` for the file, replacing the one kept before (refused by the platform,
        or two workers uploading it at once)."""
        ...


class UnitOfWork(Protocol):
    learners: LearnerRepository
    chats: ChatRepository
    decks: DeckRepository
    card_states: CardStateRepository
    reviews: ReviewLogRepository
    sessions: ReviewSessionRepository
    quizzes: QuizRepository
    subscriptions: SubscriptionRepository
    stats: StatsRepository
    parameters: ParametersRepository
    card_flags: CardFlagRepository
    history_offers: HistoryOfferRepository
    exam_plans: ExamPlanRepository
    uploaded_files: UploadedFileRepository

    async def commit(self) -> None:
        """Apply every staged write atomically; raise ConcurrencyConflict and write nothing on a
        failed version check or unique key."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Discard whatever was staged and not committed."""
        ...


class Store(Protocol):
    def unit_of_work(self) -> UnitOfWork: ...

    async def close(self) -> None: ...
