"""SM-2: the classic interval sequence, the easiness update, lapses, switching from FSRS.

Lapses keep the E-Factor, as Wozniak's step 6 says: "start repetitions for the item from the
beginning without changing the E-Factor" (https://www.supermemo.com/english/ol/sm2.htm)."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from core.scheduling import Memory, Rating, SchedulerKind
from core.scheduling.sm2 import INITIAL_EASE, MIN_EASE, Sm2Scheduler, next_ease

DAY_1 = date(2026, 1, 10)
SM2 = Sm2Scheduler(fuzz_enabled=False)


def chain(ratings: list[int], start: Memory | None = None) -> list[Memory]:
    """Review with `ratings`, each on the day the previous answer made the card due."""
    memories: list[Memory] = []
    memory, day = start, (start.due_day if start else DAY_1)
    for rating in ratings:
        memory = SM2.review(memory, Rating(rating), day)
        memories.append(memory)
        day = memory.due_day
    return memories


def test_ease_update_exact_values_from_the_initial_ease() -> None:
    assert INITIAL_EASE == 2.5
    assert next_ease(2.5, Rating.PERFECTLY) == pytest.approx(2.6, abs=1e-12)
    assert next_ease(2.5, Rating.GOOD) == pytest.approx(2.5, abs=1e-12)
    assert next_ease(2.5, Rating.FAIR) == pytest.approx(2.36, abs=1e-12)


def test_a_lapse_leaves_the_ease_as_it_was() -> None:
    assert next_ease(2.5, Rating.POOR) == 2.5
    assert next_ease(2.5, Rating.NOT_AT_ALL) == 2.5
    assert next_ease(1.7, Rating.NOT_AT_ALL) == 1.7


def test_ease_floors_at_1_3() -> None:
    assert MIN_EASE == 1.3
    assert next_ease(1.4, Rating.FAIR) == 1.3
    assert next_ease(1.3, Rating.FAIR) == 1.3


def test_classic_interval_sequence_with_good_answers() -> None:
    memories = chain([4, 4, 4, 4, 4])
    assert [memory.interval_days for memory in memories] == [1, 6, 15, 38, 95]  # EF stays 2.5
    assert [memory.reps for memory in memories] == [1, 2, 3, 4, 5]
    assert [memory.ease for memory in memories] == [2.5] * 5


def test_interval_uses_the_ease_held_before_the_answer() -> None:
    memories = chain([5, 5, 5, 5])
    eases = [memory.ease for memory in memories]
    assert eases == pytest.approx([2.6, 2.7, 2.8, 2.9], abs=1e-12)
    # I(3) = round(I(2) * EF after two answers) = round(6 * 2.7); I(4) = round(16 * 2.8).
    assert [memory.interval_days for memory in memories] == [1, 6, 16, 45]
    third = memories[2]
    assert third.last_review_day == DAY_1 + timedelta(days=7)
    assert third.due_day == DAY_1 + timedelta(days=7 + 16)


def test_a_lapse_resets_repetitions_and_interval_and_keeps_the_ease() -> None:
    memories = chain([4, 4, 4, 1, 4, 4])
    assert [memory.interval_days for memory in memories] == [1, 6, 15, 1, 1, 6]
    assert [(memory.reps, memory.lapses) for memory in memories] == [
        (1, 0),
        (2, 0),
        (3, 0),
        (0, 1),
        (1, 1),
        (2, 1),
    ]
    assert [memory.ease for memory in memories] == [2.5] * 6


def test_a_new_card_failed_at_first_sight_keeps_the_initial_ease() -> None:
    memories = chain([1, 2, 2, 2])
    assert [memory.ease for memory in memories] == [INITIAL_EASE] * 4
    assert [memory.interval_days for memory in memories] == [1, 1, 1, 1]
    # The very first answer is not a lapse: nothing had been learned yet.
    assert [memory.lapses for memory in memories] == [0, 1, 2, 3]


def test_only_passes_lower_the_ease_and_a_lapse_then_restarts_at_one_and_six_days() -> None:
    memories = chain([3, 3, 1, 3, 3, 3])
    eases = [memory.ease for memory in memories]
    assert eases == pytest.approx([2.36, 2.22, 2.22, 2.08, 1.94, 1.8], abs=1e-12)
    # After the restart I(3) = round(6 * 1.94), the EF held before that answer.
    assert [memory.interval_days for memory in memories] == [1, 6, 1, 1, 6, 12]


def test_poor_is_a_lapse_and_fair_is_a_pass() -> None:
    before = chain([4, 4])[-1]
    poor = SM2.review(before, Rating.POOR, before.due_day)
    fair = SM2.review(before, Rating.FAIR, before.due_day)
    assert (poor.reps, poor.interval_days, poor.lapses) == (0, 1, 1)
    assert (fair.reps, fair.interval_days, fair.lapses) == (3, 15, 0)
    assert fair.ease == pytest.approx(2.36, abs=1e-12)


def test_an_fsrs_memory_continues_with_ease_2_5_and_its_interval_and_reps() -> None:
    fsrs_memory = Memory(
        kind=SchedulerKind.FSRS,
        reps=3,
        lapses=2,
        interval_days=10,
        last_review_day=DAY_1,
        due_day=DAY_1 + timedelta(days=10),
        stability=10.4,
        difficulty=6.2,
    )
    good = SM2.review(fsrs_memory, Rating.GOOD, fsrs_memory.due_day)
    assert good == Memory(
        kind=SchedulerKind.SM2,
        reps=4,
        lapses=2,
        interval_days=25,
        last_review_day=DAY_1 + timedelta(days=10),
        due_day=DAY_1 + timedelta(days=35),
        ease=2.5,
    )
    perfect = SM2.review(fsrs_memory, Rating.PERFECTLY, fsrs_memory.due_day)
    assert perfect.interval_days == 25
    assert perfect.ease == pytest.approx(2.6, abs=1e-12)


def test_fuzz_applies_to_sm2_when_enabled_and_is_deterministic() -> None:
    fuzzy = Sm2Scheduler(fuzz_enabled=True)
    before = chain([4, 4, 4, 4])[-1]  # interval 38, next 95
    assert fuzzy.review(before, Rating.GOOD, before.due_day).interval_days == 95
    assert fuzzy.review(before, Rating.GOOD, before.due_day, fuzz=0.0).interval_days == 90
    assert fuzzy.review(before, Rating.GOOD, before.due_day, fuzz=0.999).interval_days == 100
    assert SM2.review(before, Rating.GOOD, before.due_day, fuzz=0.0).interval_days == 95


def test_maximum_interval_caps_sm2() -> None:
    capped = Sm2Scheduler(maximum_interval_days=20, fuzz_enabled=False)
    memory = None
    intervals = []
    day = DAY_1
    for _ in range(5):
        memory = capped.review(memory, Rating.GOOD, day)
        intervals.append(memory.interval_days)
        day = memory.due_day
    assert intervals == [1, 6, 15, 20, 20]


# --- Memory invariants --------------------------------------------------------------------


VALID = Memory(
    kind=SchedulerKind.SM2,
    reps=1,
    lapses=0,
    interval_days=1,
    last_review_day=DAY_1,
    due_day=DAY_1 + timedelta(days=1),
    ease=2.5,
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"interval_days": 0, "due_day": DAY_1}, "at least 1"),
        ({"due_day": DAY_1 + timedelta(days=2)}, r"last_review_day \+ interval_days"),
        ({"reps": -1}, "negative"),
        ({"lapses": -1}, "negative"),
        ({"ease": None}, "ease"),
        ({"kind": SchedulerKind.FSRS, "stability": 1.0}, "stability and difficulty"),
    ],
)
def test_memory_refuses_an_inconsistent_row(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(VALID, **changes)
