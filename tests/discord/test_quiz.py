"""Group quizzes in a server channel with three members, through discord.py."""

from __future__ import annotations

import datetime as dtm
from datetime import timedelta
from typing import Any

from adapters.discord import texts
from adapters.discord.quiz_handlers import deadline_name
from adapters.scheduling import BotScheduler
from bot.run import daily_pushes
from core import texts as core_texts
from core.actions import parse_token
from core.permissions import OPERATOR
from core.quiz.rules import QUIZ_CARDS, QUIZ_SECONDS
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import MANAGE_MESSAGES, MEMBER_PERMISSIONS
from tests.discord.harness import (
    ADA,
    BOB,
    CAT,
    GENERAL,
    buttons,
    core_chat_id,
    eventually,
    running,
    running_bot,
    use_deck,
)

EPHEMERAL = 64
CARDS = b"question,answer\nFrance?,Paris\nPeru?,Lima\nChad?,N'Djamena\n"


def quiz_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The bot's quiz messages in #general (not interaction answers), oldest first."""
    return [m for m in fake.messages_in(GENERAL) if m["embeds"] and not m["flags"] & EPHEMERAL]


def description(message: dict[str, Any]) -> str:
    return "\n".join(e.get("description") or "" for e in message["embeds"])


def quiz_reviews(services: Services) -> list[tuple[str, int]]:
    rows = committed_rows(
        services.store,
        "SELECT l.display_name, r.rating FROM review_log r"
        " JOIN learners l ON l.id = r.learner_id WHERE r.source = 'quiz'"
        " ORDER BY l.display_name",
    )
    return [(str(name), int(rating)) for name, rating in rows]


async def start(fake: FakeDiscord, **options: Any) -> dict[str, Any]:
    ack = await fake.response(await fake.slash(ADA, "quiz start", GENERAL, **options))
    assert ack["flags"] & EPHEMERAL, ack
    await fake.wait_until(lambda: bool(quiz_messages(fake)))
    return quiz_messages(fake)[-1]


async def test_three_members_play_a_quiz_to_its_summary(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    scheduler = BotScheduler(services.clock)
    async with running(fake_discord, services, deadlines=scheduler):
        question = await start(fake_discord, cards=2, seconds=30)
        quiz_id = parse_token(buttons(question)[0][1]).subject_id
        deadline = int(services.clock.now().timestamp()) + 30
        assert f"<t:{deadline}:R>" in description(question)
        assert "Card 1/2" in description(question)
        await eventually(lambda: scheduler.pending() == [deadline_name(quiz_id)])

        show = dict(buttons(question))[core_texts.SHOW_ANSWER]
        refusal = await fake_discord.response(
            await fake_discord.press(BOB, int(question["id"]), show)
        )
        assert refusal["content"] == core_texts.QUIZ_ONLY_STARTER_SHOW.format(starter="Ada")

        reveal = await fake_discord.press(ADA, int(question["id"]), show)
        answer = await fake_discord.response(reveal)
        assert reveal.acks == [7] and answer["id"] == question["id"]
        labels = [label for label, _ in buttons(answer)]
        assert labels == ["1", "2", "3", "4", "5", core_texts.QUIZ_NEXT]
        assert [len(row["components"]) for row in answer["components"]] == [5, 1]

        for user, rating in ((ADA, "4"), (BOB, "2"), (CAT, "5")):
            press = await fake_discord.press(user, int(answer["id"]), dict(buttons(answer))[rating])
            notice = await fake_discord.response(press)
            assert notice["content"] == core_texts.QUIZ_RATED.format(rating=int(rating))
            assert notice["flags"] & EPHEMERAL
        await fake_discord.wait_until(
            lambda: "3 rated so far" in description(fake_discord.messages[int(answer["id"])])
        )

        # The time runs out: the next card comes; the rated card keeps no buttons.
        assert await scheduler.run_deadline_now(deadline_name(quiz_id))
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 2)
        assert buttons(fake_discord.messages[int(answer["id"])]) == []
        second = quiz_messages(fake_discord)[-1]
        assert "Card 2/2" in description(second)

        stop = await fake_discord.response(await fake_discord.slash(ADA, "quiz stop", GENERAL))
        assert stop["content"] == texts.QUIZ_STOP_DONE
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 3)
    summary = quiz_messages(fake_discord)[-1]
    assert summary["embeds"][0]["title"] == core_texts.QUIZ_STOPPED.format(cards="2 cards")
    for name in ("Ada", "Bob", "Cat"):
        assert name in description(summary)
    assert buttons(second) == [] or buttons(fake_discord.messages[int(second["id"])]) == []
    assert quiz_reviews(services) == [("Ada", 4), ("Bob", 2), ("Cat", 5)]
    assert scheduler.pending() == []


