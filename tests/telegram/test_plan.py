"""/plan through the real Application polling the fake Bot API, on SQLite."""

from __future__ import annotations

from core import texts
from tests.conftest import Services
from tests.telegram.chat_harness import ADA, PRIVATE, after, learner_of, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

DECK = "Neural nets and deep learning"


async def plan(fake: FakeBotApi, chat: TgChat, user: TgUser, args: str = "") -> str:
    params = await after(fake, "sendMessage", lambda: fake.push_command(chat, user, "plan", args))
    return str(params["text"])


async def test_plan_sets_shows_and_ends_a_plan(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        assert await plan(fake, PRIVATE, ADA) == (
            "You have no exam plan. Plan for an exam with /plan DECK 2027-06-30 90;"
            " /plan off ends your plans."
        )
        said = await plan(fake, PRIVATE, ADA, f"{DECK} 2026-12-02 85")
        assert f"Plan for “{DECK}” until 2026-12-02:" in said
        assert "(target 85%)" in said and "/plan off ends it." in said
        assert "Expected cards a day until the exam" in said and "2026-11-02" in said
        learner = await learner_of(services, ADA)
        async with services.store.unit_of_work() as uow:
            (stored,) = await uow.exam_plans.of_learner(learner.id)
        assert (stored.deck_id, stored.exam_day.isoformat(), stored.target) == (
            "neural-nets",
            "2026-12-02",
            85,
        )
        assert str(stored.new_per_day) in said

        shown = await plan(fake, PRIVATE, ADA)
        assert shown.startswith(
            f"“{DECK}”: exam on 2026-12-02, {stored.new_per_day} new cards a day"
        )
        assert await plan(fake, PRIVATE, ADA, "off") == texts.PLAN_ENDED
        async with services.store.unit_of_work() as uow:
            assert await uow.exam_plans.of_learner(learner.id) == []


async def test_plan_refuses_bad_input_plainly(fake_bot_api: FakeBotApi, services: Services) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        refusals = [
            await plan(fake, PRIVATE, ADA, f"{DECK} 2026-11-01"),
            await plan(fake, PRIVATE, ADA, f"{DECK} 2029-01-01"),
            await plan(fake, PRIVATE, ADA, f"{DECK} 2026-12-02 120"),
            await plan(fake, PRIVATE, ADA, f"{DECK} 2026-12-02 lots"),
            await plan(fake, PRIVATE, ADA, f"{DECK} 02.12.2026"),
            await plan(fake, PRIVATE, ADA, "Cooking 2026-12-02"),
            await plan(fake, PRIVATE, ADA, "2026-12-02"),
        ]
        learner = await learner_of(services, ADA)
        async with services.store.unit_of_work() as uow:
            assert await uow.exam_plans.of_learner(learner.id) == []
    assert refusals == [
        texts.PLAN_DATE_PAST,
        texts.PLAN_DATE_TOO_FAR,
        "The target is a percentage from 50 to 99.",
        texts.PLAN_NOT_A_TARGET,
        texts.PLAN_BAD_DATE,
        "I know no deck called “Cooking” here.",
        "Plan for an exam with /plan DECK 2027-06-30 90; /plan off ends your plans.",
    ]
