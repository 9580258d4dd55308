"""FSRS on learner days: rating mapping, no learning steps, day alignment, fuzz, settings."""

import math
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from core.errors import InvalidRating, QuizbotError
from core.scheduling import (
    Memory,
    Rating,
    SchedulerKind,
    SchedulerSettings,
    learner_day,
    scheduler_for,
)
from core.scheduling.fsrs_scheduler import FROM_SM2_DIFFICULTY, FsrsScheduler, fsrs_engine
from core.scheduling.fuzz import fuzzed_interval
from core.scheduling.sm2 import Sm2Scheduler

W = DEFAULT_PARAMETERS
DECAY = -W[20]
FACTOR = math.pow(0.9, 1 / DECAY) - 1
DAY_1 = date(2026, 1, 10)
BERLIN = ZoneInfo("Europe/Berlin")
FSRS = FsrsScheduler(fuzz_enabled=False)


def chain(ratings: list[int], scheduler: FsrsScheduler = FSRS, start: date = DAY_1) -> list[Memory]:
    """Review a new card with `ratings`, each on the day the previous answer made it due."""
    memories: list[Memory] = []
    memory, day = None, start
    for rating in ratings:
        memory = scheduler.review(memory, Rating(rating), day)
        memories.append(memory)
        day = memory.due_day
    return memories


def recall_stability(stability: float, difficulty: float, elapsed_days: int) -> float:
    """FSRS-6 stability after a Good recall `elapsed_days` after the last review."""
    retrievability = math.pow(1 + FACTOR * elapsed_days / stability, DECAY)
    growth = (
        math.exp(W[8])
        * (11 - difficulty)
        * math.pow(stability, -W[9])
        * (math.exp((1 - retrievability) * W[10]) - 1)
    )
    return stability * (1 + growth)


def short_term_good_stability(stability: float) -> float:
    """FSRS-6 stability after a Good repeat on the same day (fsrs.Rating.Good == 3)."""
    return stability * max(1.0, math.exp(W[17] * (3 - 3 + W[18])) * math.pow(stability, -W[19]))


# --- ratings and settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Rating.NOT_AT_ALL),
        (2, Rating.POOR),
        ("3", Rating.FAIR),
        (" 4 ", Rating.GOOD),
        ("5", Rating.PERFECTLY),
        (Rating.GOOD, Rating.GOOD),
    ],
)
def test_rating_parse_accepts_one_to_five(value: object, expected: Rating) -> None:
    assert Rating.parse(value) is expected


@pytest.mark.parametrize("value", [0, 6, -1, "0", "6", "x", "", "3.0", 3.0, True, None, "\uff14"])
def test_rating_parse_refuses_anything_else_with_a_user_safe_message(value: object) -> None:
    with pytest.raises(InvalidRating) as caught:
        Rating.parse(value)
    assert isinstance(caught.value, QuizbotError)
    assert str(caught.value) == "Ratings go from 1 (not at all) to 5 (perfectly)."


def test_ratings_below_fair_are_lapses() -> None:
    assert [rating.is_lapse for rating in Rating] == [True, True, False, False, False]


@pytest.mark.parametrize("retention", [0.69, 0.995, 1.0, 0.0])
def test_settings_refuse_retention_outside_70_to_99_percent(retention: float) -> None:
    with pytest.raises(ValueError, match="desired_retention"):
        SchedulerSettings(desired_retention=retention)


def test_settings_accept_retention_at_both_ends() -> None:
    assert SchedulerSettings(desired_retention=0.70).desired_retention == 0.70
    assert SchedulerSettings(desired_retention=0.99).desired_retention == 0.99


