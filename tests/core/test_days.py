"""Learner days: the 04:00 boundary, DST switch days, far-east zones and gaps at day start."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.scheduling.days import DEFAULT_DAY_START, day_start_instant, due_instant, learner_day
from core.scheduling.model import Memory, SchedulerKind

BERLIN = ZoneInfo("Europe/Berlin")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_default_day_start_is_four_in_the_morning() -> None:
    assert time(4, 0) == DEFAULT_DAY_START


def test_0359_local_belongs_to_the_previous_day_and_0400_to_the_new_one() -> None:
    # Berlin in January is UTC+1: 03:59 local = 02:59Z.
    assert learner_day(utc(2026, 1, 15, 2, 59, 59), BERLIN) == date(2026, 1, 14)
    assert learner_day(utc(2026, 1, 15, 3, 0), BERLIN) == date(2026, 1, 15)
    assert learner_day(utc(2026, 1, 15, 22, 59), BERLIN) == date(2026, 1, 15)
    assert learner_day(utc(2026, 1, 15, 23, 0), BERLIN) == date(2026, 1, 15)  # 00:00 local


def test_learner_day_converts_from_any_aware_instant() -> None:
    instant = datetime(2026, 1, 15, 3, 59, tzinfo=BERLIN)
    assert learner_day(instant, ZoneInfo("UTC")) == date(2026, 1, 14)  # 02:59Z
    assert learner_day(instant, BERLIN) == date(2026, 1, 14)


def test_learner_day_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        learner_day(datetime(2026, 1, 15, 12, 0), BERLIN)


def test_custom_day_start() -> None:
    assert learner_day(utc(2026, 1, 15, 5, 0), BERLIN, time(7, 0)) == date(2026, 1, 14)
    assert learner_day(utc(2026, 1, 15, 6, 0), BERLIN, time(7, 0)) == date(2026, 1, 15)
    assert learner_day(utc(2026, 1, 14, 23, 0), BERLIN, time(0, 0)) == date(2026, 1, 15)


def test_berlin_spring_forward_day_starts_at_0200z_and_the_day_before_lasts_23_hours() -> None:
    # 2026-03-29: clocks jump 02:00 CET -> 03:00 CEST, so 04:00 local is UTC+2.
    assert day_start_instant(date(2026, 3, 29), BERLIN) == utc(2026, 3, 29, 2, 0)
    assert day_start_instant(date(2026, 3, 28), BERLIN) == utc(2026, 3, 28, 3, 0)
    length = day_start_instant(date(2026, 3, 29), BERLIN) - day_start_instant(
        date(2026, 3, 28), BERLIN
    )
    assert length == timedelta(hours=23)
    assert learner_day(utc(2026, 3, 29, 1, 59), BERLIN) == date(2026, 3, 28)  # 03:59 CEST
    assert learner_day(utc(2026, 3, 29, 2, 0), BERLIN) == date(2026, 3, 29)


def test_berlin_fall_back_day_starts_at_0300z_and_the_day_before_lasts_25_hours() -> None:
    # 2026-10-25: clocks fall back 03:00 CEST -> 02:00 CET, so 04:00 local is UTC+1.
    assert day_start_instant(date(2026, 10, 25), BERLIN) == utc(2026, 10, 25, 3, 0)
    assert day_start_instant(date(2026, 10, 24), BERLIN) == utc(2026, 10, 24, 2, 0)
    length = day_start_instant(date(2026, 10, 25), BERLIN) - day_start_instant(
        date(2026, 10, 24), BERLIN
    )
    assert length == timedelta(hours=25)
    assert learner_day(utc(2026, 10, 25, 2, 59), BERLIN) == date(2026, 10, 24)
    assert learner_day(utc(2026, 10, 25, 3, 0), BERLIN) == date(2026, 10, 25)


def test_kiritimati_utc_plus_14_day_begins_on_the_previous_utc_date() -> None:
    zone = ZoneInfo("Pacific/Kiritimati")
    assert day_start_instant(date(2026, 6, 15), zone) == utc(2026, 6, 14, 14, 0)
    assert learner_day(utc(2026, 6, 14, 13, 59), zone) == date(2026, 6, 14)
    assert learner_day(utc(2026, 6, 14, 14, 0), zone) == date(2026, 6, 15)


@pytest.mark.parametrize("name", ["Pacific/Tongatapu", "Pacific/Auckland"])
def test_utc_plus_13_in_southern_summer_day_begins_on_the_previous_utc_date(name: str) -> None:
    zone = ZoneInfo(name)
    assert day_start_instant(date(2026, 1, 15), zone) == utc(2026, 1, 14, 15, 0)
    assert learner_day(utc(2026, 1, 14, 14, 59), zone) == date(2026, 1, 14)
    assert learner_day(utc(2026, 1, 14, 15, 0), zone) == date(2026, 1, 15)


def test_auckland_winter_is_utc_plus_12() -> None:
    assert day_start_instant(date(2026, 7, 15), ZoneInfo("Pacific/Auckland")) == utc(
        2026, 7, 14, 16, 0
    )


def test_midnight_day_start_inside_a_gap_begins_at_the_end_of_the_gap() -> None:
    # São Paulo 2018-11-04: 00:00 -03 jumped to 01:00 -02 (= 03:00Z); local midnight never was.
    zone = ZoneInfo("America/Sao_Paulo")
    assert day_start_instant(date(2018, 11, 4), zone, time(0, 0)) == utc(2018, 11, 4, 3, 0)
    assert day_start_instant(date(2018, 11, 5), zone, time(0, 0)) == utc(2018, 11, 5, 2, 0)
    assert learner_day(utc(2018, 11, 4, 2, 59, 59), zone, time(0, 0)) == date(2018, 11, 3)
    assert learner_day(utc(2018, 11, 4, 3, 0), zone, time(0, 0)) == date(2018, 11, 4)


def test_day_start_inside_the_berlin_gap_resolves_to_the_transition() -> None:
    # 02:30 did not exist on 2026-03-29; the first valid instant after it is 03:00 CEST = 01:00Z.
    assert day_start_instant(date(2026, 3, 29), BERLIN, time(2, 30)) == utc(2026, 3, 29, 1, 0)


def test_day_start_inside_the_berlin_fold_takes_the_first_occurrence() -> None:
    # 02:30 happened twice on 2026-10-25: first at 00:30Z (CEST), again at 01:30Z (CET).
    start = time(2, 30)
    assert day_start_instant(date(2026, 10, 25), BERLIN, start) == utc(2026, 10, 25, 0, 30)
    # 02:15 CET (second pass, 01:15Z) reads as before 02:30 but the day began at 00:30Z.
    assert learner_day(utc(2026, 10, 25, 1, 15), BERLIN, start) == date(2026, 10, 25)
    assert learner_day(utc(2026, 10, 25, 0, 29), BERLIN, start) == date(2026, 10, 24)


def test_a_skipped_calendar_day_still_has_a_short_learner_day() -> None:
    # Samoa skipped 2011-12-30 (UTC-10 -> UTC+14 at 10:00Z); its 04:00 never happened.
    zone = ZoneInfo("Pacific/Apia")
    assert day_start_instant(date(2011, 12, 30), zone) == utc(2011, 12, 30, 10, 0)
    assert day_start_instant(date(2011, 12, 31), zone) == utc(2011, 12, 30, 14, 0)
    assert learner_day(utc(2011, 12, 30, 12, 0), zone) == date(2011, 12, 30)


@pytest.mark.parametrize(
    ("name", "first_day", "day_start"),
    [
        ("Europe/Berlin", date(2026, 3, 27), DEFAULT_DAY_START),
        ("Europe/Berlin", date(2026, 10, 23), DEFAULT_DAY_START),
        ("Europe/Berlin", date(2026, 10, 23), time(2, 30)),
        ("Europe/Berlin", date(2026, 3, 27), time(2, 30)),
        ("America/Sao_Paulo", date(2018, 11, 2), time(0, 0)),
        ("Pacific/Auckland", date(2026, 9, 25), time(2, 30)),
        ("Pacific/Kiritimati", date(2026, 6, 13), DEFAULT_DAY_START),
    ],
)
def test_every_instant_lies_within_its_learner_day(
    name: str, first_day: date, day_start: time
) -> None:
    zone = ZoneInfo(name)
    instant = day_start_instant(first_day, zone, day_start)
    end = instant + timedelta(days=4)
    while instant < end:
        day = learner_day(instant, zone, day_start)
        assert day_start_instant(day, zone, day_start) <= instant
        assert instant < day_start_instant(day + timedelta(days=1), zone, day_start)
        instant += timedelta(minutes=15)


def test_day_start_instant_refuses_an_aware_day_start() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        day_start_instant(date(2026, 1, 1), BERLIN, time(4, 0, tzinfo=UTC))


def test_due_instant_is_the_start_of_the_due_day() -> None:
    memory = Memory(
        kind=SchedulerKind.SM2,
        reps=2,
        lapses=0,
        interval_days=6,
        last_review_day=date(2026, 3, 23),
        due_day=date(2026, 3, 29),
        ease=2.5,
    )
    assert due_instant(memory, BERLIN) == utc(2026, 3, 29, 2, 0)
    assert due_instant(memory, BERLIN, time(9, 0)) == utc(2026, 3, 29, 7, 0)
