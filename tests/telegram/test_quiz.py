"""/quiz and /stop in a group through the real Application polling the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from adapters.scheduling import BotScheduler
from adapters.telegram import quiz_handlers
from adapters.telegram.quiz_handlers import deadline_name, parse_quiz_args
from core import texts
from core.actions import parse_token
from core.permissions import OPERATOR
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.telegram.chat_harness import (
    ADA,
    BOB,
    GROUP,
    PRIVATE,
    after,
    buttons,
    running,
    running_bot,
)
from tests.telegram.fake_bot_api import FakeBotApi, TgUser

CAROL = TgUser(503, "Carol", "carol")


@pytest.fixture(autouse=True)
def quick_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The "N rated" refresh waits 3 s in production; a fifth of a second is enough here."""
    monkeypatch.setattr(quiz_handlers, "RATED_REFRESH_SECONDS", 0.2)


def last(fake: FakeBotApi) -> dict[str, Any]:
    return fake.sent_messages(GROUP.id)[-1]


def data_of(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


def quiz_id_of(message: dict[str, Any]) -> int:
    return parse_token(buttons(message)[0][1]).subject_id


async def start_quiz(fake: FakeBotApi, args: str, user: TgUser = ADA) -> dict[str, Any]:
    await after(fake, "sendMessage", lambda: fake.push_command(GROUP, user, "quiz", args))
    return last(fake)


async def press(
    fake: FakeBotApi, user: TgUser, message: dict[str, Any], label: str
) -> dict[str, Any]:
    """Press a button and return the bot's answer to the callback query."""
    data = data_of(message, label)
    mid = message["message_id"]
    return await after(  # type: ignore[no-any-return]
        fake, "answerCallbackQuery", lambda: fake.press_button(GROUP, user, mid, data)
    )


async def eventually(check: Any, timeout: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.02)


async def rating_keyboard(fake: FakeBotApi) -> dict[str, Any]:
    """The last message, once it carries the rating keyboard (it is edited after the answer)."""
    await eventually(lambda: texts.QUIZ_NEXT in dict(buttons(last(fake))))
    return last(fake)


def quiz_reviews(services: Services) -> list[tuple[str, int]]:
    rows = committed_rows(
        services.store,
        "SELECT l.platform_user_id, r.rating FROM review_log r"
        " JOIN learners l ON l.id = r.learner_id WHERE r.source = 'quiz'"
        " ORDER BY l.platform_user_id",
    )
    return [(str(user), int(rating)) for user, rating in rows]


def test_quiz_arguments_are_a_deck_name_then_counts() -> None:
    assert parse_quiz_args([]) == ("", 10, 30)
    assert parse_quiz_args(["5"]) == ("", 5, 30)
    assert parse_quiz_args(["Neural", "nets", "3", "20"]) == ("Neural nets", 3, 20)
    assert parse_quiz_args(["Deck", "2024", "3", "20"]) == ("Deck 2024", 3, 20)


async def test_a_group_quiz_with_three_members(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake, scheduler = fake_bot_api, BotScheduler(services.clock)
    async with running(fake, services, deadlines=scheduler):
        question = await start_quiz(fake, "2 10")
        quiz_id = quiz_id_of(question)
        assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]
        assert "The answer appears in 10 s" in question["text"]
        await eventually(lambda: scheduler.pending() == [deadline_name(quiz_id)])

        # Nobody shows it: the deadline reveals the answer in place.
        services.clock.advance(seconds=10)
        assert await scheduler.run_deadline_now(deadline_name(quiz_id))
        answer = fake.sent_messages(GROUP.id)[-1]
        assert answer["message_id"] == question["message_id"]
        assert [label for label, _ in buttons(answer)] == ["1", "2", "3", "4", "5", "Next card"]

        notices = [
            await press(fake, BOB, answer, "4"),
            await press(fake, CAROL, answer, "2"),
            await press(fake, ADA, answer, "5"),
        ]
        assert [n.get("text") for n in notices] == [
            texts.QUIZ_RATED.format(rating=r) for r in (4, 2, 5)
        ]
        await eventually(lambda: "3 rated" in last(fake)["text"])
        # Three ratings, at most two refreshes: the first at once, the rest coalesced.
        assert len(fake.calls_to("editMessageText")) <= 3

        await press(fake, ADA, last(fake), "Next card")
        await eventually(lambda: last(fake)["message_id"] != answer["message_id"])
        closed = fake.state.message(GROUP.id, answer["message_id"])
        assert "reply_markup" not in closed or not buttons(closed)  # no presses on a closed card
        assert quiz_reviews(services) == [("501", 5), ("502", 4), ("503", 2)]

        second = last(fake)
        assert texts.QUIZ_CARD.format(number=2, total=2) in second["text"]
        await press(fake, ADA, second, texts.SHOW_ANSWER)
        await press(fake, ADA, await rating_keyboard(fake), "Next card")
        await eventually(lambda: texts.QUIZ_FINISHED.format(cards="2 cards") in last(fake)["text"])
        summary = last(fake)["text"]
        assert all(name in summary for name in ("Ada", "Bob", "Carol"))
        assert texts.QUIZ_HARDEST in summary
        assert scheduler.pending() == []


async def test_only_the_starter_or_an_admin_moves_the_quiz_on(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [CAROL])
    async with running(fake, services, deadlines=BotScheduler(services.clock)):
        question = await start_quiz(fake, "3 30")
        refused = await press(fake, BOB, question, texts.SHOW_ANSWER)
        assert refused["text"] == texts.QUIZ_ONLY_STARTER_SHOW.format(starter="Ada")
        assert refused["show_alert"] is True
        said = await after(fake, "sendMessage", lambda: fake.push_command(GROUP, BOB, "stop"))
        assert said["text"] == texts.QUIZ_ONLY_STARTER_STOP.format(starter="Ada")
        again = await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "quiz"))
        assert again["text"] == "A quiz is already running in this chat. Stop it first with /stop."
        stopped = await after(fake, "sendMessage", lambda: fake.push_command(GROUP, CAROL, "stop"))
        assert texts.QUIZ_STOPPED.format(cards="1 card") in stopped["text"]
        none = await after(fake, "sendMessage", lambda: fake.push_command(GROUP, CAROL, "stop"))
        assert none["text"] == texts.QUIZ_NONE_RUNNING