def test_scheduler_for_picks_the_kind_and_shares_fsrs_engines_per_retention() -> None:
    fsrs_scheduler = scheduler_for(SchedulerSettings(desired_retention=0.85, fuzz=False))
    assert fsrs_scheduler == FsrsScheduler(0.85, 36500, fuzz_enabled=False)
    assert fsrs_scheduler.kind is SchedulerKind.FSRS
    sm2 = scheduler_for(SchedulerSettings(kind=SchedulerKind.SM2, maximum_interval_days=365))
    assert sm2 == Sm2Scheduler(365, fuzz_enabled=True)
    assert sm2.kind is SchedulerKind.SM2
    assert fsrs_engine(0.85, 36500) is fsrs_engine(0.85, 36500)
    engine = fsrs_engine(0.85, 36500)
    assert (engine.learning_steps, engine.relearning_steps) == ((), ())
    assert engine.enable_fuzzing is False


# --- new cards and mapping ------------------------------------------------------------------


def test_new_card_first_intervals_come_from_initial_stabilities() -> None:
    new = {rating: FSRS.review(None, rating, DAY_1) for rating in Rating}
    assert [new[rating].interval_days for rating in Rating] == [1, 1, 1, 2, 8]
    assert [new[rating].stability for rating in Rating] == [W[0], W[0], W[1], W[2], W[3]]
    assert [new[rating].reps for rating in Rating] == [0, 0, 1, 1, 1]
    assert [new[rating].lapses for rating in Rating] == [0, 0, 0, 0, 0]  # first answer: no lapse
    assert all(
        memory.due_day == DAY_1 + timedelta(days=memory.interval_days) for memory in new.values()
    )
    assert all(memory.kind is SchedulerKind.FSRS and memory.ease is None for memory in new.values())


def test_poor_maps_to_again_exactly_like_not_at_all() -> None:
    before = chain([4, 4])[-1]
    assert FSRS.review(before, Rating.POOR, before.due_day) == FSRS.review(
        before, Rating.NOT_AT_ALL, before.due_day
    )


def test_fair_maps_to_hard_which_is_a_pass() -> None:
    before = chain([4, 4])[-1]  # interval 11
    after = FSRS.review(before, Rating.FAIR, before.due_day)
    assert (after.reps, after.lapses) == (3, 0)
    assert after.interval_days > before.interval_days
    assert before.stability is not None and after.stability is not None
    assert after.stability > before.stability


def test_good_and_perfectly_repeated_grow_the_interval() -> None:
    assert [memory.interval_days for memory in chain([4, 4, 4, 4])] == [2, 11, 46, 163]
    assert [memory.interval_days for memory in chain([5, 5, 5])] == [8, 66, 397]
    assert [memory.reps for memory in chain([4, 4, 4, 4])] == [1, 2, 3, 4]


def test_a_lapse_drops_the_interval_to_a_few_days_and_counts() -> None:
    memories = chain([4, 4, 4, 1, 4])
    assert [memory.interval_days for memory in memories] == [2, 11, 46, 3, 8]
    assert [(memory.reps, memory.lapses) for memory in memories] == [
        (1, 0),
        (2, 0),
        (3, 0),
        (0, 1),
        (1, 1),
    ]


def test_thirty_fair_answers_in_a_row_keep_growing_and_never_go_below_a_day() -> None:
    memories = chain([3] * 30)
    intervals = [memory.interval_days for memory in memories]
    assert intervals[:6] == [1, 3, 7, 12, 18, 25]
    assert min(intervals) >= 1
    assert all(later > earlier for earlier, later in pairwise(intervals))
    assert (memories[-1].reps, memories[-1].lapses) == (30, 0)


def test_lower_desired_retention_gives_longer_intervals() -> None:
    lenient = FsrsScheduler(desired_retention=0.8, fuzz_enabled=False)
    strict = FsrsScheduler(desired_retention=0.95, fuzz_enabled=False)
    assert chain([4], lenient)[0].interval_days > chain([4], strict)[0].interval_days
    assert chain([4, 4, 4], lenient)[-1].interval_days > chain([4, 4, 4], strict)[-1].interval_days


def test_maximum_interval_caps_the_schedule() -> None:
    capped = FsrsScheduler(maximum_interval_days=30, fuzz_enabled=False)
    assert [memory.interval_days for memory in chain([5, 5, 5], capped)] == [8, 30, 30]


