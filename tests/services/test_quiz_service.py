"""A group quiz from start to summary on a real SQLite file, with three members."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

import pytest

from adapters.storage.postgres.store import PostgresStore
from adapters.storage.sqlite.store import SqliteStore
from core import texts
from core.card_state import CardState
from core.errors import NotAllowed, StaleAction
from core.learners import Learner
from core.leeches.model import DEFAULT_LEECH_LAPSES
from core.permissions import ChatRole
from core.quiz.effects import (
    ArmDeadline,
    EditCard,
    Notice,
    PostCard,
    PostSummary,
    QuizUpdate,
    RefreshRatedCount,
)
from core.quiz.model import QuizEnd, QuizPhase
from core.quiz.service import QuizService
from core.scheduling.model import Memory, SchedulerKind
from core.screens import Screen
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.fakes import SeededRandomness

DECK = "neural-nets"
MEMBER = ChatRole(in_group=True)
ADMIN = ChatRole(in_group=True, is_admin=True)
E = TypeVar("E")


def the(kind: type[E], update: QuizUpdate | None) -> E:
    """The update's one effect of this kind."""
    assert update is not None
    (found,) = [e for e in update.effects if isinstance(e, kind)]
    return found


def posted(update: QuizUpdate | None) -> Screen:
    return the(PostCard, update).screen


def edited(update: QuizUpdate | None) -> Screen:
    return the(EditCard, update).screen


def moves_deadline(update: QuizUpdate) -> bool:
    return any(isinstance(e, ArmDeadline) for e in update.effects)


def button(screen: Screen, label: str) -> str:
    for row in screen.buttons:
        for b in row:
            if b.label == label:
                return b.action
    raise AssertionError(f"no button {label!r} in {screen.buttons}")


def quiz_reviews(services: Services) -> list[tuple[int, str, int]]:
    return committed_rows(
        services.store,
        "SELECT learner_id, card_id, rating FROM review_log WHERE source = 'quiz' "
        "ORDER BY learner_id, step",
    )


async def test_three_members_from_start_to_summary(services: Services) -> None:
    group = await services.chat("study-group", group=True)
    ada, bob, cy = [await services.learner(n) for n in ("ada", "bob", "cy")]
    started = await services.quizzes.start(group, ada, DECK, cards=2, seconds=30)
    quiz = started.quiz
    assert quiz.phase is QuizPhase.QUESTION and len(quiz.card_ids) == 2
    assert posted(started).deadline_at == services.clock.now() + timedelta(seconds=30)

    with pytest.raises(NotAllowed, match="Only ada"):
        await services.quizzes.press(bob, button(posted(started), "Show answer"), role=MEMBER)
    shown = await services.quizzes.press(ada, button(posted(started), "Show answer"), role=MEMBER)
    assert edited(shown).answer_shown

    first = await services.quizzes.press(ada, button(edited(shown), "5"), role=MEMBER)
    assert the(Notice, first).text == "You rated 5/5. You can change it until the next card."
    await services.quizzes.press(bob, button(edited(shown), "2"), role=MEMBER)
    changed = await services.quizzes.press(bob, button(edited(shown), "4"), role=MEMBER)
    assert "2 rated so far" in the(RefreshRatedCount, changed).screen.text
    await services.quizzes.press(cy, button(edited(shown), "1"), role=MEMBER)

    # The timer closes rating on card 1 and shows card 2's question.
    services.clock.advance(seconds=30)
    moved = await services.quizzes.on_deadline(quiz.id, shown.quiz.version)
    assert moved is not None and moved.quiz.position == 1
    with pytest.raises(StaleAction, match="closed"):
        await services.quizzes.press(cy, button(edited(shown), "5"), role=MEMBER)
    card1 = quiz.card_ids[0]
    assert quiz_reviews(services) == [(ada.id, card1, 5), (bob.id, card1, 4), (cy.id, card1, 1)]

    shown2 = await services.quizzes.on_deadline(quiz.id, moved.quiz.version)
    assert shown2 is not None
    await services.quizzes.press(bob, button(edited(shown2), "3"), role=MEMBER)
    done = await services.quizzes.press(ada, button(edited(shown2), "Next card"), role=MEMBER)
    assert done.quiz.phase is QuizPhase.FINISHED and done.quiz.end_reason is QuizEnd.COMPLETED
    summary = the(PostSummary, done).screen.text
    assert "Quiz finished! 2 cards." in summary
    assert "bob: 2 cards, mean rating 3.5" in summary
    assert "ada: 1 card, mean rating 5.0" in summary
    assert "cy: 1 card, mean rating 1.0" in summary
    assert summary.index("Hardest cards") < summary.index("3.0 avg")
    assert len(quiz_reviews(services)) == 4


