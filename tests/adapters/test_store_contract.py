"""The storage port's contract, run against every store: SQLite on a file, PostgreSQL (skipped
where no server answers), and the in-memory fake.

What the services rely on: reads see committed data only, a commit writes all its staged writes
or none, versioned saves and unique keys conflict, and each query's filter and order. The fake in
tests/memory_store.py passes the same tests, so a service test on it cannot drift from SQLite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta

import pytest

from core.card_state import ReviewRecord, ReviewSource
from core.decks.content_hash import deck_content_hash
from core.decks.history_offers import HistoryOffer
from core.decks.media import MediaRef
from core.errors import ConcurrencyConflict
from core.learners import LearnerSettings
from core.leeches.model import HintPrompt
from core.planning.model import ExamPlan
from core.ports import DeckInfo, Store
from core.quiz.model import QuizPhase
from core.scheduling.model import Rating, SchedulerKind
from core.stats.repository import ChatReviewCount, FollowedRating, StateCount
from tests.adapters import samples
from tests.adapters.conftest import World
from tests.adapters.samples import DAY0, T0

DAY = timedelta(days=1)


@pytest.fixture
def store(each_store: Store) -> Store:
    return each_store


async def test_ensure_is_idempotent_and_follows_the_platform(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        ann = await uow.learners.ensure("telegram", "100", "Ann B.")
        chat = await uow.chats.ensure("telegram", "-5", "Renamed", True, "server")
        other = await uow.chats.ensure("discord", "9", "Elsewhere", True, "server")
        same = await uow.chats.ensure("discord", "10", "Same server", True, "server")
        many = await uow.learners.get_many([world.bob, world.ann, world.bob, 999])
        assert await uow.learners.get(999) is None and await uow.chats.get(999) is None
        community = await uow.chats.in_community("discord", "server")
    assert (ann.id, ann.display_name, ann.settings) == (world.ann, "Ann B.", LearnerSettings())
    assert (chat.id, chat.title, chat.community, chat.is_group) == (
        world.group,
        "Renamed",
        "server",
        True,
    )
    assert set(many) == {world.ann, world.bob} and many[world.bob].display_name == "Bob"
    assert community == sorted([other.id, same.id])


async def test_settings_and_active_deck_are_staged_until_commit(store: Store, world: World) -> None:
    settings = replace(
        LearnerSettings(), time_zone="Europe/Berlin", new_cards_per_day=3, leech_threshold=9
    )
    async with store.unit_of_work() as uow:
        uow.learners.save_settings(world.ann, settings)
        uow.chats.set_active_deck(world.group, "geo")
        learner, chat = await uow.learners.get(world.ann), await uow.chats.get(world.group)
        assert learner is not None and learner.settings == LearnerSettings()
        assert chat is not None and chat.active_deck_id is None
        await uow.commit()
        learner, chat = await uow.learners.get(world.ann), await uow.chats.get(world.group)
    assert learner is not None and learner.settings == settings
    assert chat is not None and chat.active_deck_id == "geo"


async def test_decks_visible_in_chats_and_cards_by_id(store: Store, world: World) -> None:
    owned = samples.deck("mine", "x", "y", name="Alpha")
    async with store.unit_of_work() as uow:
        uow.decks.save(owned, world.group)
        await uow.commit()
        info = await uow.decks.get("mine")
        everywhere = await uow.decks.visible_in(None)
        in_group = await uow.decks.visible_in(world.group)
        in_private = await uow.decks.visible_in(world.private)
        cards = await uow.decks.cards("geo")
        by_id = await uow.decks.cards_by_id(["geo:c", "mine:x", "nope", "geo:c"])
        assert await uow.decks.get("nope") is None and await uow.decks.cards("nope") == ()
    assert info == DeckInfo("mine", "Alpha", "About Alpha", 2, world.group)
    assert [d.id for d in everywhere] == ["geo"]
    assert [d.id for d in in_group] == ["mine", "geo"]  # by name: Alpha, Geography
    assert [d.id for d in in_private] == ["geo"]  # another chat's deck is not seen
    assert cards == samples.deck().cards
    assert by_id == {"geo:c": samples.deck().cards[2], "mine:x": owned.cards[0]}


async def test_a_re_saved_deck_keeps_kept_cards_progress(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, "geo:a"))
        uow.card_states.save(samples.card_state(world.ann, "geo:b"))
        await uow.commit()
        uow.decks.save(samples.deck("geo", "b", "d"), None)
        await uow.commit()
        cards = await uow.decks.cards("geo")
        kept = await uow.card_states.get(world.ann, "geo:b")
        dropped = await uow.card_states.get(world.ann, "geo:a")
        gone = await uow.decks.cards_by_id(["geo:a"])
    assert [c.id for c in cards] == ["geo:b", "geo:d"]
    assert kept is not None and dropped is None and gone == {}


async def test_a_saved_deck_keeps_its_content_hash(store: Store, world: World) -> None:
    changed = samples.deck("geo", "b", "d")
    async with store.unit_of_work() as uow:
        before = await uow.decks.content_hash("geo")
        uow.decks.save(changed, None)
        staged = await uow.decks.content_hash("geo")
        await uow.commit()
        after = await uow.decks.content_hash("geo")
        assert await uow.decks.content_hash("nope") is None
    assert before == deck_content_hash(samples.deck()) and staged == before
    assert after == deck_content_hash(changed) != before


async def test_a_decks_media_list_is_staged_with_it_and_replaced_whole(
    store: Store, world: World
) -> None:
    heart = MediaRef("heart.png", "ab" * 32, "image/png")
    lub = MediaRef("lub.wav", "cd" * 32, "audio/wav")
    async with store.unit_of_work() as uow:
        uow.decks.save_media("geo", [heart, lub])
        assert await uow.decks.media("geo") == {}  # staged only
        await uow.commit()
        assert await uow.decks.media("geo") == {"heart.png": heart, "lub.wav": lub}
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck(), None)
        uow.decks.save_media("geo", [lub])
        await uow.commit()
        assert await uow.decks.media("geo") == {"lub.wav": lub}
        assert await uow.decks.media("nope") == {}


async def test_the_media_in_use_is_what_any_decks_list_names(store: Store, world: World) -> None:
    heart = MediaRef("heart.png", "ab" * 32, "image/png")
    lub = MediaRef("lub.wav", "cd" * 32, "audio/wav")
    async with store.unit_of_work() as uow:
        assert await uow.decks.media_in_use() == set()
        uow.decks.save(samples.deck("mine", "x", name="Mine"), world.group)
        uow.decks.save_media("geo", [heart, lub])
        uow.decks.save_media("mine", [replace(heart, name="same-bytes.png")])
        assert await uow.decks.media_in_use() == set()  # staged only
        await uow.commit()
        assert await uow.decks.media_in_use() == {heart.content_id, lub.content_id}
        uow.decks.save_media("geo", [])
        await uow.commit()
        assert await uow.decks.media_in_use() == {heart.content_id}  # "mine" still names it
        uow.decks.save_media("mine", [])
        await uow.commit()
        assert await uow.decks.media_in_use() == set()


async def test_uploaded_file_ids_are_kept_per_bot_and_replaced(store: Store) -> None:
    async with store.unit_of_work() as uow:
        uow.uploaded_files.save("telegram:1", "heart", "AgAD-one")
        uow.uploaded_files.save("telegram:1", "lub", "CQAD-lub")
        uow.uploaded_files.save("telegram:2", "heart", "AgAD-other-bot")
        assert await uow.uploaded_files.file_ids("telegram:1", ["heart"]) == {}  # staged only
        await uow.commit()
        one = await uow.uploaded_files.file_ids("telegram:1", ["heart", "lub", "nope", "heart"])
        two = await uow.uploaded_files.file_ids("telegram:2", ["heart", "lub"])
        assert await uow.uploaded_files.file_ids("telegram:1", []) == {}
        assert await uow.uploaded_files.file_ids("telegram:3", ["heart"]) == {}
    assert one == {"heart": "AgAD-one", "lub": "CQAD-lub"}
    assert two == {"heart": "AgAD-other-bot"}
    async with store.unit_of_work() as uow:  # refused by Telegram: uploaded again, id replaced
        uow.uploaded_files.save("telegram:1", "heart", "AgAD-two")
        await uow.commit()
        again = await uow.uploaded_files.file_ids("telegram:1", ["heart"])
    assert again == {"heart": "AgAD-two"}


async def test_card_state_queries(store: Store, world: World) -> None:
    sm2 = samples.card_state(
        world.ann, "geo:b", memory=samples.sm2_memory(), due_at=T0 - timedelta(days=1)
    )
    fsrs = samples.card_state(world.ann, "geo:a", due_at=T0)
    later = samples.card_state(world.ann, "geo:c", due_at=T0 + timedelta(hours=1))
    bobs = samples.card_state(world.bob, "geo:a", due_at=T0 - timedelta(days=9))
    async with store.unit_of_work() as uow:
        uow.decks.save(samples.deck("bio", "p", "q"), None)
        for state in (fsrs, sm2, later, bobs):
            uow.card_states.save(state)
        await uow.commit()
        got = await uow.card_states.get(world.ann, "geo:b")
        due = await uow.card_states.due(world.ann, ["geo"], T0, 10)
        limited = await uow.card_states.due(world.ann, ["geo"], T0, 1)
        other_deck = await uow.card_states.due(world.ann, ["bio"], T0, 10)
        next_due = await uow.card_states.next_due_at(world.ann, ["geo"], T0)
        none_later = await uow.card_states.next_due_at(world.ann, ["geo"], later.due_at)
        from_yesterday = await uow.card_states.next_due_at(world.ann, ["geo"], sm2.due_at - DAY)
        no_decks = await uow.card_states.next_due_at(world.ann, [], sm2.due_at - DAY)
        assert await uow.card_states.get(world.ann, "geo:x") is None
        unseen = await uow.card_states.unseen_card_ids(world.bob, ["bio", "geo"], 10)
        first_two = await uow.card_states.unseen_card_ids(world.ann, ["geo", "bio"], 2)
    assert got == sm2 and got.due_at.tzinfo is UTC
    assert due == [sm2, fsrs] and limited == [sm2] and other_deck == []
    assert next_due == later.due_at and next_due.tzinfo is UTC and none_later is None  # after
    assert from_yesterday == sm2.due_at and no_decks is None
    assert unseen == ["bio:p", "bio:q", "geo:b", "geo:c"]  # deck order as asked, then card order
    assert first_two == ["bio:p", "bio:q"]


async def test_review_log_counts_the_learner_day(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, first_review=True))
        uow.reviews.append(samples.review(world.ann, step=1))
        uow.reviews.append(samples.review(world.ann, step=2, day=DAY0 + timedelta(days=1)))
        uow.reviews.append(samples.review(world.bob, step=0, first_review=True))
        await uow.commit()
        assert await uow.reviews.counts_on_day(world.ann, DAY0) == (2, 1)
        assert await uow.reviews.counts_on_day(world.ann, DAY0 + timedelta(days=1)) == (1, 0)
        assert await uow.reviews.counts_on_day(world.ann, DAY0 - timedelta(days=1)) == (0, 0)


async def test_review_log_counts_a_days_new_cards_by_deck(store: Store, world: World) -> None:
    def bio(step: int, first_review: bool) -> ReviewRecord:
        record = samples.review(world.ann, "bio:p", step=step, first_review=first_review)
        return replace(record, deck_id="bio")

    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, first_review=True))
        uow.reviews.append(samples.review(world.ann, "geo:b", step=1, first_review=True))
        uow.reviews.append(samples.review(world.ann, step=2))  # a review, not a new card
        uow.reviews.append(bio(3, True))
        uow.reviews.append(bio(4, False))
        uow.reviews.append(
            samples.review(
                world.ann, "geo:c", step=5, first_review=True, day=DAY0 + timedelta(days=1)
            )
        )
        uow.reviews.append(samples.review(world.bob, step=0, first_review=True))
        await uow.commit()
        today = await uow.reviews.new_cards_by_deck(world.ann, DAY0)
        tomorrow = await uow.reviews.new_cards_by_deck(world.ann, DAY0 + timedelta(days=1))
        before = await uow.reviews.new_cards_by_deck(world.ann, DAY0 - timedelta(days=1))
    assert today == {"geo": 2, "bio": 1} and tomorrow == {"geo": 1} and before == {}


async def test_an_imported_review_is_kept_once_per_learner_by_its_import_key(
    store: Store, world: World
) -> None:
    def imported(learner_id: int, key: str, card_id: str = "geo:a") -> ReviewRecord:
        return replace(
            samples.review(learner_id, card_id, source_id=1796222033011),
            source=ReviewSource.ANKI,
            import_key=key,
        )

    async with store.unit_of_work() as uow:
        uow.reviews.append(imported(world.ann, "anki:1:a"))
        uow.reviews.append(imported(world.ann, "anki:2:a", "geo:b"))
        uow.reviews.append(imported(world.bob, "anki:1:a"))  # another learner's: theirs
        uow.reviews.append(samples.review(world.ann, step=5))  # the bot's own: no key
        uow.reviews.append(samples.review(world.ann, step=6))
        await uow.commit()
        found = await uow.reviews.imported_keys(world.ann, ["anki:1:a", "anki:3:a", "anki:2:a"])
        assert found == {"anki:1:a", "anki:2:a"}
        assert await uow.reviews.imported_keys(world.bob, ["anki:2:a"]) == set()
        assert await uow.reviews.imported_keys(world.ann, []) == set()
    async with store.unit_of_work() as uow:
        # The same Anki review into another deck's card: the key alone refuses it.
        uow.reviews.append(imported(world.ann, "anki:1:a", "bio:p"))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.reviews.counts_on_day(world.ann, DAY0) == (4, 0)


async def test_history_offers_are_kept_taken_once_and_dropped_when_old(
    store: Store, world: World
) -> None:
    def offer(offer_id: int, minutes: int) -> HistoryOffer:
        made = T0 + timedelta(minutes=minutes)
        return HistoryOffer(offer_id, world.ann, "geo", "Geo", "geo.apkg", b"PK\x03\x04\x00", made)

    async with store.unit_of_work() as uow:
        uow.history_offers.save(offer(1, 0))
        uow.history_offers.save(offer(2, 30))
        await uow.commit()
        assert await uow.history_offers.get(1) == offer(1, 0)
        assert await uow.history_offers.get(3) is None
        uow.history_offers.delete_older_than(T0 + timedelta(minutes=10))
        await uow.commit()
        assert await uow.history_offers.get(1) is None
        assert await uow.history_offers.get(2) == offer(2, 30)
        uow.history_offers.save(offer(2, 40))  # ids are fresh: a repeat is a conflict
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        uow.history_offers.delete(2)
        await uow.commit()
        uow.history_offers.delete(2)  # taken already: the second taker conflicts
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        assert await uow.history_offers.get(2) is None


async def test_sessions_active_for_a_learner_in_a_chat(store: Store, world: World) -> None:
    first = samples.session(11, world.ann, world.group)
    second = samples.session(12, world.ann, world.group, updated_at=T0 + timedelta(seconds=1))
    private = samples.session(13, world.ann, None)
    async with store.unit_of_work() as uow:
        for s in (second, first, private, samples.session(14, world.bob, world.group)):
            uow.sessions.save(s)
        await uow.commit()
        uow.sessions.save(replace(second, current_card_id=None, version=2))
        await uow.commit()
        in_group = await uow.sessions.active_for(world.ann, world.group)
        in_private = await uow.sessions.active_for(world.ann, None)
        got = await uow.sessions.get(12)
    assert in_group == [first] and in_private == [private]
    assert got is not None and got.version == 2 and got.current_card_id is None


async def test_quizzes_and_their_ratings(store: Store, world: World) -> None:
    quiz = samples.quiz(21, world.group, world.ann)
    async with store.unit_of_work() as uow:
        uow.quizzes.save(quiz)
        await uow.commit()
        uow.quizzes.set_message_ref(21, "msg-1")
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.GOOD), 1)
        uow.quizzes.save_rating(samples.quiz_rating(21, world.ann, Rating.POOR), 1)
        await uow.commit()
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.PERFECTLY), 1)
        await uow.commit()
        ratings = await uow.quizzes.ratings(21)
        got = await uow.quizzes.get(21)
        assert await uow.quizzes.unfinished_in(world.group) == got
        assert await uow.quizzes.unfinished() == [got]
        uow.quizzes.save(replace(quiz, phase=QuizPhase.FINISHED, version=2))
        await uow.commit()
        assert await uow.quizzes.unfinished_in(world.group) is None
        assert await uow.quizzes.unfinished() == []
    assert got is not None and got.message_ref == "msg-1"
    assert sorted((r.learner_id, r.rating) for r in ratings) == sorted(
        [(world.bob, Rating.PERFECTLY), (world.ann, Rating.POOR)]
    )


async def test_a_quiz_deadline_only_moves_forward_and_only_at_its_version(
    store: Store, world: World
) -> None:
    quiz = samples.quiz(21, world.group, world.ann)  # deadline T0 + 30 s, version 1
    async with store.unit_of_work() as uow:
        uow.quizzes.save(quiz)
        await uow.commit()
        uow.quizzes.move_deadline(21, 1, T0 + timedelta(seconds=3))
        uow.quizzes.move_deadline(21, 1, T0 + timedelta(seconds=9))  # later: ignored
        await uow.commit()
        moved = await uow.quizzes.get(21)
        uow.quizzes.move_deadline(21, 7, T0)  # an older card's press: nothing, no conflict
        await uow.commit()
        kept = await uow.quizzes.get(21)
    assert moved is not None and moved.deadline_at == T0 + timedelta(seconds=3)
    assert moved.version == 1  # the card's buttons stay valid
    assert kept == moved


async def test_subscriptions_due_and_per_chat(store: Store, world: World) -> None:
    group = samples.subscription(31, world.group, None, next_push_at=T0)
    ann = samples.subscription(32, world.private, world.ann, next_push_at=T0 - timedelta(hours=1))
    later = samples.subscription(33, world.group, world.bob, next_push_at=T0 + timedelta(hours=1))
    async with store.unit_of_work() as uow:
        for s in (group, ann, later):
            uow.subscriptions.save(s)
        await uow.commit()
        assert await uow.subscriptions.due(T0, 10) == [ann, group]
        assert await uow.subscriptions.due(T0, 1) == [ann]
        assert await uow.subscriptions.for_chat(world.group, None) == group
        assert await uow.subscriptions.for_chat(world.group, world.bob) == later
        assert await uow.subscriptions.for_chat(world.private, None) is None
        sent = replace(ann, version=2, last_sent_day=DAY0, next_push_at=T0 + timedelta(days=1))
        uow.subscriptions.save(sent)  # moved on to tomorrow: no longer due
        uow.subscriptions.delete(31)
        await uow.commit()
        assert await uow.subscriptions.due(T0, 10) == []
        assert await uow.subscriptions.for_chat(world.private, world.ann) == sent
        assert await uow.subscriptions.for_chat(world.group, None) is None


async def test_stats_aggregates(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.reviews.append(samples.review(world.ann, step=0, chat_id=world.group))
        uow.reviews.append(replace(samples.review(world.ann, step=1), rating=Rating.NOT_AT_ALL))
        uow.reviews.append(samples.review(world.bob, step=0, chat_id=world.group))
        uow.card_states.save(samples.card_state(world.ann, "geo:a", due_at=T0))
        uow.card_states.save(
            samples.card_state(world.ann, "geo:b", memory=samples.fsrs_memory(3, reps=0))
        )
        await uow.commit()
        stats = uow.stats
        hour = timedelta(hours=1)
        assert await stats.review_total(world.ann) == 2
        assert await stats.review_counts(world.ann, [T0 - hour, T0, T0 + hour]) == [0, 2]
        assert await stats.rating_counts(world.ann, T0) == {4: 1, 1: 1}
        assert await stats.rating_counts(world.ann, T0 + timedelta(milliseconds=1)) == {}
        assert sorted(await stats.state_counts(world.ann), key=lambda c: c.failed_last) == [
            StateCount("geo", 3, False, 1),
            StateCount("geo", 3, True, 1),
        ]
        assert await stats.due_by(world.ann, [T0 - hour, T0]) == [0, 2]
        board = await stats.review_counts_in([world.group], T0, T0 + hour)
        assert sorted(board, key=lambda c: c.learner_id) == sorted(
            [ChatReviewCount(world.ann, 1, 4), ChatReviewCount(world.bob, 1, 4)],
            key=lambda c: c.learner_id,
        )
        assert await stats.review_counts_in([], T0, T0 + hour) == []
        with pytest.raises(ValueError):
            await stats.review_counts(world.ann, [T0, T0])


async def test_followed_ratings_pair_each_review_with_the_cards_next(
    store: Store, world: World
) -> None:
    def at(card: str, step: int, days: int, rating: Rating, **changes: object) -> ReviewRecord:
        record = samples.review(world.ann, card, step=step, day=DAY0 + timedelta(days=days))
        return replace(record, rating=rating, reviewed_at=T0 + timedelta(days=days), **changes)

    async with store.unit_of_work() as uow:
        # Logged out of time order: "next" follows reviewed_at, not the log's order.
        uow.reviews.append(at("geo:a", 2, 5, Rating.PERFECTLY))
        uow.reviews.append(at("geo:a", 0, 0, Rating.GOOD, interval_days=3))
        uow.reviews.append(
            at("geo:a", 1, 3, Rating.POOR, interval_days=1, scheduler=SchedulerKind.SM2)
        )
        uow.reviews.append(at("geo:b", 0, 0, Rating.FAIR))  # never came back
        # Two ratings at one instant (a quiz and a review): the one logged first comes first.
        uow.reviews.append(at("geo:c", 0, 1, Rating.NOT_AT_ALL))
        uow.reviews.append(at("geo:c", 1, 1, Rating.GOOD))
        uow.reviews.append(samples.review(world.bob, "geo:a", step=9))
        await uow.commit()
        stats = uow.stats
        day = timedelta(days=1)
        everything = await stats.followed_ratings(world.ann, T0 - day)
        assert sorted(everything, key=lambda p: (p.review_day, p.rating)) == [
            FollowedRating(4, DAY0, "fsrs", 3, 2, DAY0 + 3 * day),
            FollowedRating(1, DAY0 + day, "fsrs", 3, 4, DAY0 + day),
            FollowedRating(2, DAY0 + 3 * day, "sm2", 1, 5, DAY0 + 5 * day),
        ]
        # `since` bounds the next review, at the millisecond.
        since = T0 + 3 * day + timedelta(milliseconds=1)
        assert await stats.followed_ratings(world.ann, since) == [
            FollowedRating(2, DAY0 + 3 * day, "sm2", 1, 5, DAY0 + 5 * day)
        ]
        assert await stats.followed_ratings(world.bob, T0 - day) == []


async def test_reads_see_committed_data_only(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann))
        uow.reviews.append(samples.review(world.ann))
        assert await uow.card_states.get(world.ann, "geo:a") is None
        assert await uow.reviews.counts_on_day(world.ann, DAY0) == (0, 0)
    async with store.unit_of_work() as uow:  # the unit above left without committing
        assert await uow.card_states.get(world.ann, "geo:a") is None


async def test_a_conflict_writes_nothing_of_its_unit(store: Store, world: World) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, version=1))
        await uow.commit()
        uow.reviews.append(samples.review(world.ann))  # would succeed on its own
        uow.sessions.save(samples.session(11, world.ann, None))  # would succeed on its own
        uow.card_states.save(samples.card_state(world.ann, version=3))  # stale: row is at 1
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        assert await uow.reviews.counts_on_day(world.ann, DAY0) == (0, 0)
        assert await uow.sessions.get(11) is None
        uow.reviews.append(samples.review(world.ann))  # the unit can commit again
        await uow.commit()
        assert await uow.reviews.counts_on_day(world.ann, DAY0) == (1, 0)


@pytest.mark.parametrize(
    "kind", ["card_state", "session", "quiz", "subscription", "review", "second_quiz"]
)
async def test_repeated_keys_and_missing_rows_conflict(
    store: Store, world: World, kind: str
) -> None:
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann))
        uow.sessions.save(samples.session(11, world.ann, None))
        uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        uow.subscriptions.save(samples.subscription(31, world.group, None))
        uow.reviews.append(samples.review(world.ann))
        await uow.commit()
        if kind == "card_state":
            uow.card_states.save(samples.card_state(world.ann))
        elif kind == "session":
            uow.sessions.save(samples.session(11, world.ann, None))
        elif kind == "quiz":
            uow.quizzes.save(samples.quiz(21, world.group, world.ann))
        elif kind == "subscription":
            uow.subscriptions.save(samples.subscription(32, world.group, None))  # one per chat
        elif kind == "review":
            uow.reviews.append(samples.review(world.ann))
        else:
            uow.quizzes.save(samples.quiz(22, world.group, world.bob))  # one unfinished per chat
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        uow.sessions.save(samples.session(12, world.ann, None, version=2))  # no row at version 1
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()


async def test_a_rating_for_a_closed_card_conflicts(store: Store, world: World) -> None:
    quiz = samples.quiz(21, world.group, world.ann)
    async with store.unit_of_work() as uow:
        uow.quizzes.save(quiz)
        await uow.commit()
        uow.quizzes.save(replace(quiz, phase=QuizPhase.ANSWER, version=2))
        await uow.commit()
        uow.quizzes.save_rating(samples.quiz_rating(21, world.bob, Rating.GOOD), 1)
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
        assert await uow.quizzes.ratings(21) == []


async def test_suspended_cards_leave_the_queue_and_come_back(store: Store, world: World) -> None:
    due = samples.card_state(world.ann, "geo:a", due_at=T0 - timedelta(days=1))
    later = samples.card_state(world.ann, "geo:b", due_at=T0 + timedelta(days=1))
    async with store.unit_of_work() as uow:
        uow.card_states.save(due)
        uow.card_states.save(later)
        await uow.commit()
        uow.card_flags.suspend(world.ann, "geo:a", T0)
        uow.card_flags.suspend(world.ann, "geo:b", T0 + timedelta(seconds=1))
        uow.card_flags.suspend(world.ann, "geo:c", T0 - timedelta(seconds=1))
        assert await uow.card_flags.suspended_count(world.ann) == 0  # staged only
        await uow.commit()
        suspended = await uow.card_flags.suspended(world.ann)
        queue = (
            await uow.card_states.due(world.ann, ["geo"], T0, 10),
            await uow.card_states.next_due_at(world.ann, ["geo"], T0),
            await uow.card_states.unseen_card_ids(world.ann, ["geo"], 10),
        )
        bobs = await uow.card_states.unseen_card_ids(world.bob, ["geo"], 10)
        due_by = await uow.stats.due_by(world.ann, [T0, T0 + timedelta(days=2)])
        count, bobs_count = (
            await uow.card_flags.suspended_count(world.ann),
            await uow.card_flags.suspended_count(world.bob),
        )
        uow.card_flags.restore(world.ann, "geo:a")
        uow.card_flags.restore(world.ann, "geo:c")
        uow.card_flags.restore(world.bob, "geo:a")  # never suspended: nothing, no conflict
        uow.card_flags.suspend(world.bob, "geo:b", T0)  # suspended and restored in one unit
        uow.card_flags.restore(world.bob, "geo:b")
        await uow.commit()
        assert await uow.card_flags.suspended_count(world.bob) == 0
        restored = await uow.card_states.due(world.ann, ["geo"], T0, 10)
        unseen = await uow.card_states.unseen_card_ids(world.ann, ["geo"], 10)
        left = await uow.card_flags.suspended(world.ann)
    assert [(s.card_id, s.question, s.suspended_at) for s in suspended] == [
        ("geo:b", "Q b?", T0 + timedelta(seconds=1)),
        ("geo:a", "Q a?", T0),
        ("geo:c", "Q c?", T0 - timedelta(seconds=1)),
    ]
    assert queue == ([], None, [])  # due, next due and new cards all skip them
    assert due_by == [0, 0]  # and /stats counts none of them due
    assert bobs == ["geo:a", "geo:b", "geo:c"] and (count, bobs_count) == (3, 0)
    assert restored == [due] and unseen == ["geo:c"]
    assert [s.card_id for s in left] == ["geo:b"]


async def test_hints_and_the_hint_prompt(store: Store, world: World) -> None:
    prompt = HintPrompt(world.ann, "geo:a", world.private, T0)
    async with store.unit_of_work() as uow:
        uow.card_flags.suspend(world.ann, "geo:b", T0)
        uow.card_flags.set_hint(world.ann, "geo:a", "first")
        uow.card_flags.set_hint(world.ann, "geo:b", "kept apart")
        uow.card_flags.open_prompt(prompt)
        await uow.commit()
        uow.card_flags.set_hint(world.ann, "geo:a", "llamas")
        uow.card_flags.open_prompt(replace(prompt, card_id="geo:c", chat_id=None))
        await uow.commit()
        hints = [await uow.card_flags.hint(world.ann, c) for c in ("geo:a", "geo:b", "geo:c")]
        bobs = await uow.card_flags.hint(world.bob, "geo:a")
        opened = await uow.card_flags.prompt(world.ann)
        suspended = await uow.card_flags.suspended_count(world.ann)
        uow.card_flags.close_prompt(world.ann)
        uow.card_flags.close_prompt(world.bob)  # none open: nothing to close, no conflict
        await uow.commit()
        closed = await uow.card_flags.prompt(world.ann)
    assert hints == ["llamas", "kept apart", None] and bobs is None
    assert opened == replace(prompt, card_id="geo:c", chat_id=None) and closed is None
    assert suspended == 1  # a hint does not touch the suspension


async def test_leeches_and_the_card_a_review_step_rated(store: Store, world: World) -> None:
    lapsed = replace(samples.sm2_memory(), lapses=6)
    async with store.unit_of_work() as uow:
        uow.card_states.save(samples.card_state(world.ann, "geo:a", memory=lapsed))
        uow.card_states.save(
            samples.card_state(world.bob, "geo:a", memory=replace(lapsed, lapses=8))
        )
        uow.card_states.save(samples.card_state(world.ann, "geo:b", memory=samples.sm2_memory()))
        uow.card_states.save(samples.card_state(world.bob, "geo:c", memory=lapsed))
        uow.reviews.append(samples.review(world.ann, "geo:b", source_id=5, step=3))
        await uow.commit()
        both = await uow.card_flags.lapses([world.ann, world.bob], ["geo:a", "geo:b"], 6)
        anns = await uow.card_flags.lapses([world.ann], ["geo:a", "geo:b", "geo:c"], 6)
        lower = await uow.card_flags.lapses([world.ann], ["geo:a", "geo:b"], 0)
        none = await uow.card_flags.lapses([], ["geo:a"], 6)
        counts = [
            await uow.card_flags.leech_count(world.bob, 6),
            await uow.card_flags.leech_count(world.bob, 7),
            await uow.card_flags.leech_count(world.ann, 3),
        ]
        uow.card_flags.suspend(world.bob, "geo:c", samples.T0)
        await uow.commit()
        suspended_left_out = await uow.card_flags.leech_count(world.bob, 6)
        rated = await uow.card_flags.reviewed_card(world.ann, 5, 3)
        missing = [
            await uow.card_flags.reviewed_card(world.bob, 5, 3),
            await uow.card_flags.reviewed_card(world.ann, 5, 4),
        ]
    assert both == {(world.ann, "geo:a"): 6, (world.bob, "geo:a"): 8} and none == {}
    assert anns == {(world.ann, "geo:a"): 6}
    assert lower == {(world.ann, "geo:a"): 6, (world.ann, "geo:b"): 1}
    assert counts == [2, 1, 1] and suspended_left_out == 1
    assert rated == "geo:b" and missing == [None, None]


async def test_exam_plans_are_one_per_learner_and_deck_until_ended(
    store: Store, world: World
) -> None:
    plan = ExamPlan(world.ann, "geo", DAY0 + timedelta(days=30), 20, 0.85, 90)
    async with store.unit_of_work() as uow:
        uow.exam_plans.save(plan)
        uow.exam_plans.save(replace(plan, learner_id=world.bob, new_per_day=5))
        assert await uow.exam_plans.of_learner(world.ann) == []  # staged only
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.exam_plans.of_learner(world.ann) == [plan]
        replanned = replace(plan, exam_day=DAY0 + timedelta(days=10), new_per_day=40)
        uow.exam_plans.save(replanned)  # the same deck again: replaces it
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.exam_plans.of_learner(world.ann) == [replanned]
        uow.exam_plans.end(world.ann)
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.exam_plans.of_learner(world.ann) == []
        bobs = await uow.exam_plans.of_learner(world.bob)
    assert [(p.deck_id, p.new_per_day, p.desired_retention) for p in bobs] == [("geo", 5, 0.85)]
