"""Changes the office makes by hand on a proposed plan: move one district's one-to-one, swap the
divisions of two days. Each is checked like the planner's own work (window, breaks, availability,
pins, nobody and no room in two places at once); a refused change returns the plan unchanged with
the problems."""

from __future__ import annotations

from datetime import date, datetime, time

from tracker.meetings.planner.arrangement import sort_slots
from tracker.meetings.planner.bookings import (
    Booking,
    DayBook,
    clash_problems,
    day_books,
    free_room,
    group_booking,
    slot_booking,
    slot_people,
)
from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.model import (
    GROUP_SESSION,
    ONE_TO_ONE,
    OTHER_MEETING,
    Activity,
    GroupSession,
    Plan,
    PlanDay,
    PlanRequest,
    PlanRequestError,
    Problem,
    Slot,
    problem,
)
from tracker.meetings.planner.timegrid import at, clock, crossed_break, minutes


def _refuse(plan: Plan, problems: list[Problem]) -> Plan:
    return Plan(days=list(plan.days), problems=problems)


def _context_for(plan: Plan, request: PlanRequest) -> PlanningContext:
    """The request's context, after checking that the plan is one of this request: every division
    and district it has is one the request plans (else :class:`PlanRequestError`)."""
    context = PlanningContext(request)
    if context.problems:
        return context
    for day in plan.days:
        for code in day.divisions:
            if code not in context.division_index:
                raise PlanRequestError("plan_not_of_request", unit=code)
        for slot in day.one_to_ones:
            if slot.district not in context.district_slot:
                raise PlanRequestError("plan_not_of_request", unit=slot.district)
    return context


def _without_empty_days(days: dict[date, PlanDay]) -> list[PlanDay]:
    return [day for _, day in sorted(days.items()) if day.divisions or day.group_session or day.one_to_ones]


def _room_clash(room: str, minute: int, when: date, other: Booking | None) -> Problem:
    activity = other.activity if other is not None else Activity(OTHER_MEETING)
    return problem("room_clash", room=room, time=clock(minute), other=activity, date=when)


def _slot_window(context: PlanningContext, plan: Plan, district: str, old_date: date,
                 when: date) -> tuple[int | None, Problem | None]:  # fmt: skip
    """The first minute a one-to-one may start on ``when``, or the problem with that date."""
    if not context.same_day:
        if when not in context.one_to_one_dates:
            return None, problem("not_a_one_to_one_date", date=when)
        return context.one_to_one_first[context.one_to_one_dates.index(when)], None
    division_day = next((day.date for day in plan.days for code in day.divisions
                         if district in {x.code for x in context.by_code[code].districts}), old_date)  # fmt: skip
    if when != division_day:
        return None, problem("wrong_day", district=district, date=division_day)
    return context.one_to_one_start, None