async def test_one_quiz_per_chat_and_stop_rights(services: Services) -> None:
    group = await services.chat("g", group=True)
    ada, bob = await services.learner("ada"), await services.learner("bob")
    await services.quizzes.start(group, ada, DECK, cards=3, seconds=30)
    with pytest.raises(NotAllowed, match="already running"):
        await services.quizzes.start(group, bob, DECK)
    with pytest.raises(NotAllowed):
        await services.quizzes.stop(group, bob, role=MEMBER)
    stopped = await services.quizzes.stop(group, bob, role=ADMIN)
    assert stopped.quiz.end_reason is QuizEnd.STOPPED
    assert "Nobody rated a card this time." in the(PostSummary, stopped).screen.text
    await services.quizzes.start(group, bob, DECK)  # the chat is free again


async def test_private_chat_gets_review_hint(services: Services) -> None:
    private = await services.chat("dm", group=False)
    with pytest.raises(NotAllowed, match="Use /review here"):
        await services.quizzes.start(private, await services.learner("ada"), DECK)


async def test_restart_resumes_recent_quiz_and_ends_old_one(services: Services) -> None:
    recent, old = await services.chat("recent", group=True), await services.chat("old", group=True)
    ada = await services.learner("ada")
    stale = await services.quizzes.start(old, ada, DECK, cards=2, seconds=30)
    shown = await services.quizzes.press(ada, button(posted(stale), "Show answer"), role=MEMBER)
    await services.quizzes.press(ada, button(edited(shown), "2"), role=MEMBER)
    services.clock.advance(minutes=10)
    fresh = await services.quizzes.start(recent, ada, DECK, cards=2, seconds=30)
    # A new service object over the same file: what a restarted process sees.
    restarted = QuizService(services.store, services.clock, services.random)
    updates = {u.quiz.id: u for u in await restarted.recover()}
    assert updates[fresh.quiz.id].quiz.phase is QuizPhase.QUESTION
    assert updates[fresh.quiz.id].effects == (the(ArmDeadline, fresh),)  # its timer, again
    ended = updates[stale.quiz.id]
    assert ended.quiz.end_reason is QuizEnd.RESTARTED
    restarted_text = "The bot restarted, so this quiz ended after 1 card."
    assert restarted_text in the(PostSummary, ended).screen.text
    assert quiz_reviews(services) == [(ada.id, stale.quiz.card_ids[0], 2)]
    # The resumed quiz's timer still works after the restart.
    services.clock.advance(seconds=30)
    assert await restarted.on_deadline(fresh.quiz.id, fresh.quiz.version) is not None


async def test_the_daily_group_quiz_asks_what_most_members_have_due_first(
    services: Services,
) -> None:
    group = await services.chat("study-group", group=True)
    ada, bob = await services.learner("ada"), await services.learner("bob")

    async def forget(learner: Learner, cards: int) -> list[str]:
        """Review `cards` new cards in the group, rating each 1: due again tomorrow."""
        seen = []
        screen = await services.reviews.start(learner, group.id, [DECK])
        for _ in range(cards):
            answer = (await services.reviews.press(learner, button(screen, "Show answer"))).updated
            assert answer.card_id is not None
            seen.append(answer.card_id)
            follow = (await services.reviews.press(learner, button(answer, "1"))).follow_up
            assert follow is not None
            screen = follow
        return seen

    ada_cards, bob_cards = await forget(ada, 2), await forget(bob, 1)
    assert bob_cards == ada_cards[:1]  # both forgot the first card, only Ada the second
    services.clock.advance(days=1)

    daily = await services.quizzes.start_daily(group, DECK)
    assert daily is not None
    quiz = daily.quiz
    assert len(quiz.card_ids) == 5 and quiz.seconds_per_card == 60
    assert list(quiz.card_ids[:2]) == ada_cards  # due for both, then due for Ada
    assert len(set(quiz.card_ids)) == 5
    assert await services.quizzes.start_daily(group, DECK) is None  # one is running