async def test_bad_quiz_requests_get_clear_answers(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):

        async def said(chat: Any, args: str) -> str:
            params = await after(
                fake, "sendMessage", lambda: fake.push_command(chat, ADA, "quiz", args)
            )
            return str(params["text"])

        assert await said(PRIVATE, "") == "Group quizzes run in groups. Use /review here."
        assert await said(GROUP, "Klingon 3") == texts.UNKNOWN_DECK.format(name="Klingon")
        assert await said(GROUP, "99") == "A quiz has 1 to 50 cards."
        assert await said(GROUP, "3 5") == texts.QUIZ_SECONDS.format(min=10, max=600)
        forged = await after(
            fake,
            "answerCallbackQuery",
            lambda: fake.press_button(GROUP, BOB, 1, "q.zz.1.rate3", strict=False),
        )
        assert forged["text"] == texts.QUIZ_RATING_CLOSED and forged["show_alert"] is True
    assert quiz_reviews(services) == []


async def test_a_changed_rating_counts_once_and_a_late_one_is_refused(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services, deadlines=BotScheduler(services.clock)):
        question = await start_quiz(fake, "2 30")
        await press(fake, ADA, question, texts.SHOW_ANSWER)
        answer = await rating_keyboard(fake)
        await press(fake, BOB, answer, "2")
        await press(fake, BOB, answer, "5")
        await eventually(lambda: "1 rated" in last(fake)["text"])
        await press(fake, ADA, answer, "Next card")
        # Bob's client still shows the old keyboard for a moment: his late press changes nothing.
        late = await after(
            fake,
            "answerCallbackQuery",
            lambda: fake.press_button(
                GROUP, BOB, answer["message_id"], data_of(answer, "1"), strict=False
            ),
        )
        assert late["text"] == texts.QUIZ_RATING_CLOSED
    assert quiz_reviews(services) == [("502", 5)]


async def test_a_restart_re_arms_a_running_quiz_and_ends_an_abandoned_one(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services, deadlines=BotScheduler(services.clock)):
        quiz_id = quiz_id_of(await start_quiz(fake, "3 60"))

    restarted = BotScheduler(services.clock)
    async with running(fake, services, deadlines=restarted):
        assert restarted.pending() == [deadline_name(quiz_id)]  # resumed: its deadline is ahead
        services.clock.advance(seconds=60)
        assert await restarted.run_deadline_now(deadline_name(quiz_id))
        assert [label for label, _ in buttons(last(fake))][:5] == ["1", "2", "3", "4", "5"]

    services.clock.advance(hours=1)  # down for an hour: too late to resume
    before = len(fake.calls_to("sendMessage"))
    later = BotScheduler(services.clock)
    async with running(fake, services, deadlines=later):
        await fake.wait_for("sendMessage", count=before + 1)
        assert texts.QUIZ_RESTARTED.format(cards="1 card") in last(fake)["text"]
        assert later.pending() == []


