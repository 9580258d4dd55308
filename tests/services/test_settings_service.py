"""Settings presses on the real SQLite store: stored, owner-only, and used by the next review."""

from __future__ import annotations

import pytest

from core import texts
from core.errors import InvalidInput, NotAllowed, StaleAction
from core.personal.service import PersonalScheduleService
from core.scheduling.model import SchedulerKind
from core.settings.menu import FIT_NOW, SettingsChoice
from core.settings.service import SettingsService
from tests.conftest import Services
from tests.review_history import log_synthetic_reviews


async def test_a_press_is_stored_and_the_next_rating_uses_it(services: Services) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada = await services.learner("ada")
    change = await settings.press(ada, SettingsChoice(ada.id, "sch", "sm2").encode())
    assert change.notice == texts.SETTINGS_SAVED
    assert "Scheduler: SM-2" in change.screen.text
    async with services.store.unit_of_work() as uow:
        stored = await uow.learners.get(ada.id)
    assert stored is not None and stored.settings.scheduler.kind is SchedulerKind.SM2

    chat = await services.chat("ada", group=False)
    screen = await services.reviews.start(stored, chat.id, ["neural-nets"])
    shown = await services.reviews.press(stored, screen.buttons[0][0].action)
    await services.reviews.press(stored, shown.updated.buttons[0][3].action)  # rate 4
    async with services.store.unit_of_work() as uow:
        assert screen.card_id is not None
        state = await uow.card_states.get(stored.id, screen.card_id)
    assert state is not None and state.memory.kind is SchedulerKind.SM2


async def test_another_learners_menu_is_refused_and_changes_nothing(services: Services) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada, bob = await services.learner("ada"), await services.learner("bob")
    with pytest.raises(NotAllowed):
        await settings.press(bob, SettingsChoice(ada.id, "new", "50").encode())
    assert "New cards per day: 20" in (await settings.menu(ada)).text


async def test_any_iana_zone_can_be_typed(services: Services) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada = await services.learner("ada")
    assert await settings.set_zone(ada, "Asia/Dubai") == texts.SETTINGS_ZONE_SET.format(
        zone="Asia/Dubai"
    )
    with pytest.raises(InvalidInput):
        await settings.set_zone(ada, "Nowhere/Special")
    assert "Time zone: Asia/Dubai" in (await settings.menu(ada)).text


async def test_fit_my_schedule_without_history_says_how_much_is_missing(
    services: Services,
) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada = await services.learner("ada")
    change = await settings.press(ada, SettingsChoice(ada.id, "fit", FIT_NOW).encode())
    assert change.notice == texts.SETTINGS_FIT_TOO_FEW.format(needed="400 reviews")
    assert texts.SETTINGS_PERSONAL_DEFAULT in change.screen.text
    with pytest.raises(StaleAction):
        await settings.press(ada, SettingsChoice(ada.id, "fit", "7").encode())


async def test_the_leech_threshold_is_typed_and_kept_within_3_to_20(services: Services) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada = await services.learner("ada")
    said = await settings.set_leech_threshold(ada, "8")
    assert said == texts.LEECH_THRESHOLD_SET.format(lapses=8)
    for typed in ("2", "21", "eight", ""):
        with pytest.raises(InvalidInput):
            await settings.set_leech_threshold(ada, typed)
    async with services.store.unit_of_work() as uow:
        stored = await uow.learners.get(ada.id)
    assert stored is not None and stored.settings.leech_threshold == 8  # the refusals saved nothing
    assert (
        "Leech threshold: 8 lapses (/settings leech 3–20 to change it)"
        in (await settings.menu(ada)).text
    )


async def test_fit_my_schedule_says_when_the_fit_in_use_is_kept(services: Services) -> None:
    settings = SettingsService(
        services.store, PersonalScheduleService(services.store, services.clock)
    )
    ada = await services.learner("ada")
    await log_synthetic_reviews(services.store, ada.id, 500)
    fit = SettingsChoice(ada.id, "fit", FIT_NOW).encode()
    first = await settings.press(ada, fit)
    assert first.notice == texts.SETTINGS_FITTED.format(reviews="500 reviews")
    again = await settings.press(ada, fit)  # nothing new to learn from: the first fit stays
    assert again.notice == texts.fit_kept(500, personal=True)
    assert again.notice.startswith("A new fit to your 500 reviews did not predict them better")
    assert "FSRS parameters: personal, fitted" in again.screen.text