async def test_a_card_everyone_has_rated_closes_after_a_short_grace(services: Services) -> None:
    group = await services.chat("study-group", group=True)
    ada, bob = await services.learner("ada"), await services.learner("bob")
    started = await services.quizzes.start(group, ada, DECK, cards=3, seconds=30)
    shown = await services.quizzes.press(ada, button(posted(started), "Show answer"), role=MEMBER)
    assert "Next card in 30 s." in edited(shown).text

    # Card 1 says who plays: rated by both, it still runs its full timer.
    timer = shown.quiz.deadline_at
    services.clock.advance(seconds=4)
    for member, rating in ((ada, "4"), (bob, "5")):
        rated = await services.quizzes.press(member, button(edited(shown), rating), role=MEMBER)
        assert not moves_deadline(rated) and rated.quiz.deadline_at == timer
    services.clock.advance(seconds=26)
    card2 = await services.quizzes.on_deadline(started.quiz.id, shown.quiz.version)
    assert card2 is not None and card2.quiz.position == 1
    card1 = started.quiz.card_ids[0]
    assert quiz_reviews(services) == [(ada.id, card1, 4), (bob.id, card1, 5)]

    # Card 2: Ada alone does not close it while Bob, a participant, has not rated.
    shown2 = await services.quizzes.on_deadline(started.quiz.id, card2.quiz.version)
    assert "Next card when everyone has rated, or in 30 s." in edited(shown2).text
    timer = shown2.quiz.deadline_at
    alone = await services.quizzes.press(ada, button(edited(shown2), "3"), role=MEMBER)
    assert not moves_deadline(alone) and alone.quiz.deadline_at == timer
    both = await services.quizzes.press(bob, button(edited(shown2), "2"), role=MEMBER)
    soon = services.clock.now() + timedelta(seconds=3)
    assert moves_deadline(both) and both.quiz.deadline_at == soon
    assert both.quiz.version == shown2.quiz.version
    # Bob changes his mind in the grace: it counts, and the grace is not extended.
    services.clock.advance(seconds=1)
    changed = await services.quizzes.press(bob, button(edited(shown2), "5"), role=MEMBER)
    assert not moves_deadline(changed) and changed.quiz.deadline_at == soon
    async with services.store.unit_of_work() as uow:
        stored = await uow.quizzes.get(started.quiz.id)
    assert stored is not None and stored.deadline_at == soon

    services.clock.advance(seconds=2)
    card3 = await services.quizzes.on_deadline(started.quiz.id, shown2.quiz.version)
    assert card3 is not None and card3.quiz.position == 2
    card2_id = started.quiz.card_ids[1]
    on_card2 = [row for row in quiz_reviews(services) if row[1] == card2_id]
    assert on_card2 == [(ada.id, card2_id, 3), (bob.id, card2_id, 5)]


async def test_the_summary_names_the_groups_leeches(services: Services) -> None:
    group = await services.chat("study-group", group=True)
    ada, cy = [await services.learner(n) for n in ("ada", "cy")]
    started = await services.quizzes.start(group, ada, DECK, cards=2, seconds=30)
    quiz = started.quiz
    first, second = quiz.card_ids
    now = services.clock.now()
    day = (now - timedelta(days=3)).date()
    lapsed = Memory(
        SchedulerKind.FSRS, 1, DEFAULT_LEECH_LAPSES - 1, 2, day, day + timedelta(days=2), 2.0, 7.5
    )
    async with services.store.unit_of_work() as uow:
        cards = await uow.decks.cards_by_id([first, second])
        uow.card_states.save(CardState(cy.id, first, DECK, lapsed, now, 1))
        uow.card_states.save(CardState(ada.id, second, DECK, lapsed, now, 1))  # no lapse today
        await uow.commit()
    shown = await services.quizzes.press(ada, button(posted(started), "Show answer"), role=MEMBER)
    await services.quizzes.press(cy, button(edited(shown), "1"), role=MEMBER)  # the 6th lapse
    await services.quizzes.press(ada, button(edited(shown), "4"), role=MEMBER)
    done = await services.quizzes.stop(group, ada, role=MEMBER)
    summary = the(PostSummary, done).screen.text
    leeches = texts.QUIZ_LEECHES.format(threshold=DEFAULT_LEECH_LAPSES, cards=cards[first].question)
    assert leeches in summary
    assert cards[second].question not in summary


