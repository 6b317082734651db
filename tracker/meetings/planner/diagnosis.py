"""Why there is no plan: problems that name what does not fit, where and for whom, so that the
office knows what to change (add a day, a room or a reviewer, move a pin, update availability)."""

from __future__ import annotations

from collections import defaultdict

from tracker.meetings.planner.assignment import assign
from tracker.meetings.planner.capacity import Capacity, fits_alone
from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.model import DIVISION, Activity, Problem, problem
from tracker.meetings.planner.timegrid import clock


def window_params(context: PlanningContext, first: int | None = None) -> dict:
    first = context.one_to_one_start if first is None else first
    return {"start": clock(first), "end": clock(context.window_end)}


def one_to_one_dates_full(context: PlanningContext, placed: int | None) -> Problem:
    """The one-to-one dates cannot hold every slot; ``placed``: how many fit (None: count what a
    first-fit pass places, for tangled conflicts)."""
    count = len(context.slot_people)
    if placed is None:
        people_at: dict[tuple[int, int], set[int]] = defaultdict(set)
        slots_at: dict[tuple[int, int], int] = defaultdict(int)
        placed = 0
        for slot, people in enumerate(context.slot_people):
            spots = ((d, t) for d in context.slot_dates[slot] for t in range(context.one_to_one_positions[d]))
            for spot in spots:
                if not (people_at[spot] & people) and (context.room_count is None
                                                       or slots_at[spot] < context.room_count):  # fmt: skip
                    people_at[spot] |= people
                    slots_at[spot] += 1
                    placed += 1
                    break
        placed = min(placed, count - 1)
    first = min(context.one_to_one_first) if context.one_to_one_first else context.window_start
    return problem("one_to_one_dates_full", needed=count, fits=placed, **window_params(context, first))


def _largest_component(context: PlanningContext, slots: list[int]) -> tuple[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for slot in slots:
        counts[context.component[slot]] += 1
    return max(counts.items(), key=lambda kv: kv[1])


def day_problem(context: PlanningContext, day: int, divisions: list[int]) -> Problem:
    """Why the divisions do not fit on date index ``day`` (same-day mode)."""
    slots = [s for i in divisions for s in context.division_slots[i]]
    positions, room_count = context.positions, context.room_count
    base = dict(day=day + 1, date=context.dates[day], **window_params(context),
                divisions=context.division_codes(divisions))  # fmt: skip
    if context.clique_mode:
        component, worst = _largest_component(context, slots)
        if worst > positions:
            return problem("slots_do_not_fit", needed=worst, fits=positions,
                           reviewers=context.component_reviewers(component), **base)  # fmt: skip
        if room_count is not None and len(slots) > room_count * positions:
            return problem("rooms_do_not_fit", needed=len(slots), fits=room_count * positions,
                           rooms=room_count, **base)  # fmt: skip
    per_person: dict[int, int] = defaultdict(int)
    for slot in slots:
        for person in context.slot_people[slot]:
            per_person[person] += 1
    if per_person:
        person, worst = max(per_person.items(), key=lambda kv: (kv[1], -kv[0]))
        if worst > positions:
            return problem("slots_do_not_fit", needed=worst, fits=positions, reviewers=[person], **base)
    if room_count is not None and len(slots) > room_count * positions:
        return problem("rooms_do_not_fit", needed=len(slots), fits=room_count * positions,
                       rooms=room_count, **base)  # fmt: skip
    if context.gave_up:
        return problem("search_gave_up")
    return problem("day_does_not_fit", needed=len(slots), **base)


def availability_problems(context: PlanningContext) -> list[Problem]:
    """Pinned days someone cannot come, divisions and districts without any possible date."""
    problems = []
    unavailable = context.unavailable
    for division, day in sorted(context.pins.items()):
        if day in context.allowed[division]:
            continue
        when = context.dates[day]
        code = context.divisions[division].code
        for person in dict.fromkeys(context.division_invitees[division] + context.group_extras):
            if when in unavailable.get(person, ()):
                problems.append(problem("person_unavailable", person=person,
                                        subject=Activity(DIVISION, (code,)), date=when))  # fmt: skip
    for index, division in enumerate(context.divisions):
        if context.allowed[index] or index in context.pins:
            continue
        people = [p for p in dict.fromkeys(context.division_invitees[index] + context.group_extras)
                  if any(d in unavailable.get(p, ()) for d in context.dates)]  # fmt: skip
        problems.append(problem("division_unavailable", people=people, division=division.code))
    if not context.same_day:
        for slot, dates in enumerate(context.slot_dates):
            if dates:
                continue
            people = sorted(p for p in context.slot_people[slot]
                            if any(d in unavailable.get(p, ()) for d in context.one_to_one_dates))  # fmt: skip
            problems.append(problem("district_unavailable", district=context.slot_district[slot].code,
                                    people=people))  # fmt: skip
    return problems


def capacity_problems(context: PlanningContext, capacity: Capacity | None) -> list[Problem]:
    """Divisions too big for any day, and pinned days that overflow (same-day mode)."""
    if capacity is None:
        return []
    problems = []
    for index, division in enumerate(context.divisions):
        if fits_alone(context, capacity, index):
            continue
        slots = context.division_slots[index]
        if context.clique_mode:
            component, worst = _largest_component(context, slots)
            if worst > context.positions or context.room_count is None:
                reviewers, needed, fits = context.component_reviewers(component), worst, context.positions
            else:
                reviewers, needed, fits = [], len(slots), context.room_count * context.positions
        else:
            reviewers = sorted({context.slot_reviewer[s] for s in slots})
            needed, fits = len(slots), context.positions
        problems.append(problem("division_too_big", needed=needed, fits=fits, reviewers=reviewers,
                                division=division.code, **window_params(context)))  # fmt: skip
    if problems:
        return problems
    pinned_on: dict[int, list[int]] = defaultdict(list)
    for division, day in context.pins.items():
        pinned_on[day].append(division)
    for day, divisions in sorted(pinned_on.items()):
        if not _all_fit(context, capacity, day, sorted(divisions)):
            problems.append(day_problem(context, day, sorted(divisions)))
    return problems


def _all_fit(context: PlanningContext, capacity: Capacity, day: int, divisions: list[int]) -> bool:
    probe = type(capacity)(context, len(context.dates))
    for division in divisions:
        if not probe.can_add(day, division):
            return False
        probe.add(day, division)
    return True


def explain_failure(context: PlanningContext, capacity: Capacity | None) -> tuple[list[int] | None, list[Problem]]:
    """No assignment was found: find out why (or find one after all, ignoring capacity first)."""
    relaxed = assign(context, None, dict(context.pins))
    if relaxed is None or capacity is None:
        if context.gave_up:
            return None, [problem("search_gave_up")]
        return None, [problem("no_arrangement", count=len(context.divisions), days=len(context.dates),
                              per_day=context.request.per_day)]  # fmt: skip
    on_day: dict[int, list[int]] = defaultdict(list)
    for division, day in enumerate(relaxed):
        on_day[day].append(division)
    problems = [day_problem(context, day, divisions) for day, divisions in sorted(on_day.items())
                if not _all_fit(context, capacity, day, divisions)]  # fmt: skip
    if not problems:  # the relaxed arrangement fits after all
        return relaxed, []
    if context.gave_up:
        problems.append(problem("search_gave_up"))
    return None, problems