async def test_only_the_starter_or_message_managers_stop_a_quiz(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        await start(fake_discord)
        refused = await fake_discord.response(await fake_discord.slash(BOB, "quiz stop", GENERAL))
        moderator = MEMBER_PERMISSIONS | MANAGE_MESSAGES
        stopped = await fake_discord.response(
            await fake_discord.slash(CAT, "quiz stop", GENERAL, permissions=moderator)
        )
        again = await fake_discord.response(await fake_discord.slash(ADA, "quiz stop", GENERAL))
    assert refused["content"] == core_texts.QUIZ_ONLY_STARTER_STOP.format(starter="Ada")
    assert stopped["content"] == texts.QUIZ_STOP_DONE
    assert again["content"] == core_texts.QUIZ_NONE_RUNNING


async def test_a_second_quiz_is_refused_with_the_discord_command(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        await start(fake_discord)
        second = await fake_discord.response(await fake_discord.slash(BOB, "quiz start", GENERAL))
    assert second["content"].endswith("Stop it first with /quiz stop.")


async def test_a_running_quiz_resumes_after_a_restart(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services, deadlines=BotScheduler(services.clock)):
        question = await start(fake_discord, cards=2)
    quiz_id = parse_token(buttons(question)[0][1]).subject_id
    scheduler = BotScheduler(services.clock)
    async with running(fake_discord, services, deadlines=scheduler):
        await eventually(lambda: scheduler.pending() == [deadline_name(quiz_id)])
        show = dict(buttons(question))[core_texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
    assert core_texts.QUIZ_NEXT in dict(buttons(answer))


async def test_a_long_answer_spreads_over_embeds_within_discord_limits(
    fake_discord: FakeDiscord, services: Services
) -> None:
    long_answer = "z" * 9000
    await use_deck(services, GENERAL, f"question,answer\nLong?,{long_answer}\n".encode())
    async with running(fake_discord, services):
        question = await start(fake_discord, cards=1)
        show = dict(buttons(question))[core_texts.SHOW_ANSWER]
        await fake_discord.response(await fake_discord.press(ADA, int(question["id"]), show))
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 2)
        last = quiz_messages(fake_discord)[-1]
        for user in (ADA, BOB):
            await fake_discord.response(
                await fake_discord.press(user, int(last["id"]), dict(buttons(last))["3"])
            )
        await fake_discord.wait_until(lambda: "2 rated so far" in description(last))
    assert len(quiz_messages(fake_discord)) == 2  # the refreshed count posted nothing new
    first, second = quiz_messages(fake_discord)
    assert buttons(fake_discord.messages[int(first["id"])]) == []
    assert core_texts.QUIZ_NEXT in dict(buttons(second))
    shown = description(fake_discord.messages[int(first["id"])]) + description(second)
    assert shown.count("z") == 9000


async def test_a_channel_daily_push_is_a_short_quiz(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    chat = await core_chat_id(services, GENERAL)
    await services.reminders.subscribe(chat, None, dtm.time(8, 0), "Europe/Berlin", role=OPERATOR)
    services.clock.set(dtm.datetime(2026, 11, 3, 7, 0, tzinfo=dtm.UTC))
    scheduler = BotScheduler(services.clock)
    async with running_bot(fake_discord, services, deadlines=scheduler) as bot:
        await daily_pushes(services.reminders, [bot])()
        await fake_discord.wait_until(lambda: bool(quiz_messages(fake_discord)))
    (question,) = quiz_messages(fake_discord)
    assert "Card 1/3" in description(question)
    assert core_texts.DAILY_HOST in description(question)


async def test_a_channel_the_bot_may_not_post_in_gets_a_clear_answer_and_no_stuck_quiz(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    missing = {"message": "Missing Permissions", "code": 50013}
    fake_discord.fail_next("POST", r"/channels/\d+/messages", 403, missing)
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(ADA, "quiz start", GENERAL)
        await fake_discord.response(interaction)
        (told,) = await fake_discord.followups(interaction, 1)
        assert told["content"] == texts.MISSING_PERMISSIONS and told["flags"] & EPHEMERAL
        await start(fake_discord)  # with the permission granted: a new quiz, not "running"


async def test_the_started_note_shows_the_deck_name_literally(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS, name="**Capitals** <@1>")
    async with running(fake_discord, services):
        ack = await fake_discord.response(await fake_discord.slash(ADA, "quiz start", GENERAL))
    deck = r"\*\*Capitals\*\* \<@1\>"
    assert ack["content"] == texts.QUIZ_STARTED.format(cards="3 cards", deck=deck)


async def test_a_card_both_raters_have_rated_moves_on_without_the_full_timer(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    scheduler = BotScheduler(services.clock)

    async def show_and_rate(question: dict[str, Any]) -> dict[str, Any]:
        show = dict(buttons(question))[core_texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        assert scheduler.armed_at(name) == services.clock.now() + timedelta(seconds=30)
        for user, rating in ((ADA, "4"), (BOB, "2")):
            press = await fake_discord.press(user, int(answer["id"]), dict(buttons(answer))[rating])
            await fake_discord.response(press)
        return answer

    async with running(fake_discord, services, deadlines=scheduler):
        question = await start(fake_discord, cards=3, seconds=30)
        name = deadline_name(parse_token(buttons(question)[0][1]).subject_id)
        # Card 1 says who plays: rated by both, it runs its full timer.
        answer = await show_and_rate(question)
        assert core_texts.QUIZ_NEXT_IN.format(seconds=30) in description(answer)
        assert scheduler.armed_at(name) == services.clock.now() + timedelta(seconds=30)
        assert await scheduler.run_deadline_now(name)
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 2)

        answer2 = await show_and_rate(quiz_messages(fake_discord)[-1])
        assert core_texts.QUIZ_NEXT_WHEN.format(seconds=30) in description(answer2)
        # Both have rated: the card closes 3 s from now, not when its 30 s run out.
        soon = services.clock.now() + timedelta(seconds=3)
        await eventually(lambda: scheduler.armed_at(name) == soon)
        services.clock.advance(seconds=3)
        assert await scheduler.run_deadline_now(name)
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 3)
        assert "Card 3/3" in description(quiz_messages(fake_discord)[-1])
    assert quiz_reviews(services) == [("Ada", 4), ("Ada", 4), ("Bob", 2), ("Bob", 2)]


async def test_a_refused_press_gets_a_private_reason_naming_who_may(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        question = await start(fake_discord, cards=2)
        show = dict(buttons(question))[core_texts.SHOW_ANSWER]
        refused_show = await fake_discord.press(BOB, int(question["id"]), show)
        said_show = await fake_discord.response(refused_show)
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        next_card = dict(buttons(answer))[core_texts.QUIZ_NEXT]
        refused_next = await fake_discord.press(BOB, int(answer["id"]), next_card)
        said_next = await fake_discord.response(refused_next)
        moderator = MEMBER_PERMISSIONS | MANAGE_MESSAGES
        moved = await fake_discord.press(CAT, int(answer["id"]), next_card, permissions=moderator)
        await fake_discord.wait_until(lambda: len(quiz_messages(fake_discord)) == 2)
    for press, said, text in (
        (refused_show, said_show, core_texts.QUIZ_ONLY_STARTER_SHOW),
        (refused_next, said_next, core_texts.QUIZ_ONLY_STARTER_NEXT),
    ):
        assert press.acks == [4] and said["flags"] & EPHEMERAL
        assert said["content"] == text.format(starter="Ada")
    assert said_show["content"] == "Only Ada or a moderator can show the answer."
    assert moved.acks == [7]


async def test_quiz_options_are_the_cores_numbers_and_quizzes_are_not_offered_in_dms(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        [quiz] = [c for c in fake_discord.commands[None] if c["name"] == "quiz"]
    [start] = [option for option in quiz["options"] if option["name"] == "start"]
    numbers = {o["name"]: o for o in start["options"] if o["name"] in ("cards", "seconds")}
    bounds = {"cards": QUIZ_CARDS, "seconds": QUIZ_SECONDS}
    for name, option in numbers.items():
        rule = bounds[name]
        assert (option["min_value"], option["max_value"]) == (rule.low, rule.high)
        assert f"(default {rule.default})" in option["description"]
    assert quiz["dm_permission"] is False
