"""/plan through discord.py against the fake Discord, on SQLite."""

from __future__ import annotations

from typing import Any

from core import texts as core_texts
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import DcChannel
from tests.discord.harness import ADA, GENERAL, learner_of, running

EPHEMERAL = 64
BUNDLED = "Neural nets and deep learning"
USAGE = (
    "Plan for an exam with /plan deck:DECK date:2027-06-30 target:90;"
    " /plan date:off ends your plans."
)


async def plan(fake: FakeDiscord, where: DcChannel, **options: Any) -> dict[str, Any]:
    return await fake.response(await fake.slash(ADA, "plan", where, **options))


async def test_plan_with_autocomplete_sets_shows_and_ends(
    fake_discord: FakeDiscord, services: Services
) -> None:
    fake = fake_discord
    async with running(fake, services):
        choices = await fake.autocomplete(ADA, "plan", GENERAL, "deck", "neural")
        assert [c["name"] for c in choices] == [BUNDLED]
        making = await fake.slash(
            ADA, "plan", GENERAL, deck=choices[0]["value"], date="2026-12-02", target=85
        )
        made = await fake.response(making)
        shown = await plan(fake, GENERAL)
        learner = await learner_of(services, ADA)
        async with services.store.unit_of_work() as uow:
            (stored,) = await uow.exam_plans.of_learner(learner.id)
        ended = await plan(fake, GENERAL, date="off")
        async with services.store.unit_of_work() as uow:
            assert await uow.exam_plans.of_learner(learner.id) == []
    assert f"Plan for “{BUNDLED}” until 2026-12-02:" in made["content"]
    assert "\\(target 85%\\)" in made["content"]  # escaped once for Discord's markdown
    assert "/plan date:off ends it." in made["content"]
    assert "Expected cards a day until the exam" in made["content"]
    assert made["flags"] & EPHEMERAL  # the learner's own, in a server
    assert making.acks == [5]  # deferred at once: planning a big deck takes a while
    assert (stored.deck_id, stored.target, stored.exam_day.isoformat()) == (
        "neural-nets",
        85,
        "2026-12-02",
    )
    assert f"{stored.new_per_day} new cards a day" in shown["content"]
    assert ended["content"] == core_texts.PLAN_ENDED


async def test_plan_refusals(fake_discord: FakeDiscord, services: Services) -> None:
    fake = fake_discord
    dm = fake.dm_channel(ADA)
    async with running(fake, services):
        refusals = [
            (await plan(fake, dm, deck="neural-nets", date="2026-10-01"))["content"],
            (await plan(fake, dm, deck="neural-nets", date="2031-01-01"))["content"],
            (await plan(fake, dm, deck="neural-nets", date="Dec 2"))["content"],
            (await plan(fake, dm, deck="Cooking", date="2026-12-02"))["content"],
            (await plan(fake, dm, date="2026-12-02"))["content"],
            (await plan(fake, dm))["content"],
        ]
    assert refusals == [
        core_texts.PLAN_DATE_PAST,
        core_texts.PLAN_DATE_TOO_FAR,
        core_texts.PLAN_BAD_DATE,
        "I know no deck called “Cooking” here.",
        USAGE,
        "You have no exam plan. " + USAGE,
    ]
