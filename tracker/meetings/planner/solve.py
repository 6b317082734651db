"""Planning from scratch: check the request, put the divisions on dates, build the days."""

from __future__ import annotations

from tracker.meetings.planner.arrangement import build_days
from tracker.meetings.planner.assignment import assign
from tracker.meetings.planner.capacity import day_capacity
from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.diagnosis import availability_problems, capacity_problems, explain_failure
from tracker.meetings.planner.model import Plan, PlanRequest, Problem


def responsible_reviewers(request: PlanRequest) -> dict[str, int]:
    """District code -> its responsible reviewer as the planner assigns them (empty when the
    request is invalid)."""
    context = PlanningContext(request)
    if context.problems:
        return {}
    return {context.slot_district[s].code: r for s, r in enumerate(context.slot_reviewer)}


def solve(context: PlanningContext, keep: dict[int, int] | None = None) -> tuple[list[int] | None, list[Problem]]:
    """Division index -> date index for a valid request, or the problems. ``keep`` (re-planning):
    days to keep if at all possible."""
    problems = availability_problems(context)
    if problems:
        return None, problems
    date_count = len(context.dates)
    problems = capacity_problems(context, day_capacity(context, date_count))
    if problems:
        return None, problems
    day_of = None
    if keep:
        fixed = dict(context.pins)
        fixed.update(keep)
        day_of = assign(context, day_capacity(context, date_count), fixed)
        if day_of is None:
            day_of = assign(context, day_capacity(context, date_count), dict(context.pins), prefer=keep,
                            optimize=False)  # fmt: skip
    if day_of is None:
        day_of = assign(context, day_capacity(context, date_count), dict(context.pins))
    if day_of is None:
        return explain_failure(context, day_capacity(context, date_count))
    return day_of, []


def plan(request: PlanRequest) -> Plan:
    """Plan the meeting: every chosen division on one day, its group session and one one-to-one
    per district. Returns ``Plan(days=[], problems=[...])`` when no plan exists."""
    context = PlanningContext(request)
    if context.problems:
        return Plan(days=[], problems=list(context.problems))
    day_of, problems = solve(context)
    if day_of is None:
        return Plan(days=[], problems=problems)
    days, problems = build_days(context, day_of)
    if days is None:
        return Plan(days=[], problems=problems)
    return Plan(days=days, problems=[])
