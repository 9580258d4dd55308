"""Leech rescue on Discord through the real discord.py client and the fake Discord: the leech's
buttons at the rating, the hint modal (checked as Discord checks modals) and its submission, the
hint under the question before the answer, and suspension."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core import texts
from core.leeches.model import MAX_HINT_CHARS
from core.permissions import OPERATOR
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord, Interaction
from tests.discord.harness import ADA, BOB, GENERAL, buttons, core_chat_id, learner_of, running
from tests.leech_cards import nearly_leech

EPHEMERAL = 64


def custom_id(message: dict[str, Any], label: str) -> str:
    return dict(buttons(message))[label]


async def lapse_into_leech(fake: FakeDiscord) -> dict[str, Any]:
    """/review, show, rate 1: the rated message, a leech now."""
    question = await fake.response(await fake.slash(ADA, "review", GENERAL))
    assert "Capital of Peru?" in question["content"]
    reveal = await fake.press(ADA, int(question["id"]), custom_id(question, texts.SHOW_ANSWER))
    answer = await fake.response(reveal)
    return await fake.response(await fake.press(ADA, int(answer["id"]), custom_id(answer, "1")))


async def open_hint_modal(fake: FakeDiscord, rated: dict[str, Any]) -> Interaction:
    pressed = await fake.press(ADA, int(rated["id"]), custom_id(rated, texts.LEECH_HINT_BUTTON))
    await fake.wait_until(lambda: pressed.acks)
    assert pressed.acks == [9]  # the modal is the interaction's one response
    return pressed


async def next_question(fake: FakeDiscord, services: Services) -> str:
    services.clock.advance(days=2)
    question = await fake.response(await fake.slash(ADA, "review", GENERAL))
    return str(question["content"])


async def test_a_leech_hint_from_the_modal_shows_before_the_answer(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, GENERAL), ada.id)
    async with running(fake_discord, services):
        rated = await lapse_into_leech(fake_discord)
        assert texts.LEECH_FLAGGED.format(lapses=6) in rated["content"]
        assert [label for label, _ in buttons(rated)] == [
            texts.LEECH_HINT_BUTTON,
            texts.LEECH_SUSPEND_BUTTON,
        ]
        pressed = await open_hint_modal(fake_discord, rated)
        modal = pressed.modal
        assert modal is not None and modal["title"] == texts.HINT_MODAL_TITLE
        (field,) = modal["components"][0]["components"]
        assert field["max_length"] == MAX_HINT_CHARS and field["style"] == 2
        submitted = await fake_discord.submit_modal(pressed, {"hint": "Lima, like a llama"})
        saved = await fake_discord.response(submitted)
        assert saved["content"] == texts.HINT_SAVED and saved["flags"] & EPHEMERAL
        assert fake_discord.problems() == []
        question = await next_question(fake_discord, services)
        # Pressing again offers the hint as it stands, to edit.
        again = await open_hint_modal(fake_discord, rated)
    assert again.modal is not None
    assert again.modal["components"][0]["components"][0]["value"] == "Lima, like a llama"
    assert "Your hint: Lima, like a llama" in question
    assert question.index("Capital of Peru?") < question.index("Your hint")
    assert "Lima\n" not in question.replace("Lima, like", "")  # the answer is not shown yet


async def test_a_blank_hint_is_refused_and_others_cannot_use_the_buttons(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, GENERAL), ada.id)
    async with running(fake_discord, services):
        rated = await lapse_into_leech(fake_discord)
        pressed = await open_hint_modal(fake_discord, rated)
        blank = await fake_discord.response(
            await fake_discord.submit_modal(pressed, {"hint": "  "})
        )
        bobs = await fake_discord.press(
            BOB, int(rated["id"]), custom_id(rated, texts.LEECH_SUSPEND_BUTTON)
        )
        refused = await fake_discord.response(bobs)
        question = await next_question(fake_discord, services)
    assert blank["content"] == texts.HINT_EMPTY and blank["flags"] & EPHEMERAL
    assert refused["content"] == texts.NOT_YOURS
    assert "Your hint" not in question and "Capital of Peru?" in question


async def test_a_suspended_leech_leaves_the_review(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, GENERAL), ada.id)
    async with running(fake_discord, services):
        rated = await lapse_into_leech(fake_discord)
        suspend = await fake_discord.press(
            ADA, int(rated["id"]), custom_id(rated, texts.LEECH_SUSPEND_BUTTON)
        )
        said = await fake_discord.response(suspend)
        question = await next_question(fake_discord, services)
    assert said["content"] == texts.CARD_SUSPENDED.format(settings="/settings")
    assert said["flags"] & EPHEMERAL
    assert "Capital of Peru?" not in question


async def test_settings_restore_suspended_cards_page_by_page(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    chat_id = await core_chat_id(services, GENERAL)
    rows = "".join(f"Question {n}?,Answer {n}\n" for n in range(6))
    summary = await services.library.import_deck(
        f"question,answer\n{rows}".encode(), "Six", chat_id, role=OPERATOR
    )
    async with services.store.unit_of_work() as uow:
        cards = await uow.decks.cards(summary.deck.id)
        for minute, card in enumerate(cards):  # Question 5 is the last one suspended
            uow.card_flags.suspend(
                ada.id, card.id, services.clock.now() + timedelta(minutes=minute)
            )
        await uow.commit()
    async with running(fake_discord, services):
        menu = await fake_discord.response(await fake_discord.slash(ADA, "settings", GENERAL))
        label = texts.SETTINGS_SUSPENDED_BUTTON.format(count=6)
        first = await fake_discord.response(
            await fake_discord.press(ADA, int(menu["id"]), custom_id(menu, label))
        )
        assert [name for name, _ in buttons(first)] == [
            "Question 5?",
            "Question 4?",
            "Question 3?",
            "Question 2?",
            texts.SETTINGS_NEXT,
            texts.SETTINGS_BACK,
        ]
        assert texts.SETTINGS_SUSPENDED_PAGE.format(page=1, pages=2) in first["content"]
        second = await fake_discord.response(
            await fake_discord.press(ADA, int(first["id"]), custom_id(first, texts.SETTINGS_NEXT))
        )
        assert [name for name, _ in buttons(second)][:2] == ["Question 1?", "Question 0?"]
        restore = await fake_discord.press(ADA, int(second["id"]), custom_id(second, "Question 0?"))
        restored = await fake_discord.response(restore)
        assert texts.CARD_RESTORED.format(question="Question 0?") in restored["content"]
        # Another member cannot restore Ada's cards.
        again = await fake_discord.press(BOB, int(second["id"]), custom_id(second, "Question 1?"))
        bobs = await fake_discord.response(again)
        assert fake_discord.problems() == []
    assert "someone else's settings" in bobs["content"]
    assert "Question 0?" not in [name for name, _ in buttons(restored)]
    async with services.store.unit_of_work() as uow:
        left = await uow.card_flags.suspended(ada.id)
        unseen = await uow.card_states.unseen_card_ids(ada.id, [summary.deck.id], 10)
    assert len(left) == 5 and unseen == [cards[0].id]


async def test_the_leech_threshold_is_a_settings_option_from_3_to_20(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await nearly_leech(services, await core_chat_id(services, GENERAL), ada.id)  # 5 lapses
    async with running(fake_discord, services):
        [settings] = [c for c in fake_discord.commands[None] if c["name"] == "settings"]
        saved = await fake_discord.response(
            await fake_discord.slash(ADA, "settings", GENERAL, leech_threshold=8)
        )
        with pytest.raises(AssertionError, match="Discord refuses 21"):
            await fake_discord.slash(ADA, "settings", GENERAL, leech_threshold=21)
        rated = await lapse_into_leech(fake_discord)  # the 6th lapse: no leech at 8
        menu = await fake_discord.response(await fake_discord.slash(ADA, "settings", GENERAL))
    [option] = [o for o in settings["options"] if o["name"] == "leech_threshold"]
    assert (option["type"], option["min_value"], option["max_value"]) == (4, 3, 20)
    assert "(3–20, default 6)" in option["description"]
    assert saved["content"] == texts.LEECH_THRESHOLD_SET.format(lapses=8)
    assert saved["flags"] & EPHEMERAL
    assert texts.LEECH_FLAGGED.format(lapses=6) not in rated["content"]
    assert buttons(rated) == []
    assert "Leech threshold: 8 lapses (/settings leech_threshold:3–20 to change it)" in (
        menu["content"].replace("\\", "")
    )
    assert (await learner_of(services, ADA)).settings.leech_threshold == 8