# --- day alignment --------------------------------------------------------------------------


def test_raw_fsrs_counts_evening_then_next_morning_as_the_same_day() -> None:
    # Why days are synthetic: 20:00 -> 08:00 next day is "0 days" to fsrs with real instants.
    engine = fsrs_engine(0.9, 36500)
    card, _ = engine.review_card(
        fsrs.Card(card_id=1, due=datetime(2026, 1, 10, 19, 0, tzinfo=UTC)),
        fsrs.Rating.Good,
        review_datetime=datetime(2026, 1, 10, 19, 0, tzinfo=UTC),
    )
    next_morning, _ = engine.review_card(
        card, fsrs.Rating.Good, review_datetime=datetime(2026, 1, 11, 7, 0, tzinfo=UTC)
    )
    assert next_morning.stability == pytest.approx(short_term_good_stability(W[2]), rel=1e-12)


def test_next_morning_after_an_evening_review_is_one_elapsed_day() -> None:
    evening = learner_day(datetime(2026, 1, 10, 19, 0, tzinfo=UTC), BERLIN)  # 20:00 local
    morning = learner_day(datetime(2026, 1, 11, 7, 0, tzinfo=UTC), BERLIN)  # 08:00 local
    first = FSRS.review(None, Rating.GOOD, evening)
    assert first.difficulty is not None
    next_day = FSRS.review(first, Rating.GOOD, morning)
    same_day = FSRS.review(first, Rating.GOOD, evening)
    assert next_day.stability == pytest.approx(
        recall_stability(W[2], first.difficulty, elapsed_days=1), rel=1e-12
    )
    assert same_day.stability == pytest.approx(short_term_good_stability(W[2]), rel=1e-12)
    assert next_day.stability != same_day.stability
    assert (same_day.last_review_day, same_day.reps) == (evening, 2)


def test_dst_switches_do_not_change_elapsed_days() -> None:
    # 21:00 CET on 28 March to 05:00 CEST on 29 March is 7 hours, yet one learner day.
    spring = [
        learner_day(datetime(2026, 3, 28, 20, 0, tzinfo=UTC), BERLIN),
        learner_day(datetime(2026, 3, 29, 3, 0, tzinfo=UTC), BERLIN),
    ]
    assert spring == [date(2026, 3, 28), date(2026, 3, 29)]
    # Autumn: 04:30 CEST on 24 October to 04:10 CET on 26 October spans the 25-hour day.
    autumn = [
        learner_day(datetime(2026, 10, 24, 2, 30, tzinfo=UTC), BERLIN),
        learner_day(datetime(2026, 10, 26, 3, 10, tzinfo=UTC), BERLIN),
    ]
    assert autumn == [date(2026, 10, 24), date(2026, 10, 26)]
    for first_day, second_day in (spring, autumn):
        elapsed = second_day - first_day
        first = FSRS.review(None, Rating.GOOD, first_day)
        second = FSRS.review(first, Rating.GOOD, second_day)
        plain_first = FSRS.review(None, Rating.GOOD, DAY_1)
        plain_second = FSRS.review(plain_first, Rating.GOOD, DAY_1 + elapsed)
        assert second.stability == plain_second.stability
        assert second.difficulty == plain_second.difficulty
        assert second.interval_days == plain_second.interval_days


def test_a_review_day_before_the_last_review_counts_as_the_same_day() -> None:
    first = FSRS.review(None, Rating.GOOD, DAY_1)
    west = FSRS.review(first, Rating.GOOD, DAY_1 - timedelta(days=1))
    assert west == FSRS.review(first, Rating.GOOD, DAY_1)


# --- switching from SM-2 --------------------------------------------------------------------


