"""The /plan screens: the plan in plain sentences and the expected cards a day until the exam."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core import texts
from core.commands import CommandNames
from core.planning.model import ExamPlan
from core.planning.planner import NEW_PER_DAY_CHOICES, DayLoad, Plan
from core.screens import Block, Screen, Style

__all__ = ["DAILY_FORECAST_DAYS", "plan_screen", "plans_screen"]

DAILY_FORECAST_DAYS = 14  # up to two weeks a line a day; longer runways a line a week


def plan_screen(plan: Plan, deck: str, exam_day: date, commands: CommandNames) -> Screen:
    values = {
        "deck": deck,
        "date": exam_day.isoformat(),
        "new": plan.new_per_day,
        "retention": round(plan.desired_retention * 100),
        "target": plan.target,
    }
    if plan.reachable:
        said = texts.PLAN_REACHABLE.format(recall=plan.reachable_percent, **values)
    elif plan.new_per_day == max(NEW_PER_DAY_CHOICES):
        said = texts.PLAN_UNREACHABLE.format(reachable=plan.reachable_percent, **values)
    else:
        said = texts.PLAN_UNREACHABLE_SLOWER.format(reachable=plan.reachable_percent, **values)
    return Screen(
        (
            Block(said),
            Block(commands.fill(texts.PLAN_APPLIES)),
            Block(texts.PLAN_FORECAST_HEADING, Style.BOLD),
            Block("\n".join(forecast_lines(plan.loads)), Style.CODE),
        )
    )


def plans_screen(
    plans: Sequence[ExamPlan], names: dict[str, str], commands: CommandNames
) -> Screen:
    """The learner's plans that still apply, or how to make one."""
    if not plans:
        return Screen((Block(commands.fill(texts.PLAN_NONE)),))
    lines = [
        texts.PLAN_CURRENT.format(
            deck=names.get(p.deck_id, p.deck_id),
            date=p.exam_day.isoformat(),
            new=p.new_per_day,
            retention=round(p.desired_retention * 100),
            target=p.target,
        )
        for p in plans
    ]
    return Screen((Block("\n".join(lines)), Block(commands.fill(texts.PLAN_USAGE), Style.MUTED)))


def forecast_lines(loads: Sequence[DayLoad]) -> list[str]:
    if len(loads) <= DAILY_FORECAST_DAYS:
        return [
            texts.PLAN_FORECAST_DAY.format(day=d.day.isoformat(), new=d.new, reviews=d.reviews)
            for d in loads
        ]
    weeks = [loads[start : start + 7] for start in range(0, len(loads), 7)]
    return [
        texts.PLAN_FORECAST_WEEK.format(
            day=week[0].day.isoformat(),
            new=sum(d.new for d in week),
            reviews=sum(d.reviews for d in week),
        )
        for week in weeks
    ]
