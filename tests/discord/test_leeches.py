"""Leech rescue on Discord through the real discord.py client and the fake Discord: the leech's
buttons at the rating, the hint modal (checked as Discord checks modals) and its submission, the
hint under the question before the answer, and suspension."""

from __future__ import annotations

from typing import Any

from core import texts
from core.leeches.model import MAX_HINT_CHARS
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