async def test_each_member_counts_leeches_by_their_own_threshold(services: Services) -> None:
    group = await services.chat("study-group", group=True)
    ada, cy = [await services.learner(n) for n in ("ada", "cy")]
    async with services.store.unit_of_work() as uow:  # Cy counts a leech from 4 lapses
        uow.learners.save_settings(cy.id, replace(cy.settings, leech_threshold=4))
        await uow.commit()
    started = await services.quizzes.start(group, ada, DECK, cards=2, seconds=30)
    first, second = started.quiz.card_ids
    now = services.clock.now()
    day = (now - timedelta(days=3)).date()

    def lapsed(lapses: int) -> Memory:
        return Memory(SchedulerKind.FSRS, 1, lapses, 2, day, day + timedelta(days=2), 2.0, 7.5)

    async with services.store.unit_of_work() as uow:
        cards = await uow.decks.cards_by_id([first, second])
        uow.card_states.save(CardState(cy.id, first, DECK, lapsed(3), now, 1))
        uow.card_states.save(CardState(ada.id, first, DECK, lapsed(5), now, 1))
        await uow.commit()
    shown = await services.quizzes.press(ada, button(posted(started), "Show answer"), role=MEMBER)
    await services.quizzes.press(cy, button(edited(shown), "1"), role=MEMBER)  # Cy's 4th lapse
    await services.quizzes.press(ada, button(edited(shown), "4"), role=MEMBER)  # Ada: still 5
    nexts = await services.quizzes.press(ada, button(edited(shown), "Next card"), role=MEMBER)
    assert nexts is not None
    done = await services.quizzes.stop(group, ada, role=MEMBER)
    summary = the(PostSummary, done).screen.text
    named = texts.QUIZ_LEECHES_OWN_THRESHOLDS.format(low=4, high=6, cards=cards[first].question)
    assert named in summary  # from the stored state, the closing card's being the second


async def another_worker_store(services: Services) -> SqliteStore | PostgresStore:
    """A second store on the same database: what another `quizbot run` process opens."""
    store = services.store
    if isinstance(store, PostgresStore):
        return await PostgresStore.open(store.database_url)
    assert isinstance(store, SqliteStore)
    return await SqliteStore.open(store.path)


async def test_of_two_workers_acting_on_one_deadline_at_once_exactly_one_moves_the_quiz(
    services: Services,
) -> None:
    club, ada = await services.chat("club", group=True), await services.learner("ada")
    started = await services.quizzes.start(club, ada, DECK, cards=2, seconds=30)
    services.clock.advance(seconds=30)
    other_store = await another_worker_store(services)
    try:
        other = QuizService(other_store, services.clock, SeededRandomness(8))
        version = started.quiz.version
        updates = await asyncio.gather(
            *(
                worker.on_deadline(started.quiz.id, version)
                for worker in [services.quizzes, other] * 3
            )
        )
    finally:
        await other_store.close()
    [acted] = [update for update in updates if update is not None]
    assert acted.quiz.phase is QuizPhase.ANSWER and acted.quiz.version == version + 1
    async with services.store.unit_of_work() as uow:
        stored = await uow.quizzes.get(started.quiz.id)
    assert stored is not None and stored.version == version + 1


async def test_a_deadline_nobody_acted_on_is_found_by_any_workers_sweep(
    services: Services,
) -> None:
    """Its worker died with the timer: after the slack, the sweep lists it, once per version."""
    club, ada = await services.chat("club", group=True), await services.learner("ada")
    started = await services.quizzes.start(club, ada, DECK, cards=2, seconds=30)
    services.clock.advance(seconds=30 + 30)
    assert await services.quizzes.overdue("test") == []  # within the slack: its timer's turn
    assert await services.quizzes.overdue("telegram") == []  # another platform's sweep
    services.clock.advance(seconds=1)
    other_store = await another_worker_store(services)
    try:
        other = QuizService(other_store, services.clock, SeededRandomness(8))
        [(quiz_id, version)] = await other.overdue("test")
        assert (quiz_id, version) == (started.quiz.id, started.quiz.version)
        shown = await other.on_deadline(quiz_id, version)
    finally:
        await other_store.close()
    assert shown is not None and shown.quiz.phase is QuizPhase.ANSWER
    assert await services.quizzes.overdue("test") == []  # its new deadline is ahead