def test_an_sm2_memory_starts_fsrs_at_its_interval_and_middling_difficulty() -> None:
    sm2_memory = Memory(
        kind=SchedulerKind.SM2,
        reps=3,
        lapses=1,
        interval_days=15,
        last_review_day=DAY_1,
        due_day=DAY_1 + timedelta(days=15),
        ease=2.36,
    )
    seeded = Memory(
        kind=SchedulerKind.FSRS,
        reps=3,
        lapses=1,
        interval_days=15,
        last_review_day=DAY_1,
        due_day=DAY_1 + timedelta(days=15),
        stability=15.0,
        difficulty=FROM_SM2_DIFFICULTY,
    )
    after = FSRS.review(sm2_memory, Rating.GOOD, sm2_memory.due_day)
    assert after == FSRS.review(seeded, Rating.GOOD, seeded.due_day)
    assert FROM_SM2_DIFFICULTY == 5.0
    assert after.stability == pytest.approx(recall_stability(15.0, 5.0, 15), rel=1e-12)
    assert (after.kind, after.reps, after.lapses, after.ease) == (SchedulerKind.FSRS, 4, 1, None)


# --- fuzz -----------------------------------------------------------------------------------


def test_fuzz_moves_a_long_interval_within_five_percent() -> None:
    assert fuzzed_interval(100, 0.0, maximum_days=36500) == 95
    assert fuzzed_interval(100, 0.5, maximum_days=36500) == 100
    assert fuzzed_interval(100, 0.999, maximum_days=36500) == 105
    assert fuzzed_interval(100, None, maximum_days=36500) == 100
    assert fuzzed_interval(100, 0.999, maximum_days=102) == 102


def test_fuzz_leaves_intervals_under_three_days_alone_and_moves_short_ones_a_day() -> None:
    assert [fuzzed_interval(2, fuzz, maximum_days=36500) for fuzz in (0.0, 0.99)] == [2, 2]
    assert [fuzzed_interval(3, fuzz, maximum_days=36500) for fuzz in (0.0, 0.5, 0.99)] == [2, 3, 4]


def test_fuzz_keeps_a_pass_on_the_same_side_of_the_previous_interval() -> None:
    assert fuzzed_interval(3, 0.0, maximum_days=36500, previous_days=2) == 3
    assert fuzzed_interval(20, 0.0, maximum_days=36500, previous_days=19) == 20
    assert fuzzed_interval(20, 0.99, maximum_days=36500, previous_days=21) == 20
    assert fuzzed_interval(20, 0.99, maximum_days=36500, previous_days=20) == 20


@pytest.mark.parametrize("fuzz", [-0.1, 1.0, 2.0])
def test_fuzz_outside_zero_to_one_is_refused(fuzz: float) -> None:
    with pytest.raises(ValueError, match="fuzz"):
        fuzzed_interval(1, fuzz, maximum_days=36500)


def test_scheduler_fuzz_is_bounded_deterministic_and_leaves_memory_state_alone() -> None:
    before = chain([4, 4, 4])[-1]
    fuzzy = FsrsScheduler(fuzz_enabled=True)
    plain = fuzzy.review(before, Rating.GOOD, before.due_day)
    assert plain.interval_days == 163  # fuzz None: none applied
    low = fuzzy.review(before, Rating.GOOD, before.due_day, fuzz=0.0)
    high = fuzzy.review(before, Rating.GOOD, before.due_day, fuzz=0.999)
    assert (low.interval_days, high.interval_days) == (155, 171)  # 163 ± 8
    assert low.due_day == before.due_day + timedelta(days=155)
    assert fuzzy.review(before, Rating.GOOD, before.due_day, fuzz=0.37) == fuzzy.review(
        before, Rating.GOOD, before.due_day, fuzz=0.37
    )
    assert (low.stability, low.difficulty) == (plain.stability, plain.difficulty)


def test_fuzz_is_ignored_when_settings_turn_it_off() -> None:
    before = chain([4, 4, 4])[-1]
    assert FSRS.review(before, Rating.GOOD, before.due_day, fuzz=0.0).interval_days == 163
