"""The shared quiz effect executor against a recording messenger (a fake of the port)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio

from adapters.chat.quiz_effects import QuizEffectExecutor, deadline_name
from adapters.scheduling import BotScheduler
from core import texts
from core.learners import Chat, Learner
from core.permissions import ChatRole
from core.quiz.effects import PostCard, QuizUpdate
from core.quiz.model import GroupQuiz
from core.screens import Screen
from tests.conftest import Services, services_on
from tests.fakes import FakeClock
from tests.memory_store import MemoryStore

DECK = "neural-nets"
PRESS = "the-press"  # what the platform answers a press through

MEMBER = ChatRole(in_group=True)


class PlatformRefused(Exception):
    pass


class RecordingMessenger:
    """Records what it is asked to show; message handles are m1, m2, …"""

    platform = "test"

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.refuse_sends = False
        self.edit_takes_more = False
        self.replaced: list[Screen | None] = []  # what each edit was told the message showed
        self._sent = 0

    def _next_handle(self) -> str:
        self._sent += 1
        return f"m{self._sent}"

    async def send(self, where: str, screen: Screen) -> str:
        if self.refuse_sends:
            raise PlatformRefused
        handle = self._next_handle()
        self.calls.append(("send", where, handle, _first_line(screen)))
        return handle

    async def edit(
        self,
        where: str,
        handle: str,
        screen: Screen,
        pressed: str | None,
        replaces: Screen | None = None,
    ) -> str | None:
        self.calls.append(("edit", where, handle, str(pressed), _first_line(screen)))
        self.replaced.append(replaces)
        return self._next_handle() if self.edit_takes_more else None

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        rated = next(b.text for b in screen.blocks if "rated so far" in b.text)
        self.calls.append(("refresh", where, handle, rated))

    async def clear_buttons(self, where: str, handle: str, pressed: str | None) -> None:
        self.calls.append(("clear", where, handle, str(pressed)))

    async def tell(self, pressed: str, text: str) -> None:
        self.calls.append(("tell", pressed, text))


def _first_line(screen: Screen) -> str:
    return screen.blocks[0].text


@pytest_asyncio.fixture
async def services(clock: FakeClock) -> AsyncIterator[Services]:
    yield await services_on(MemoryStore(), clock)


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
def scheduler(services: Services) -> BotScheduler:
    return BotScheduler(services.clock)  # never started: a deadline runs when a test runs it


@pytest.fixture
def executor(
    services: Services, messenger: RecordingMessenger, scheduler: BotScheduler
) -> QuizEffectExecutor[str]:
    return QuizEffectExecutor(
        messenger,
        services.quizzes,
        scheduler,
        refresh_seconds=0,
        platform_errors=(PlatformRefused,),
    )


async def start(services: Services, cards: int = 2) -> tuple[Chat, Learner, QuizUpdate]:
    group, ada = await services.chat("g", group=True), await services.learner("ada")
    return group, ada, await services.quizzes.start(group, ada, DECK, cards=cards, seconds=30)


async def stored(services: Services, quiz_id: int) -> GroupQuiz:
    async with services.store.unit_of_work() as uow:
        quiz = await uow.quizzes.get(quiz_id)
    assert quiz is not None
    return quiz


def button(update: QuizUpdate, label: str) -> str:
    screens = [e.screen for e in update.effects if hasattr(e, "screen")]
    (action,) = [b.action for s in screens for row in s.buttons for b in row if b.label == label]
    return action


async def test_a_posted_card_is_remembered_and_its_deadline_armed(
    services: Services,
    executor: QuizEffectExecutor[str],
    messenger: RecordingMessenger,
    scheduler: BotScheduler,
) -> None:
    group, _, started = await start(services)
    await executor.apply(started)
    assert messenger.calls == [("send", "g", "m1", "Card 1/2")]
    assert (await stored(services, started.quiz.id)).message_ref == "m1"
    name = deadline_name(started.quiz.id)
    assert scheduler.armed_at(name) == services.clock.now() + timedelta(seconds=30)
    assert group.platform_chat_id == "g"


async def test_a_press_on_the_card_edits_it_through_the_press(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    _, ada, started = await start(services)
    await executor.apply(started)
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    assert messenger.calls[-1] == ("edit", "g", "m1", PRESS, "Card 1/2")


async def test_a_reveal_tells_the_messenger_what_the_card_message_showed(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    # The messenger sends only the files the question did not have (issue 13): it must know
    # what the question was, on a press and on the deadline alike.
    _, ada, started = await start(services)
    (posted,) = [e.screen for e in started.effects if isinstance(e, PostCard)]
    await executor.apply(started)
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    assert messenger.replaced == [posted]


async def test_a_long_answer_moves_the_card_to_its_last_message(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    _, ada, started = await start(services)
    await executor.apply(started)
    messenger.edit_takes_more = True
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    assert (await stored(services, started.quiz.id)).message_ref == "m2"
    moved = await services.quizzes.press(ada, button(shown, "Next card"), role=MEMBER)
    await executor.apply(moved, PRESS, "m2")
    assert messenger.calls[-2] == ("clear", "g", "m2", PRESS)


async def test_ratings_are_told_privately_and_the_count_refreshed_once_for_the_newest(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    _, ada, started = await start(services)
    bob = await services.learner("bob")
    await executor.apply(started)
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    ratings = [
        await services.quizzes.press(member, button(shown, rating), role=MEMBER)
        for member, rating in ((ada, "4"), (bob, "2"))
    ]
    for rated in ratings:  # applied back to back: the refresh has not run in between
        await executor.apply(rated, PRESS, "m1")
    assert [c[0] for c in messenger.calls[-2:]] == ["tell", "tell"]
    assert messenger.calls[-1] == (
        "tell",
        PRESS,
        "You rated 2/5. You can change it until the next card.",
    )
    for _ in range(5):  # let the waiting refresh run (no interval here)
        await asyncio.sleep(0)
    refreshes = [c for c in messenger.calls if c[0] == "refresh"]
    assert refreshes == [("refresh", "g", "m1", texts.QUIZ_RATED_COUNT.format(count=2))]


async def test_a_card_that_moves_on_drops_its_waiting_count_refresh(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    _, ada, started = await start(services)
    await executor.apply(started)
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    rated = await services.quizzes.press(ada, button(shown, "4"), role=MEMBER)
    moved = await services.quizzes.press(ada, button(shown, "Next card"), role=MEMBER)
    await executor.apply(rated, PRESS, "m1")
    await executor.apply(moved, PRESS, "m1")
    for _ in range(5):
        await asyncio.sleep(0)
    assert [c[0] for c in messenger.calls[-3:]] == ["tell", "clear", "send"]  # no refresh


async def test_next_closes_the_pressed_card_then_posts_the_next_as_the_card(
    services: Services,
    executor: QuizEffectExecutor[str],
    messenger: RecordingMessenger,
    scheduler: BotScheduler,
) -> None:
    _, ada, started = await start(services)
    await executor.apply(started)
    shown = await services.quizzes.press(ada, button(started, "Show answer"), role=MEMBER)
    await executor.apply(shown, PRESS, "m1")
    moved = await services.quizzes.press(ada, button(shown, "Next card"), role=MEMBER)
    await executor.apply(moved, PRESS, "m1")
    assert messenger.calls[-2:] == [("clear", "g", "m1", PRESS), ("send", "g", "m2", "Card 2/2")]
    assert (await stored(services, started.quiz.id)).message_ref == "m2"
    assert scheduler.pending() == [deadline_name(started.quiz.id)]


async def test_an_armed_deadline_moves_the_quiz_on_in_its_stored_card(
    services: Services,
    executor: QuizEffectExecutor[str],
    messenger: RecordingMessenger,
    scheduler: BotScheduler,
) -> None:
    _, _, started = await start(services, cards=1)
    await executor.apply(started)
    name = deadline_name(started.quiz.id)
    services.clock.advance(seconds=30)
    assert await scheduler.run_deadline_now(name)
    assert messenger.calls[-1] == ("edit", "g", "m1", "None", "Card 1/1")
    (posted,) = [e.screen for e in started.effects if isinstance(e, PostCard)]
    assert messenger.replaced == [posted]
    services.clock.advance(seconds=30)
    assert await scheduler.run_deadline_now(name)
    assert messenger.calls[-2:] == [
        ("clear", "g", "m1", "None"),
        ("send", "g", "m2", "Quiz finished! 1 card."),
    ]
    assert scheduler.pending() == []
    assert (await stored(services, started.quiz.id)).message_ref == "m1"  # a summary is not


async def test_stop_posts_the_summary_and_cancels_the_deadline(
    services: Services,
    executor: QuizEffectExecutor[str],
    messenger: RecordingMessenger,
    scheduler: BotScheduler,
) -> None:
    group, ada, started = await start(services)
    await executor.apply(started)
    await executor.apply(await services.quizzes.stop(group, ada, role=MEMBER))
    assert messenger.calls[-2:] == [
        ("clear", "g", "m1", "None"),
        ("send", "g", "m2", "Quiz stopped after 1 card."),
    ]
    assert scheduler.pending() == []


async def test_another_platforms_quiz_is_left_alone(
    services: Services,
    executor: QuizEffectExecutor[str],
    messenger: RecordingMessenger,
    scheduler: BotScheduler,
) -> None:
    _, _, started = await start(services)
    elsewhere = Chat(99, "elsewhere", "g", "g", True)
    await executor.apply(QuizUpdate(started.quiz, elsewhere, started.effects))
    assert messenger.calls == [] and scheduler.pending() == []


async def test_a_new_quiz_the_platform_refuses_is_abandoned(
    services: Services, executor: QuizEffectExecutor[str], messenger: RecordingMessenger
) -> None:
    group, ada, started = await start(services)
    assert isinstance(started.effects[0], PostCard)
    messenger.refuse_sends = True
    with pytest.raises(PlatformRefused):
        await executor.apply_new(started)
    async with services.store.unit_of_work() as uow:
        assert await uow.quizzes.unfinished_in(group.id) is None  # a retry starts afresh
    messenger.refuse_sends = False
    await services.quizzes.start(group, ada, DECK)
