"""The one time-zone parser: what every command that takes a zone accepts, saves and refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import texts
from core.errors import InvalidInput
from core.learners import LearnerSettings
from core.zones import MAX_ZONE_CHARS, parse_zone, zone_name

SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("  europe/berlin ", "Europe/Berlin"),
        ("AMERICA/ARGENTINA/BUENOS_AIRES", "America/Argentina/Buenos_Aires"),
        ("Etc/GMT-3", "Etc/GMT-3"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("+00:00", "UTC"),
        ("-0", "UTC"),
        ("+05:30", "UTC+05:30"),
        ("UTC+5:30", "UTC+05:30"),
        ("utc +0530", "UTC+05:30"),
        ("GMT-3", "UTC-03:00"),
        ("+3", "UTC+03:00"),
        ("+05:45", "UTC+05:45"),
        ("+14:00", "UTC+14:00"),
        ("-12:00", "UTC-12:00"),
        ("-09:30", "UTC-09:30"),
    ],
)
def test_names_and_offsets_are_saved_in_one_spelling(typed: str, saved: str) -> None:
    assert zone_name(typed) == saved
    assert zone_name(saved) == saved  # a saved name reads back as itself


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("UTC+05:30", timedelta(hours=5, minutes=30)),
        ("UTC+05:45", timedelta(hours=5, minutes=45)),
        ("UTC-12:00", timedelta(hours=-12)),
        ("UTC", timedelta(0)),
        ("Europe/Berlin", timedelta(hours=2)),  # summer time
        ("Etc/GMT-3", timedelta(hours=3)),  # saved by older versions: POSIX signs
        ("+05:30", timedelta(hours=5, minutes=30)),  # saved raw by older /remind
    ],
)
def test_a_saved_name_means_its_offset(name: str, offset: timedelta) -> None:
    assert parse_zone(name).utcoffset(SUMMER) == offset


def test_learner_settings_use_the_same_parser() -> None:
    settings = LearnerSettings(time_zone=zone_name("+05:30"))
    assert settings.time_zone == "UTC+05:30"
    assert SUMMER.astimezone(settings.zone).hour == 17


@pytest.mark.parametrize(
    "typed",
    [
        "+15:00",
        "+14:30",
        "-12:30",
        "-13:00",
        "+05:60",
        "+5:7",
        "+123",
        "Mars/Olympus",
        "Nowhere",
        "",
        "   ",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/Berlin; DROP TABLE",
        "UTC+",
    ],
)
def test_refusals_say_what_was_typed_and_what_works(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        zone_name(typed)
    assert str(caught.value) == texts.BAD_ZONE.format(text=typed.strip())
    assert "Europe/Berlin" in str(caught.value) and "+05:30" in str(caught.value)


def test_an_over_long_zone_is_refused_and_quoted_cut_short() -> None:
    longest = "y" * MAX_ZONE_CHARS
    with pytest.raises(InvalidInput) as caught:
        zone_name("Europe/" + "x" * 3000)
    assert str(caught.value) == texts.BAD_ZONE.format(text="Europe/" + "x" * 56 + "…")
    with pytest.raises(InvalidInput) as caught:
        zone_name(longest)
    assert str(caught.value) == texts.BAD_ZONE.format(text=longest)
