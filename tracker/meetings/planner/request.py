"""Checking a request before planning: settings, codes, the divisions chosen, pins, capacity.

:func:`validate` lists every problem it finds (in a stable order) and, when the request names its
divisions and dates well enough, the :class:`Selection` the rest of the planner works on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from tracker.meetings.planner.model import Division, PlanRequest, Problem, problem
from tracker.meetings.planner.timegrid import clock, fit_start, merge_breaks, minutes


@dataclass
class Selection:
    """The divisions and dates a valid request plans: divisions by index in ``divisions``, dates
    by index in the sorted ``dates``."""

    by_code: dict[str, Division]  # every division of the request
    divisions: list[Division]  # the chosen ones, in the order asked
    division_index: dict[str, int]
    dates: list[date]
    date_index: dict[date, int]
    one_to_one_dates: list[date]
    pins: dict[int, int]  # division index -> date index


def _setting_problems(request: PlanRequest) -> list[Problem]:
    window_start, window_end = minutes(request.window[0]), minutes(request.window[1])
    breaks = ", ".join(f"{clock(minutes(a))}–{clock(minutes(b))}" for a, b in request.breaks)
    checks = (
        ("per_day", request.per_day, isinstance(request.per_day, int) and request.per_day >= 1),
        ("one_to_one_minutes", request.one_to_one_minutes,
         isinstance(request.one_to_one_minutes, int) and request.one_to_one_minutes >= 1),
        ("group_minutes", request.group_minutes,
         isinstance(request.group_minutes, int) and request.group_minutes >= 0),
        ("gap_minutes", request.gap_minutes,
         isinstance(request.gap_minutes, int) and request.gap_minutes >= 0),
        ("window", f"{clock(window_start)}–{clock(window_end)}", window_end > window_start),
        ("one_to_ones", request.one_to_ones, request.one_to_ones in ("same_day", "other_dates")),
        ("breaks", breaks, all(minutes(b) > minutes(a) for a, b in request.breaks)),
    )  # fmt: skip
    return [problem("invalid_setting", setting=setting, value=str(value))
            for setting, value, good in checks if not good]  # fmt: skip


def _chosen_divisions(request: PlanRequest, problems: list[Problem]) -> tuple[dict[str, Division], list[Division]]:
    by_code: dict[str, Division] = {}
    seen_districts: set[str] = set()
    for division in request.divisions:
        if division.code in by_code:
            problems.append(problem("duplicate_code", code=division.code))
        by_code[division.code] = division
        for district in division.districts:
            if district.code in seen_districts:
                problems.append(problem("duplicate_code", code=district.code))
            seen_districts.add(district.code)
    if request.include is None:
        return by_code, list(by_code.values())
    chosen, seen = [], set()
    for code in request.include:
        if code not in by_code:
            problems.append(problem("unknown_division", division=code))
        elif code not in seen:
            seen.add(code)
            chosen.append(by_code[code])
    return by_code, chosen


def _pins(request: PlanRequest, selection: Selection, problems: list[Problem]) -> None:
    pinned: dict[str, date] = {}
    per_date: dict[date, list[str]] = defaultdict(list)
    for day in sorted(request.pins):
        for code in request.pins[day]:
            if code not in selection.division_index:
                problems.append(problem("unknown_division", division=code))
            elif day not in selection.date_index:
                problems.append(problem("pin_outside_dates", division=code, date=day))
            elif code in pinned and pinned[code] != day:
                problems.append(problem("pin_conflict", division=code, date=pinned[code], other_date=day))
            elif code not in pinned:
                pinned[code] = day
                per_date[day].append(code)
    for day, codes in sorted(per_date.items()):
        if len(codes) > request.per_day:
            problems.append(problem("pin_over_capacity", count=len(codes), per_day=request.per_day,
                                    divisions=list(codes), date=day))  # fmt: skip
    selection.pins = {selection.division_index[c]: selection.date_index[d] for c, d in pinned.items()}


def validate(request: PlanRequest) -> tuple[list[Problem], Selection | None]:
    """The request's problems, and its selection (None when the divisions or dates are unusable)."""
    problems = _setting_problems(request)
    if problems:
        return problems, None
    by_code, chosen = _chosen_divisions(request, problems)
    dates = sorted(set(request.dates))
    one_to_one_dates = sorted(set(request.one_to_one_dates))
    if not chosen or not dates or (request.one_to_ones == "other_dates" and not one_to_one_dates):
        problems.append(problem("empty_input"))
    if problems:
        return problems, None
    selection = Selection(
        by_code=by_code, divisions=chosen, division_index={d.code: i for i, d in enumerate(chosen)},
        dates=dates, date_index={d: i for i, d in enumerate(dates)}, one_to_one_dates=one_to_one_dates,
        pins={},
    )
    _pins(request, selection, problems)
    capacity = request.per_day * len(dates)
    if len(chosen) > capacity:
        problems.append(problem("too_many_divisions", count=len(chosen), days=len(dates),
                                per_day=request.per_day, capacity=capacity,
                                missing_days=-(-(len(chosen) - capacity) // request.per_day)))  # fmt: skip
    for division in chosen:
        if division.districts and not division.co_incharges and request.organization_incharge is None:
            problems.append(problem("no_reviewer", division=division.code))
    window_start, window_end = minutes(request.window[0]), minutes(request.window[1])
    group_start = fit_start(merge_breaks(request.breaks), window_start, request.group_minutes)
    if request.group_minutes > window_end - group_start:
        problems.append(problem("window_too_short", group_minutes=request.group_minutes,
                                start=clock(window_start), end=clock(window_end)))  # fmt: skip
    return problems, selection
