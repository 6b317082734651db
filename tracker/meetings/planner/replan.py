"""Re-planning after a change (someone unavailable, a district added, a pin moved …): what is still
valid stays where it was, the rest is placed around it, and the moves and the people whose own
timetable changed are reported."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from tracker.meetings.planner.arrangement import (
    arrange_slots,
    group_session,
    make_slot,
    schedule_other_dates,
    with_slots,
)
from tracker.meetings.planner.bookings import DayBook, earliest, group_booking, reviewer_room, slot_booking
from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.diagnosis import day_problem
from tracker.meetings.planner.model import Move, Plan, PlanDay, PlanRequest, Problem, Slot
from tracker.meetings.planner.solve import solve
from tracker.meetings.planner.timegrid import crossed_break, minutes


def _still_valid(context: PlanningContext, slot: int, old: Slot, first_of: dict[date, tuple[int, int]]) -> bool:
    """Whether the previous timetable of a slot still obeys the request (clashes aside)."""
    when = old.start.date()
    length = context.slot_minutes
    if when not in first_of or old.end - old.start != timedelta(minutes=length):
        return False
    start = minutes(old.start)
    if start < first_of[when][0] or start + length > context.window_end:
        return False
    if crossed_break(context.breaks, start, start + length):
        return False
    district = context.slot_district[slot]
    if old.president != district.president or list(old.reviewers) != context.slot_reviewers[slot]:
        return False
    if any(when in context.unavailable.get(p, ()) for p in context.slot_people[slot]):
        return False
    return not (context.rooms and old.room not in context.rooms)


def _keep_slots(context: PlanningContext, slots: list[int], first_of: dict[date, tuple[int, int]],
                previous: dict[str, Slot], books: dict[date, DayBook]) -> dict[int, Slot] | None:  # fmt: skip
    """Keep the previous slots that are still valid, then place the others at their earliest; None
    if one cannot be placed. ``first_of``: date -> (first minute, positions) where they may go."""
    placed: dict[int, Slot] = {}
    candidates = []
    for slot in slots:
        old = previous.get(context.slot_district[slot].code)
        if old is not None and _still_valid(context, slot, old, first_of):
            candidates.append((old.start, old.room, slot))
    length = context.slot_minutes
    for start, room, slot in sorted(candidates):
        when = start.date()
        minute = minutes(start)
        book = books[when]
        if (book.person_clashes(context.slot_people[slot], minute, minute + length)
                or book.room_clash(room, minute, minute + length)):  # fmt: skip
            continue
        kept = make_slot(context, slot, when, minute, room)
        book.add(slot_booking(kept))
        placed[slot] = kept
    for slot in slots:
        if slot in placed:
            continue
        people = context.slot_people[slot]
        for when, (first, positions) in first_of.items():
            if not context.same_day and any(when in context.unavailable.get(p, ()) for p in people):
                continue
            book = books[when]
            found = earliest(context, book, people, first, positions,
                             reviewer_room(book, context.slot_reviewer[slot]))  # fmt: skip
            if found is not None:
                new = make_slot(context, slot, when, found[0], found[1])
                book.add(slot_booking(new))
                placed[slot] = new
                break
        else:
            return None
    return placed


def _build_days_keeping(context: PlanningContext, day_of: list[int],
                        previous: Plan) -> tuple[list[PlanDay] | None, list[Problem]]:  # fmt: skip
    """The timetable of an assignment that keeps the previous plan's divisions in their order and
    its one-to-ones where they still may be, or the problem that stops it."""
    previous_slot = {slot.district: slot for day in previous.days for slot in day.one_to_ones}
    on_day: dict[int, list[int]] = defaultdict(list)
    for division, day in enumerate(day_of):
        on_day[day].append(division)
    days, books = _group_days(context, on_day, previous)
    if context.same_day:
        problems = _same_day_keeping(context, on_day, previous_slot, days, books)
    else:
        problems = _other_dates_keeping(context, previous_slot, days, books)
    if problems:
        return None, problems
    return [days[d] for d in sorted(days)], []


def _group_days(context: PlanningContext, on_day: dict[int, list[int]],
                previous: Plan) -> tuple[dict[date, PlanDay], dict[date, DayBook]]:  # fmt: skip
    """Each date's divisions (those it had before in their previous order, first) and group
    session, with a book of each date's bookings so far."""
    previous_order = {code: n for n, code in enumerate(c for day in previous.days for c in day.divisions)}
    days: dict[date, PlanDay] = {}
    books: dict[date, DayBook] = defaultdict(DayBook)
    for index in sorted(on_day):
        when = context.dates[index]
        divisions = sorted(on_day[index], key=lambda i: (
            previous_order.get(context.divisions[i].code, len(previous_order)), i))
        day = PlanDay(when, context.division_codes(divisions), group_session(context, when, divisions), [])
        books[when].add(group_booking(context, day))
        days[when] = day
    return days, books