async def test_a_five_thousand_character_answer_is_split_with_the_keyboard_last(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    answer_text = "\n".join(f"line {i:04d} <&> " + "x" * 40 for i in range(100))  # ≈ 5,500
    async with running(fake, services, deadlines=BotScheduler(services.clock)):
        group = await _group_chat_id(services)
        summary = await services.library.import_deck(
            f'question,answer\nLong one?,"{answer_text}"\n'.encode(), "Long", group, role=OPERATOR
        )
        question = await start_quiz(fake, f"{summary.deck.name} 1 30")
        await press(fake, ADA, question, texts.SHOW_ANSWER)
        await rating_keyboard(fake)
        first, second = fake.sent_messages(GROUP.id)
        assert buttons(first) == [] and [b for b, _ in buttons(second)][:5] == list("12345")
        shown = first["text"] + second["text"]
        assert "line 0000 <&>" in shown and "line 0099 <&>" in shown
        await press(fake, BOB, second, "3")  # the keyboard's message is the quiz message now
        await eventually(lambda: "1 rated" in last(fake)["text"])
        await press(fake, ADA, second, "4")
        await eventually(lambda: "2 rated" in last(fake)["text"])
        # Refreshing the count re-sends nothing: still the same two messages.
        assert [m["message_id"] for m in fake.sent_messages(GROUP.id)] == [
            first["message_id"],
            second["message_id"],
        ]
        assert fake.sent_messages(GROUP.id)[0]["text"] == first["text"]


async def _group_chat_id(services: Services) -> int:
    async with services.store.unit_of_work() as uow:
        return (await uow.chats.ensure("telegram", str(GROUP.id), "Study group", True)).id


async def test_a_card_both_raters_have_rated_moves_on_without_the_full_timer(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake, scheduler = fake_bot_api, BotScheduler(services.clock)
    async with running(fake, services, deadlines=scheduler):
        question = await start_quiz(fake, "3 30")
        name = deadline_name(quiz_id_of(question))
        # Card 1 says who plays: rated by both, it waits for its timer or the starter.
        await press(fake, ADA, question, texts.SHOW_ANSWER)
        answer = await rating_keyboard(fake)
        assert texts.QUIZ_NEXT_IN.format(seconds=30) in answer["text"]
        timer = services.clock.now() + timedelta(seconds=30)
        await press(fake, ADA, answer, "4")
        await press(fake, BOB, answer, "3")
        assert scheduler.armed_at(name) == timer
        await press(fake, ADA, answer, texts.QUIZ_NEXT)
        await eventually(lambda: last(fake)["message_id"] != answer["message_id"])
        question2 = last(fake)
        assert texts.QUIZ_CARD.format(number=2, total=3) in question2["text"]

        await press(fake, ADA, question2, texts.SHOW_ANSWER)
        answer2 = await rating_keyboard(fake)
        assert texts.QUIZ_NEXT_WHEN.format(seconds=30) in answer2["text"]
        assert scheduler.armed_at(name) == services.clock.now() + timedelta(seconds=30)
        await press(fake, ADA, answer2, "4")
        await press(fake, BOB, answer2, "3")
        # Both have rated: the card closes 3 s from now, not when its 30 s run out.
        soon = services.clock.now() + timedelta(seconds=3)
        await eventually(lambda: scheduler.armed_at(name) == soon)
        services.clock.advance(seconds=3)
        assert await scheduler.run_deadline_now(name)
        await eventually(lambda: last(fake)["message_id"] != answer2["message_id"])
        assert texts.QUIZ_CARD.format(number=3, total=3) in last(fake)["text"]
        assert quiz_reviews(services) == [("501", 4), ("501", 4), ("502", 3), ("502", 3)]


async def test_every_quiz_press_is_answered_once_before_its_card_changes(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api

    shows = {"answerCallbackQuery", "editMessageText", "editMessageReplyMarkup", "sendMessage"}

    async def calls_of(user: TgUser, message: dict[str, Any], label: str, count: int) -> list[str]:
        """What the bot shows for the press (not its polls or admin checks), once it made `count`
        such calls."""
        before = len(fake.calls)

        def made() -> list[str]:
            return [c.method for c in fake.calls[before:] if c.method in shows]

        await press(fake, user, message, label)
        await eventually(lambda: len(made()) >= count)
        return made()

    async with running(fake, services, deadlines=BotScheduler(services.clock)):
        question = await start_quiz(fake, "2 30")
        shown = await calls_of(ADA, question, texts.SHOW_ANSWER, 2)
        assert shown == ["answerCallbackQuery", "editMessageText"]
        answer = await rating_keyboard(fake)
        rated = await calls_of(BOB, answer, "4", 2)
        assert rated == ["answerCallbackQuery", "editMessageText"]  # the notice, then the count
        moved = await calls_of(ADA, answer, texts.QUIZ_NEXT, 3)
        assert moved == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]


async def test_a_deadline_whose_timer_died_with_its_worker_is_moved_on_by_the_sweep(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    """The quiz's timer was armed in a worker that died; this worker's minutely sweep reveals
    the answer once the deadline is overdue, and arms the next deadline here."""
    fake, scheduler = fake_bot_api, BotScheduler(services.clock)
    async with running_bot(fake, services, deadlines=scheduler) as bot:
        question = await start_quiz(fake, "2 10")
        quiz_id = quiz_id_of(question)
        await eventually(lambda: scheduler.pending() == [deadline_name(quiz_id)])
        scheduler.cancel(deadline_name(quiz_id))  # the timer is gone with its worker
        services.clock.advance(seconds=10 + 30)
        assert await bot.sweep_deadlines() == 0  # within the slack the timer would have fired
        services.clock.advance(seconds=1)
        assert await bot.sweep_deadlines() == 1
        answer = last(fake)
        assert answer["message_id"] == question["message_id"]
        assert [label for label, _ in buttons(answer)] == ["1", "2", "3", "4", "5", "Next card"]
        assert scheduler.pending() == [deadline_name(quiz_id)]  # the answer's deadline, here
        assert await bot.sweep_deadlines() == 0