def move_slot(plan: Plan, request: PlanRequest, district_code: str, new_start: time | datetime,
              new_date: date | None = None, room: str | None = None) -> Plan:  # fmt: skip
    """Move one district's one-to-one to ``new_start`` (a time, or a datetime which also gives the
    date) on ``new_date`` (default: its date). The room is kept if free, else a free one is
    taken (``room`` forces one). Returns the new plan, or the unchanged days with problems."""
    context = _context_for(plan, request)
    if context.problems:
        return _refuse(plan, list(context.problems))
    old, old_day = _find_slot(plan, district_code)
    if old is None:
        return _refuse(plan, [problem("unknown_district", district=district_code)])
    if isinstance(new_start, datetime):
        when = new_date or new_start.date()
    else:
        when = new_date or old.start.date()
    start = minutes(new_start)
    end = start + int((old.end - old.start).total_seconds() // 60)
    problems = (_timing_problems(context, plan, district_code, old_day.date, when, start, end)
                or _unavailable_problems(context, old, when))  # fmt: skip
    if problems:
        return _refuse(plan, problems)
    key = ("slot", district_code)
    book = day_books(context, plan.days, skip=key)[when]
    problems = clash_problems(Booking(key, when, start, end, "", slot_people(old), _one_to_one(old)), book)
    if problems:
        return _refuse(plan, problems)
    chosen, refused = _room_for(context, book, old.room, room, when, start, end)
    if refused is not None:
        return _refuse(plan, [refused])
    moved = Slot(old.district, old.president, list(old.reviewers), at(when, start), at(when, end), chosen)
    return Plan(days=_with_slot_moved(plan, old_day.date, moved), problems=[])


def _find_slot(plan: Plan, district_code: str) -> tuple[Slot | None, PlanDay | None]:
    """A district's one-to-one and the day it is listed under (None, None when it has none)."""
    found: tuple[Slot | None, PlanDay | None] = (None, None)
    for day in plan.days:
        for slot in day.one_to_ones:
            if slot.district == district_code:
                found = (slot, day)
    return found


def _one_to_one(slot: Slot) -> Activity:
    return Activity(ONE_TO_ONE, (slot.district,))


def _timing_problems(context: PlanningContext, plan: Plan, district: str, old_date: date, when: date,
                     start: int, end: int) -> list[Problem]:  # fmt: skip
    """What stops a one-to-one from running from minute ``start`` to ``end`` on ``when``: the
    wrong date, outside the window, or across a break."""
    first, refused = _slot_window(context, plan, district, old_date, when)
    if refused is not None:
        return [refused]
    if start < first or end > context.window_end:
        return [problem("outside_window", start=clock(start), end=clock(end), window_start=clock(first),
                        window_end=clock(context.window_end), date=when)]  # fmt: skip
    crossed = crossed_break(context.breaks, start, end)
    if crossed is not None:
        return [problem("crosses_break", start=clock(start), end=clock(end),
                        break_start=clock(crossed[0]), break_end=clock(crossed[1]), date=when)]  # fmt: skip
    return []


def _unavailable_problems(context: PlanningContext, slot: Slot, when: date) -> list[Problem]:
    subject = _one_to_one(slot)
    return [problem("person_unavailable", person=person, subject=subject, date=when)
            for person in slot_people(slot) if when in context.unavailable.get(person, ())]  # fmt: skip


def _room_for(context: PlanningContext, book: DayBook, old_room: str, room: str | None, when: date,
              start: int, end: int) -> tuple[str | None, Problem | None]:  # fmt: skip
    """The room a moved one-to-one takes: ``room`` if given and free, else the old one or another
    free one; or the clash that stops it."""
    if room is not None:
        other = book.room_clash(room, start, end)
        if other is not None or (context.rooms and room not in context.rooms):
            return None, _room_clash(room, start, when, other)
        return room, None
    chosen = free_room(context, book, start, end, [old_room])
    if chosen is None:
        return None, _room_clash(old_room, start, when, book.room_clash(old_room, start, end))
    return chosen, None


def _with_slot_moved(plan: Plan, old_date: date, moved: Slot) -> list[PlanDay]:
    """The plan's days with the district's one-to-one taken off ``old_date`` and ``moved`` added
    on its own date (a new day of one-to-ones only, if need be); days left empty go."""
    days: dict[date, PlanDay] = {day.date: day for day in plan.days}
    source = days[old_date]
    days[old_date] = PlanDay(old_date, source.divisions, source.group_session,
                             [x for x in source.one_to_ones if x.district != moved.district])  # fmt: skip
    when = moved.start.date()
    target = days.get(when) or PlanDay(when, [], None, [])
    days[when] = PlanDay(when, target.divisions, target.group_session,
                         sort_slots(list(target.one_to_ones) + [moved]))  # fmt: skip
    return _without_empty_days(days)


def _swap_problems(context: PlanningContext, day_a: PlanDay, day_b: PlanDay) -> list[Problem]:
    """Pins and availability: what stops each day's divisions (and, same-day, one-to-ones) from
    going to the other's date."""
    problems = []
    pinned = {context.divisions[i].code: context.dates[k] for i, k in context.pins.items()}
    for source, target in ((day_a, day_b.date), (day_b, day_a.date)):
        for code in source.divisions:
            if code in pinned and pinned[code] != target:
                problems.append(problem("pin_broken", division=code, date=pinned[code], other_date=target))
        people = list(source.group_session.invitees) if source.group_session else []
        if context.same_day:
            for slot in source.one_to_ones:
                people += ([slot.president] if slot.president is not None else []) + list(slot.reviewers)
        subject = Activity(GROUP_SESSION, tuple(c for c in source.divisions if c in context.division_index))
        for person in dict.fromkeys(people):
            if target in context.unavailable.get(person, ()):
                problems.append(problem("person_unavailable", person=person, subject=subject, date=target))
    return problems


def _moved_day(context: PlanningContext, source: PlanDay, when: date, staying: PlanDay) -> PlanDay:
    """``source``'s divisions on ``when``; other-dates mode keeps ``staying``'s one-to-ones there."""
    def redate(value: datetime) -> datetime:
        return datetime.combine(when, value.time())

    session = source.group_session
    if session is not None:
        session = GroupSession(redate(session.start), redate(session.end), session.room, list(session.invitees))
    if context.same_day:
        slots = [Slot(x.district, x.president, list(x.reviewers), redate(x.start), redate(x.end), x.room)
                 for x in source.one_to_ones]  # fmt: skip
    else:
        slots = list(staying.one_to_ones)
    return PlanDay(when, list(source.divisions), session, sort_slots(slots))


def swap_days(plan: Plan, request: PlanRequest, date_a: date, date_b: date) -> Plan:
    """Exchange the divisions of two meeting dates (with their group sessions and, in same-day
    mode, their one-to-ones). Pins, availability and clashes are checked; returns the new plan, or
    the unchanged days with problems."""
    context = _context_for(plan, request)
    if context.problems:
        return _refuse(plan, list(context.problems))
    problems = [problem("unknown_date", date=x) for x in dict.fromkeys((date_a, date_b))
                if x not in context.date_index]  # fmt: skip
    if problems:
        return _refuse(plan, problems)
    if date_a == date_b:
        return Plan(days=list(plan.days), problems=[])
    days = {day.date: day for day in plan.days}
    day_a = days.get(date_a, PlanDay(date_a, [], None, []))
    day_b = days.get(date_b, PlanDay(date_b, [], None, []))
    problems = _swap_problems(context, day_a, day_b)
    if problems:
        return _refuse(plan, problems)
    days[date_a] = _moved_day(context, day_b, date_a, day_a)
    days[date_b] = _moved_day(context, day_a, date_b, day_b)
    problems = []
    for when in (date_a, date_b):
        book = DayBook()
        day = days[when]
        bookings = [group_booking(context, day)] if day.group_session is not None else []
        bookings += [slot_booking(slot) for slot in day.one_to_ones]
        for booking in bookings:
            problems += clash_problems(booking, book)
            other = book.room_clash(booking.room, booking.start, booking.end)
            if other is not None:
                problems.append(_room_clash(booking.room, booking.start, when, other))
            book.add(booking)
    if problems:
        return _refuse(plan, problems)
    return Plan(days=_without_empty_days(days), problems=[])