def _same_day_keeping(context: PlanningContext, on_day: dict[int, list[int]], previous_slot: dict[str, Slot],
                      days: dict[date, PlanDay], books: dict[date, DayBook]) -> list[Problem]:  # fmt: skip
    """Same-day mode: each day keeps what it can of its one-to-ones, else is arranged afresh."""
    for index in sorted(on_day):
        when = context.dates[index]
        slots = [s for i in on_day[index] for s in context.division_slots[i]]
        placed = _keep_slots(context, slots, {when: (context.one_to_one_start, context.positions)},
                             previous_slot, books)  # fmt: skip
        if placed is None:
            got = arrange_slots(context, slots, when, context.one_to_one_start, context.positions)
            if got is None:
                return [day_problem(context, index, on_day[index])]
        else:
            got = [placed[s] for s in slots]
        with_slots(days, when, got)
    return []


def _other_dates_keeping(context: PlanningContext, previous_slot: dict[str, Slot], days: dict[date, PlanDay],
                         books: dict[date, DayBook]) -> list[Problem]:  # fmt: skip
    """Other-dates mode: the one-to-ones keep what they can, else are all scheduled afresh."""
    first_of = {d: (context.one_to_one_first[k], context.one_to_one_positions[k])
                for k, d in enumerate(context.one_to_one_dates)}  # fmt: skip
    placed = _keep_slots(context, list(range(len(context.slot_people))), first_of, previous_slot, books)
    if placed is None:
        return schedule_other_dates(context, days)
    on_date: dict[date, list[Slot]] = defaultdict(list)
    for slot in placed.values():
        on_date[slot.start.date()].append(slot)
    for when, got in on_date.items():
        with_slots(days, when, got)
    return []


def _person_events(days: Iterable[PlanDay]) -> dict[int, set]:
    events: dict[int, set] = defaultdict(set)
    for day in days:
        session = day.group_session
        if session is not None:
            for person in session.invitees:
                events[person].add(("group", session.start, session.end, session.room))
        for slot in day.one_to_ones:
            people = ([slot.president] if slot.president is not None else []) + list(slot.reviewers)
            for person in people:
                events[person].add((slot.district, slot.start, slot.end, slot.room))
    return events


def diff(previous: Plan, new: Plan) -> tuple[list[Move], set[int]]:
    """The moves from one plan to the other, and the people whose own timetable differs."""
    moves: list[Move] = []
    old_day = {c: day.date for day in previous.days for c in day.divisions}
    new_day = {c: day.date for day in new.days for c in day.divisions}
    for code in list(old_day) + [c for c in new_day if c not in old_day]:
        if old_day.get(code) != new_day.get(code):
            moves.append(Move("division", code, old_day.get(code), new_day.get(code)))
    old_sessions = {day.date: day.group_session for day in previous.days if day.group_session}
    for day in new.days:
        session, old = day.group_session, old_sessions.get(day.date)
        if session and old and (session.start, session.end, session.room) != (old.start, old.end, old.room):
            moves.append(Move("group_session", day.date.isoformat(), day.date, day.date,
                              old.start, session.start, old.room, session.room))  # fmt: skip
    old_slots = {slot.district: slot for day in previous.days for slot in day.one_to_ones}
    new_slots = {slot.district: slot for day in new.days for slot in day.one_to_ones}
    for code in list(old_slots) + [c for c in new_slots if c not in old_slots]:
        a, b = old_slots.get(code), new_slots.get(code)
        if a is not None and b is not None and (a.start, a.end, a.room) == (b.start, b.end, b.room):
            continue
        moves.append(Move("one_to_one", code,
                          a.start.date() if a else None, b.start.date() if b else None,
                          a.start if a else None, b.start if b else None,
                          a.room if a else None, b.room if b else None))  # fmt: skip
    before, after = _person_events(previous.days), _person_events(new.days)
    affected = {p for p in set(before) | set(after) if before.get(p, set()) != after.get(p, set())}
    return moves, affected


def replan(previous: Plan, request: PlanRequest) -> tuple[Plan, list[Move], set[int]]:
    """Plan again after a change. Every division day, group session and one-to-one of ``previous``
    that is still valid stays where it was; the rest is placed around them (a day is re-arranged
    only when that is impossible). Returns the new plan, the moves (see :class:`Move`) and the ids
    of the people whose own timetable changed."""
    previous_reviewer = {slot.district: slot.reviewers[0]
                         for day in previous.days for slot in day.one_to_ones if slot.reviewers}  # fmt: skip
    context = PlanningContext(request, prefer_reviewer=previous_reviewer)
    if context.problems:
        return Plan(days=[], problems=list(context.problems)), [], set()
    previous_day = {c: day.date for day in previous.days for c in day.divisions}
    taken: dict[int, int] = defaultdict(int)
    for day in context.pins.values():
        taken[day] += 1
    keep: dict[int, int] = {}
    for index, division in enumerate(context.divisions):
        if index in context.pins or division.code not in previous_day:
            continue
        day = context.date_index.get(previous_day[division.code])
        if day is None or day not in context.allowed[index] or taken[day] >= context.request.per_day:
            continue
        keep[index] = day
        taken[day] += 1
    day_of, problems = solve(context, keep)
    if day_of is None:
        return Plan(days=[], problems=problems), [], set()
    days, problems = _build_days_keeping(context, day_of, previous)
    if days is None:
        return Plan(days=[], problems=problems), [], set()
    new = Plan(days=days, problems=[])
    moves, affected = diff(previous, new)
    return new, moves, affected
