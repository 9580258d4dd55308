"""/help and /review through the real discord.py client against the fake Discord."""

from __future__ import annotations

from typing import Any

import pytest

from core import texts
from core.personal.service import PersonalScheduleService
from core.settings.menu import SettingsChoice
from core.settings.service import SettingsService
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import (
    ADA,
    BOB,
    GENERAL,
    buttons,
    learner_of,
    review_rows,
    running,
    use_deck,
)

EPHEMERAL = 64
CARDS = b"question,answer\nCapital of France?,Paris\nCapital of Peru?,Lima\n"


def styles(message: dict[str, Any]) -> list[int]:
    return [item["style"] for row in message.get("components", []) for item in row["components"]]


def custom_id(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


async def test_help_answers_privately_with_the_commands(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(ADA, "help", GENERAL)
        reply = await fake_discord.response(interaction)
    assert "`/review`" in reply["content"]
    assert "Anki" in reply["content"]  # /deck import takes more than CSV/TSV
    assert reply["flags"] & EPHEMERAL
    assert interaction.acks == [4]


async def test_commands_are_synced_globally_at_start(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        names = {c["name"] for c in fake_discord.commands[None]}
    # Every command, always: there is no service a bot runs without.
    assert names == {
        "help",
        "review",
        "stats",
        "decks",
        "deck",
        "settings",
        "remind",
        "quiz",
        "plan",
    }


async def test_commands_go_to_the_dev_guild_when_one_is_set(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services, dev_guild_id=GENERAL.guild_id):
        assert {"help", "review"} <= {c["name"] for c in fake_discord.commands[GENERAL.guild_id]}
    assert None not in fake_discord.commands


async def test_the_gateway_and_shard_count_come_from_gateway_bot_unless_given(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        assert len(fake_discord.calls("GET", "/gateway/bot")) == 1  # asked once, not per shard
    gateway = fake_discord.gateway_url
    async with running(fake_discord, services, gateway_url=gateway, shard_count=1):
        assert len(fake_discord.calls("GET", "/gateway/bot")) == 1  # not asked again
        assert fake_discord.sessions  # connected all the same


async def test_a_review_in_a_server_runs_privately_from_question_to_next_card(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        start = await fake_discord.slash(ADA, "review", GENERAL)
        question = await fake_discord.response(start)
        assert question["flags"] & EPHEMERAL
        assert "Capital of" in question["content"]
        assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]
        # The core marks Show answer as the main action (primary, 1); ratings are plain (2).
        assert styles(question) == [1]

        reveal = await fake_discord.press(
            ADA, int(question["id"]), custom_id(question, texts.SHOW_ANSWER)
        )
        answer = await fake_discord.response(reveal)
        assert reveal.acks == [7]  # updated in place
        assert styles(answer) == [2] * 5
        assert answer["id"] == question["id"]
        assert [label for label, _ in buttons(answer)] == ["1", "2", "3", "4", "5"]

        rate = await fake_discord.press(ADA, int(answer["id"]), custom_id(answer, "4"))
        rated = await fake_discord.response(rate)
        (next_card,) = await fake_discord.followups(rate, 1)
    assert "Rated 4/5" in rated["content"]
    assert buttons(rated) == []
    assert next_card["flags"] & EPHEMERAL
    assert [label for label, _ in buttons(next_card)] == [texts.SHOW_ANSWER]
    assert review_rows(services) == 1


async def test_a_review_in_a_dm_is_a_normal_message(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    await use_deck(services, dm, CARDS)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", dm))
    assert not question["flags"] & EPHEMERAL
    assert "Capital of" in question["content"]


async def test_public_review_in_a_server_is_seen_by_the_channel(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        start = await fake_discord.slash(ADA, "review", GENERAL, public=True)
        question = await fake_discord.response(start)
    assert not question["flags"] & EPHEMERAL


async def test_the_settings_choice_makes_server_reviews_public_unless_asked_otherwise(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    ada = await learner_of(services, ADA)
    await SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    ).press(ada, SettingsChoice(ada.id, "pub", "1").encode())
    async with running(fake_discord, services):
        by_setting = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        asked_private = await fake_discord.response(
            await fake_discord.slash(ADA, "review", GENERAL, public=False)
        )
    assert not by_setting["flags"] & EPHEMERAL
    assert asked_private["flags"] & EPHEMERAL


async def test_a_press_by_another_user_is_refused_privately_and_changes_nothing(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        start = await fake_discord.slash(ADA, "review", GENERAL, public=True)
        question = await fake_discord.response(start)
        show = custom_id(question, texts.SHOW_ANSWER)
        press = await fake_discord.press(BOB, int(question["id"]), show)
        refusal = await fake_discord.response(press)
        # Ada's own press still works: Bob's changed nothing.
        mine = await fake_discord.response(await fake_discord.press(ADA, int(question["id"]), show))
    assert refusal["content"] == texts.NOT_YOURS
    assert refusal["flags"] & EPHEMERAL
    assert refusal["id"] != question["id"]
    assert [label for label, _ in buttons(mine)] == ["1", "2", "3", "4", "5"]


async def test_a_double_press_rates_once(fake_discord: FakeDiscord, services: Services) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        show = custom_id(question, texts.SHOW_ANSWER)
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        five = custom_id(answer, "5")
        # Both presses come from the same (not yet updated) message.
        first = await fake_discord.press(ADA, int(answer["id"]), five)
        second = await fake_discord.press(ADA, int(answer["id"]), five)
        await fake_discord.response(first)
        refusals = [await fake_discord.response(second)]
    assert review_rows(services) == 1
    assert refusals[0]["content"] in (texts.ALREADY_RATED, texts.OLD_BUTTON)


async def test_a_stale_press_on_an_older_review_is_refused(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        old = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        press = await fake_discord.press(ADA, int(old["id"]), custom_id(old, texts.SHOW_ANSWER))
        refusal = await fake_discord.response(press)
    assert refusal["content"] == texts.OLD_BUTTON
    assert review_rows(services) == 0


async def test_a_forged_custom_id_is_refused(fake_discord: FakeDiscord, services: Services) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        real = custom_id(question, texts.SHOW_ANSWER)
        forged = {"r.zz.1.show", "r.1.1.rate9", "hello", real.replace(".show", ".rate5")}
        replies = []
        for data in sorted(forged):
            row = question["components"][0]["components"]
            row[0]["custom_id"] = data  # a message whose button was tampered with
            replies.append(
                await fake_discord.response(
                    await fake_discord.press(ADA, int(question["id"]), data)
                )
            )
    assert all(r["flags"] & EPHEMERAL for r in replies)
    assert {r["content"] for r in replies} <= {
        texts.OLD_BUTTON,
        texts.NOT_REVEALED,
        "This button is not one of mine.",
    }
    assert review_rows(services) == 0


async def test_buttons_keep_working_after_a_restart(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
    async with running(fake_discord, services):
        press = await fake_discord.press(
            ADA, int(question["id"]), custom_id(question, texts.SHOW_ANSWER)
        )
        answer = await fake_discord.response(press)
    assert [label for label, _ in buttons(answer)] == ["1", "2", "3", "4", "5"]


async def test_a_5000_character_answer_is_split_with_buttons_on_the_last_part(
    fake_discord: FakeDiscord, services: Services
) -> None:
    long_answer = " ".join(["word"] * 1000)  # 4,999 characters on one line
    await use_deck(services, GENERAL, f"question,answer\nLong one?,{long_answer}\n".encode())
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        press = await fake_discord.press(
            ADA, int(question["id"]), custom_id(question, texts.SHOW_ANSWER)
        )
        first = await fake_discord.response(press)
        await fake_discord.wait_until(
            lambda: any(buttons(fake_discord.messages[i]) for i in press.followup_ids)
        )
        rest = [fake_discord.messages[i] for i in press.followup_ids]
    parts = [first, *rest]
    assert all(len(p["content"]) <= 2000 for p in parts)
    assert len(parts) >= 3
    assert [bool(buttons(p)) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert all(p["flags"] & EPHEMERAL for p in rest)
    assert "".join(p["content"] for p in parts).count("word") == 1000


async def test_markdown_and_mentions_in_cards_are_shown_literally(
    fake_discord: FakeDiscord, services: Services
) -> None:
    tricky = "**bold?** _x_ @everyone <@123>\n# heading?\n1. item"
    await use_deck(services, GENERAL, f'question,answer\n"{tricky}",ok\n'.encode())
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
    content = question["content"]
    assert r"**\*\*bold?\*\* \_x\_ @everyone \<@123\>**" in content
    assert r"**\# heading?**" in content
    assert r"**1\. item**" in content
    sent = fake_discord.calls("POST", r"/interactions/\d+/[^/]+/callback")[-1].body
    assert sent["data"]["allowed_mentions"] == {"parse": []}  # nobody is pinged


async def test_an_unexpected_failure_is_logged_and_answered_kindly(
    fake_discord: FakeDiscord,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await use_deck(services, GENERAL, CARDS)

    async def broken(chat_id: int) -> list[str]:
        raise RuntimeError("the disk is on fire")

    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        monkeypatch.setattr(services.library, "active_deck_ids", broken)
        monkeypatch.setattr(services.reviews, "press", broken)
        command = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        show = custom_id(question, texts.SHOW_ANSWER)
        press = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
    for reply in (command, press):
        assert reply["content"] == texts.SOMETHING_WENT_WRONG
        assert reply["flags"] & EPHEMERAL
    assert caplog.text.count("the disk is on fire") == 2
    assert "unhandled error in interaction" in caplog.text


async def test_when_nothing_is_due_the_review_says_when_the_next_card_is(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, CARDS)
    async with running(fake_discord, services):
        card = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        for _ in range(2):
            answer = await fake_discord.response(
                await fake_discord.press(ADA, int(card["id"]), custom_id(card, texts.SHOW_ANSWER))
            )
            rate = await fake_discord.press(ADA, int(answer["id"]), custom_id(answer, "5"))
            (card,) = await fake_discord.followups(rate, 1)
    assert texts.ALL_DONE in card["content"] and "The next card is due" in card["content"]
    assert buttons(card) == []
    assert review_rows(services) == 2
