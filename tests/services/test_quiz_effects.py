"""What a group quiz asks the chat to do, event by event, on the in-memory store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest_asyncio

from core.learners import Chat, Learner
from core.permissions import ChatRole
from core.quiz.effects import (
    ArmDeadline,
    CancelDeadline,
    CloseCard,
    EditCard,
    Notice,
    PostCard,
    PostSummary,
    QuizEffect,
    QuizUpdate,
    RefreshRatedCount,
)
from core.quiz.service import QuizService
from core.screens import Screen
from tests.conftest import Services, services_on
from tests.fakes import FakeClock
from tests.memory_store import MemoryStore

DECK = "neural-nets"

MEMBER = ChatRole(in_group=True)


@pytest_asyncio.fixture
async def services(clock: FakeClock) -> AsyncIterator[Services]:
    yield await services_on(MemoryStore(), clock)


def kinds(update: QuizUpdate | None) -> list[type[QuizEffect]]:
    assert update is not None
    return [type(effect) for effect in update.effects]


def screen_of(update: QuizUpdate) -> Screen:
    """The screen the update shows: its card, answer, count or summary."""
    shown = PostCard | PostSummary | EditCard | RefreshRatedCount
    (screen,) = [e.screen for e in update.effects if isinstance(e, shown)]
    return screen


def button(screen: Screen, label: str) -> str:
    (action,) = [b.action for row in screen.buttons for b in row if b.label == label]
    return action


async def started(services: Services, cards: int = 2) -> tuple[Chat, Learner, QuizUpdate]:
    group = await services.chat("study-group", group=True)
    ada = await services.learner("ada")
    return group, ada, await services.quizzes.start(group, ada, DECK, cards=cards, seconds=30)


async def test_a_start_posts_the_first_card_and_arms_its_deadline(services: Services) -> None:
    group, _, start = await started(services)
    quiz = start.quiz
    assert start.chat == group
    assert kinds(start) == [PostCard, ArmDeadline]
    assert start.effects[1] == ArmDeadline(quiz.id, 1, services.clock.now() + timedelta(seconds=30))
    assert [b.label for row in screen_of(start).buttons for b in row] == ["Show answer"]


async def test_show_edits_the_card_in_place_and_re_arms_for_the_rating_time(
    services: Services,
) -> None:
    group, ada, start = await started(services)
    services.clock.advance(seconds=5)
    shown = await services.quizzes.press(ada, button(screen_of(start), "Show answer"), role=MEMBER)
    assert shown.chat == group
    assert kinds(shown) == [EditCard, ArmDeadline]
    assert screen_of(shown).answer_shown
    due = services.clock.now() + timedelta(seconds=30)
    assert shown.effects[1] == ArmDeadline(start.quiz.id, 2, due)


async def test_a_reveal_says_what_the_card_message_showed_until_then(
    services: Services,
) -> None:
    # The platform sends with the answer only the files its question lacked (issue 13), on a
    # press and on the deadline alike.
    _, ada, start = await started(services)
    shown = await services.quizzes.press(ada, button(screen_of(start), "Show answer"), role=MEMBER)
    assert shown.effects[0] == EditCard(screen_of(shown), replaces=screen_of(start))
    await services.quizzes.stop(start.chat, ada, role=MEMBER)
    _, _, second = await started(services)
    services.clock.advance(seconds=30)
    revealed = await services.quizzes.on_deadline(second.quiz.id, second.quiz.version)
    assert revealed is not None
    assert revealed.effects[0] == EditCard(screen_of(revealed), replaces=screen_of(second))


async def test_a_rating_answers_privately_and_refreshes_the_count_leaving_the_timer(
    services: Services,
) -> None:
    _, ada, start = await started(services)
    shown = await services.quizzes.press(ada, button(screen_of(start), "Show answer"), role=MEMBER)
    rated = await services.quizzes.press(ada, button(screen_of(shown), "4"), role=MEMBER)
    assert kinds(rated) == [Notice, RefreshRatedCount]
    assert rated.effects[0] == Notice("You rated 4/5. You can change it until the next card.")
    assert "1 rated so far" in screen_of(rated).text


async def test_the_last_rating_of_a_later_card_brings_its_deadline_forward(
    services: Services,
) -> None:
    _, ada, start = await started(services, cards=3)
    quizzes, quiz_id = services.quizzes, start.quiz.id
    shown = await quizzes.press(ada, button(screen_of(start), "Show answer"), role=MEMBER)
    await quizzes.press(ada, button(screen_of(shown), "4"), role=MEMBER)
    card2 = await quizzes.press(ada, button(screen_of(shown), "Next card"), role=MEMBER)
    shown2 = await quizzes.press(ada, button(screen_of(card2), "Show answer"), role=MEMBER)
    rated = await quizzes.press(ada, button(screen_of(shown2), "5"), role=MEMBER)
    soon = services.clock.now() + timedelta(seconds=3)
    assert kinds(rated) == [Notice, RefreshRatedCount, ArmDeadline]
    assert rated.effects[2] == ArmDeadline(quiz_id, shown2.quiz.version, soon)
    again = await quizzes.press(ada, button(screen_of(shown2), "3"), role=MEMBER)
    assert kinds(again) == [Notice, RefreshRatedCount]  # the grace is not extended


async def test_next_closes_the_card_posts_the_next_and_arms_its_deadline(
    services: Services,
) -> None:
    _, ada, start = await started(services)
    shown = await services.quizzes.press(ada, button(screen_of(start), "Show answer"), role=MEMBER)
    moved = await services.quizzes.press(ada, button(screen_of(shown), "Next card"), role=MEMBER)
    assert kinds(moved) == [CloseCard, PostCard, ArmDeadline]
    assert "Card 2/2" in screen_of(moved).text
    due = services.clock.now() + timedelta(seconds=30)
    assert moved.effects[2] == ArmDeadline(start.quiz.id, shown.quiz.version + 1, due)


async def test_deadlines_reveal_then_move_on_then_finish_with_the_summary(
    services: Services,
) -> None:
    _, _, start = await started(services, cards=1)
    quizzes, quiz_id = services.quizzes, start.quiz.id
    services.clock.advance(seconds=30)
    revealed = await quizzes.on_deadline(quiz_id, start.quiz.version)
    assert revealed is not None and kinds(revealed) == [EditCard, ArmDeadline]
    services.clock.advance(seconds=30)
    finished = await quizzes.on_deadline(quiz_id, revealed.quiz.version)
    assert finished is not None
    assert finished.effects[0] == CloseCard() and finished.effects[2] == CancelDeadline(quiz_id)
    assert kinds(finished) == [CloseCard, PostSummary, CancelDeadline]
    assert "Quiz finished! 1 card." in screen_of(finished).text
    assert await quizzes.on_deadline(quiz_id, revealed.quiz.version) is None  # nothing to do


async def test_stop_closes_the_card_posts_the_summary_and_cancels_the_deadline(
    services: Services,
) -> None:
    group, ada, start = await started(services)
    stopped = await services.quizzes.stop(group, ada, role=MEMBER)
    assert kinds(stopped) == [CloseCard, PostSummary, CancelDeadline]
    assert stopped.effects[2] == CancelDeadline(start.quiz.id)


async def test_recovery_re_arms_a_running_quiz_and_ends_a_stale_one_for_its_platform(
    services: Services,
) -> None:
    old, ada = await services.chat("old", group=True), await services.learner("ada")
    stale = await services.quizzes.start(old, ada, DECK, cards=2, seconds=30)
    services.clock.advance(minutes=10)
    _, _, fresh = await started(services)
    async with services.store.unit_of_work() as uow:
        elsewhere = await uow.chats.ensure("elsewhere", "g", "g", True)
        await uow.commit()
    await services.quizzes.start(elsewhere, ada, DECK, cards=2, seconds=30)

    restarted = QuizService(services.store, services.clock, services.random)
    updates = {u.quiz.id: u for u in await restarted.recover("test")}
    assert set(updates) == {stale.quiz.id, fresh.quiz.id}  # not the other platform's quiz
    assert updates[fresh.quiz.id].effects == (fresh.effects[1],)  # its deadline, armed again
    ended = updates[stale.quiz.id]
    assert ended.chat == old
    assert kinds(ended) == [CloseCard, PostSummary, CancelDeadline]
    assert "The bot restarted" in screen_of(ended).text


async def test_the_daily_quiz_posts_its_first_card_and_arms_its_deadline(
    services: Services,
) -> None:
    group = await services.chat("study-group", group=True)
    daily = await services.quizzes.start_daily(group, DECK)
    assert daily is not None and daily.chat == group
    assert kinds(daily) == [PostCard, ArmDeadline]
    assert daily.effects[1] == ArmDeadline(
        daily.quiz.id, 1, services.clock.now() + timedelta(seconds=60)
    )
