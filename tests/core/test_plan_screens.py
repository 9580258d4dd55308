"""The /plan answer: the plan in sentences, plainly when the target is out of reach."""

from datetime import date, timedelta

from core.commands import PLAIN_COMMANDS
from core.planning import PlanRequest, plan_exam
from core.planning.screens import forecast_lines, plan_screen

TODAY = date(2026, 12, 2)


def test_an_unreachable_target_says_what_is_reachable() -> None:
    exam = TODAY + timedelta(days=10)
    plan = plan_exam(PlanRequest([None] * 2000, TODAY, exam, 90))

    said = plan_screen(plan, "Anatomy", exam, PLAIN_COMMANDS).blocks[0].text

    assert said == (
        "90% of “Anatomy” by 2026-12-12 is not reachable, even with 100 new cards a day:"
        f" {plan.reachable_percent}% is reachable. I set that plan, at"
        f" {round(plan.desired_retention * 100)}% desired retention."
    )


def test_a_reachable_plan_names_its_numbers_and_how_to_end_it() -> None:
    exam = TODAY + timedelta(days=30)
    plan = plan_exam(PlanRequest([None] * 200, TODAY, exam, 90))

    blocks = [b.text for b in plan_screen(plan, "Anatomy", exam, PLAIN_COMMANDS).blocks]

    assert blocks[0].startswith(
        f"Plan for “Anatomy” until 2027-01-01: {plan.new_per_day} new cards a day at"
    )
    assert "(target 90%)" in blocks[0] and "/plan off ends it." in blocks[1]


def test_the_forecast_is_daily_for_two_weeks_and_weekly_beyond() -> None:
    short = plan_exam(PlanRequest([None] * 50, TODAY, TODAY + timedelta(days=14), 90))
    long = plan_exam(PlanRequest([None] * 50, TODAY, TODAY + timedelta(days=15), 90))

    assert len(forecast_lines(short.loads)) == 14
    assert forecast_lines(short.loads)[0].startswith("2026-12-02")
    assert len(forecast_lines(long.loads)) == 3
    assert forecast_lines(long.loads)[1].startswith("week of 2026-12-09")
