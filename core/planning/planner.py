"""The exam planner: the (new cards per day, desired retention) that reach a recall target.

Pure and deterministic. Each candidate on a small grid is simulated day by day in expected values
(`memory_model`): due cards are reviewed when due at the candidate's retention, new cards are
introduced at the candidate's rate, in deck order. The predicted recall on the exam day is the mean
retrievability over all the deck's cards that morning; a card not learned by then counts as 0.

Expected values run optimistic: a track of cards keeps the mean memory of its recalled and its
forgotten cards, so the forgotten ones' short intervals never show. Next to fsrs-rs-python's
card-by-card simulator they count fewer reviews, the fewer the longer the runway, and a higher
recall, the higher the lower the retention (tests/core/test_planner_simulators.py compares the
two; the README's Benchmarks has bench/bench_planner.py's figures). So the lightest candidate
they give the target (fewest reviews until the exam, then fewest new cards a day) has its new
cards simulated card by card by fsrs-rs (`new_cards`); if that falls short, so does the lightest
that clears the target by the shortfall seen at its retention, a few times at most. The plan's
recall and daily forecast are that simulation's for the new cards and the expected values' for
the cards already studied (fsrs-rs's Python binding cannot start from a learner's states). The
simulator is too slow to run the whole grid. When no candidate reaches the target, the plan says
what is reachable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core import texts
from core.errors import InvalidInput
from core.planning.memory_model import ExpectedMemory, ForgettingModel
from core.planning.new_cards import simulate_new_cards
from core.scheduling.fit import DEFAULT_PARAMETERS
from core.scheduling.fsrs_scheduler import FROM_SM2_DIFFICULTY
from core.scheduling.model import Memory

__all__ = [
    "DEFAULT_TARGET",
    "MAX_RUNWAY_DAYS",
    "MAX_TARGET",
    "MIN_TARGET",
    "NEW_PER_DAY_CHOICES",
    "RETENTION_CHOICES",
    "DayLoad",
    "Plan",
    "PlanRequest",
    "PlannedCard",
    "expected_plan",
    "plan_exam",
]

DEFAULT_TARGET = 90
MIN_TARGET = 50
MAX_TARGET = 99
MAX_RUNWAY_DAYS = 730  # two years
NEW_PER_DAY_CHOICES = (5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100)
RETENTION_CHOICES = (0.80, 0.85, 0.90, 0.93, 0.95, 0.97)
MAX_CHECKS = 6  # fsrs-rs runs to find a candidate that reaches the target, at most

PlannedCard = Memory | None  # the learner's memory of one deck card; None: never seen


@dataclass(frozen=True, slots=True)
class PlanRequest:
    cards: Sequence[PlannedCard]  # the deck's cards in the order new ones are introduced
    today: date  # the learner's local day
    exam_day: date
    target: int = DEFAULT_TARGET  # percent of the deck recalled on the exam day
    parameters: tuple[float, ...] | None = None  # the learner's FSRS parameters; None: defaults


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    new: int
    reviews: int  # expected reviews of cards already learned


@dataclass(frozen=True, slots=True)
class Plan:
    """The chosen candidate (or, when `reachable` is False, the one that comes closest)."""

    new_per_day: int
    desired_retention: float
    predicted_recall: float  # 0..1, the deck's mean recall on the exam day
    target: int
    reachable: bool
    loads: tuple[DayLoad, ...]  # one per day from today to the day before the exam

    @property
    def reachable_percent(self) -> int:
        """The best target this plan reaches, a whole percent (rounded down)."""
        return int(self.predicted_recall * 100 + 1e-9)


def plan_exam(request: PlanRequest) -> Plan:
    """The plan for `request`, its recall and daily forecast checked by fsrs-rs's simulator for
    the new cards; InvalidInput with a plain message for a bad date or target."""
    _check(request)
    model = ForgettingModel(request.parameters or DEFAULT_PARAMETERS)
    candidates = [
        _simulate(request, model, new_per_day, retention)
        for new_per_day in NEW_PER_DAY_CHOICES
        for retention in RETENTION_CHOICES
    ]
    # The expected values run optimistic, the more so the lower the retention: check the
    # lightest candidate they give the target; when it falls short, so does the lightest that
    # clears the target by the shortfall seen at its retention.
    shortfall: dict[float, float] = {}
    checked: set[tuple[int, float]] = set()
    for _ in range(MAX_CHECKS):
        pool = [
            p
            for p in candidates
            if (p.predicted_recall - shortfall.get(p.desired_retention, 0.0)) * 100
            >= request.target
            and (p.new_per_day, p.desired_retention) not in checked
        ]
        if not pool:
            break
        chosen = min(pool, key=lambda p: (_total_reviews(p), p.new_per_day, p.desired_retention))
        simulated = _with_new_cards_simulated(request, model, chosen)
        if simulated.reachable:
            return simulated
        checked.add((chosen.new_per_day, chosen.desired_retention))
        short = chosen.predicted_recall - simulated.predicted_recall
        shortfall[chosen.desired_retention] = max(shortfall.get(chosen.desired_retention, 0), short)
    best = max(candidates, key=lambda p: (p.predicted_recall, -_total_reviews(p)))
    return _with_new_cards_simulated(request, model, best)


def expected_plan(request: PlanRequest, new_per_day: int, desired_retention: float) -> Plan:
    """One candidate in expected values alone, as the grid sees it (for comparisons)."""
    _check(request)
    model = ForgettingModel(request.parameters or DEFAULT_PARAMETERS)
    return _simulate(request, model, new_per_day, desired_retention)


def _with_new_cards_simulated(request: PlanRequest, model: ForgettingModel, plan: Plan) -> Plan:
    """The candidate with its new cards simulated card by card by fsrs-rs (their reviews and
    recall on the exam day), the studied cards in expected values."""
    studied = [card for card in request.cards if card is not None]
    known = _simulate(replace(request, cards=studied), model, 0, plan.desired_retention)
    runway = (request.exam_day - request.today).days
    new = simulate_new_cards(
        len(request.cards) - len(studied),
        runway,
        plan.new_per_day,
        plan.desired_retention,
        model.w,
    )
    recalled = known.predicted_recall * len(studied) + new.recall_sum
    predicted = recalled / len(request.cards) if request.cards else 0.0
    loads = tuple(
        DayLoad(load.day, new.new[i], load.reviews + new.reviews[i])
        for i, load in enumerate(known.loads)
    )
    reachable = predicted * 100 >= request.target
    return replace(plan, predicted_recall=predicted, reachable=reachable, loads=loads)


def _check(request: PlanRequest) -> None:
    if request.exam_day <= request.today:
        raise InvalidInput(texts.PLAN_DATE_PAST)
    if (request.exam_day - request.today).days > MAX_RUNWAY_DAYS:
        raise InvalidInput(texts.PLAN_DATE_TOO_FAR)
    if not MIN_TARGET <= request.target <= MAX_TARGET:
        raise InvalidInput(texts.PLAN_BAD_TARGET.format(low=MIN_TARGET, high=MAX_TARGET))


@dataclass(slots=True)
class _Track:
    """`count` cards sharing one expected memory (new cards introduced on the same day)."""

    memory: ExpectedMemory
    last_day: date
    count: int = 1


def _simulate(
    request: PlanRequest, model: ForgettingModel, new_per_day: int, retention: float
) -> Plan:
    # Tracks bucketed by due day, so a day costs its reviews, not the whole deck.
    due: dict[date, list[_Track]] = {}
    tracks: list[_Track] = []
    for card in request.cards:
        if card is not None:
            track = _track_of(card)
            tracks.append(track)
            due.setdefault(max(card.due_day, request.today), []).append(track)
    unseen = sum(card is None for card in request.cards)
    loads: list[DayLoad] = []
    day = request.today
    while day < request.exam_day:
        reviews = 0
        for track in due.pop(day, []):
            recall = model.retrievability((day - track.last_day).days, track.memory.stability)
            track.memory = model.after_review(track.memory, recall)
            _schedule(due, track, model, day, retention)
            reviews += track.count
        new = min(new_per_day, unseen)
        unseen -= new
        if new:
            track = _Track(model.first_answer(), day, new)
            tracks.append(track)
            _schedule(due, track, model, day, retention)
        loads.append(DayLoad(day, new, reviews))
        day += timedelta(days=1)
    recalled = sum(
        t.count * model.retrievability((request.exam_day - t.last_day).days, t.memory.stability)
        for t in tracks
    )
    predicted = recalled / len(request.cards) if request.cards else 0.0
    return Plan(
        new_per_day=new_per_day,
        desired_retention=retention,
        predicted_recall=predicted,
        target=request.target,
        reachable=predicted * 100 >= request.target,
        loads=tuple(loads),
    )


def _track_of(memory: Memory) -> _Track:
    stability = memory.stability if memory.stability is not None else float(memory.interval_days)
    difficulty = memory.difficulty if memory.difficulty is not None else FROM_SM2_DIFFICULTY
    return _Track(ExpectedMemory(stability, difficulty), memory.last_review_day)


def _schedule(
    due: dict[date, list[_Track]],
    track: _Track,
    model: ForgettingModel,
    day: date,
    retention: float,
) -> None:
    track.last_day = day
    next_day = day + timedelta(days=model.interval(track.memory.stability, retention))
    due.setdefault(next_day, []).append(track)


def _total_reviews(plan: Plan) -> int:
    return sum(load.reviews + load.new for load in plan.loads)
