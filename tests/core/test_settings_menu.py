"""The settings menu: its buttons, the tokens they carry, and what a press sets."""

from __future__ import annotations

import pytest

from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.errors import StaleAction
from core.learners import Learner, LearnerSettings
from core.scheduling.model import SchedulerKind
from core.settings.menu import (
    COMMON_ZONES,
    MenuPage,
    SettingsChoice,
    apply_choice,
    parse_choice,
    settings_screen,
)

ADA = Learner(2**52 + 7, "telegram", "501", "Ada")


@pytest.mark.parametrize("page", list(MenuPage))
def test_every_button_fits_both_platforms_and_decodes_to_its_owner(page: MenuPage) -> None:
    screen = settings_screen(ADA, page)
    assert len(screen.buttons) <= 5 and all(len(row) <= 5 for row in screen.buttons)
    for row in screen.buttons:
        for button in row:
            assert len(button.action.encode()) <= 64
            assert parse_choice(button.action).learner_id == ADA.id


def test_the_current_values_are_marked() -> None:
    labels = [b.label for row in settings_screen(ADA).buttons for b in row]
    assert [label for label in labels if label.startswith("✓ ")] == ["✓ FSRS", "✓ 90%", "✓ 20/day"]
    zones = [b.label for row in settings_screen(ADA, MenuPage.ZONE).buttons for b in row]
    assert "✓ UTC" in zones


def test_a_choice_sets_exactly_its_value() -> None:
    start = LearnerSettings()

    def choose(field: str, value: str) -> LearnerSettings:
        return apply_choice(start, SettingsChoice(ADA.id, field, value))

    assert choose("sch", "sm2").scheduler.kind is SchedulerKind.SM2
    assert choose("ret", "85").scheduler.desired_retention == 0.85
    assert choose("new", "5").new_cards_per_day == 5
    assert choose("zone", str(COMMON_ZONES.index("Asia/Tokyo"))).time_zone == "Asia/Tokyo"
    assert choose("ret", "85").new_cards_per_day == start.new_cards_per_day


@pytest.mark.parametrize(
    "data",
    [
        "",
        "s.k3.ret.99",
        "s.k3.new.1000",
        "s.k3.zone.99",
        "s.k3.sch.leitner",
        "s.K3.ret.90",
        "x",
        "s.zzzzzzzzzzzzz.ret.90",  # beyond 64-bit learner ids
    ],
)
def test_forged_choices_are_refused(data: str) -> None:
    with pytest.raises(StaleAction):
        apply_choice(LearnerSettings(), parse_choice(data))


def test_who_sees_reviews_is_offered_where_the_platform_can_keep_them_private() -> None:
    private = PlatformCapabilities(private_replies=True)
    dee = Learner(3, "any-platform", "9", "Dee")
    rows = settings_screen(dee, capabilities=private).buttons
    assert len(rows) <= 5
    assert [b.label for b in rows[3]] == ["✓ Only me", "Everyone"]
    assert (
        "Reviews in servers: only you see them" in settings_screen(dee, capabilities=private).text
    )
    for learner in (ADA, Learner(4, "discord", "10", "Eve")):  # the platform's name plays no part
        plain = settings_screen(learner, capabilities=BASIC_PLATFORM)
        assert "Everyone" not in [b.label for row in plain.buttons for b in row]
        assert "Reviews in servers" not in plain.text
    public = apply_choice(LearnerSettings(), SettingsChoice(3, "pub", "1"))
    assert public.reviews_public is True
    with pytest.raises(StaleAction):
        apply_choice(LearnerSettings(), SettingsChoice(3, "pub", "2"))
