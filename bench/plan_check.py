"""Independent rule checker for meeting plans.

Written apart from :mod:`tracker.meetings.planner` and sharing none of its code: it reads a plan
and the request it was made for (by attribute, so any objects with the same fields will do) and
lists every rule the plan breaks. ``check(plan, request) == []`` means the plan is valid.

Rules:
* every chosen division (``request.include``, or all ``request.divisions``) is on exactly one day,
  and no other division is; each such day is one of ``request.dates``; at most ``per_day``
  divisions a day; every pin holds;
* a day with divisions has one group session lasting ``group_minutes`` in ``group_room``, at the
  window start or, when that would run into a break, at the earliest break end from which it
  runs into none, inviting exactly the presidents of its districts, their responsible reviewers,
  the extra reviewers and the chair (``request.chair``, when there is one); a day without
  divisions has no group session;
* every district of a covered division has exactly one one-to-one, with its president, one
  responsible reviewer (a co-in-charge of its division, or the organization in-charge when the
  division has none) and every extra reviewer, lasting ``one_to_one_minutes``, inside the window;
  same-day mode: on its division's day, not before the group session's end plus ``gap_minutes``;
  other-dates mode: on one of ``one_to_one_dates``; in the listed rooms when rooms are given;
* nothing (group session or one-to-one) runs into one of ``request.breaks``;
* nobody is invited to anything on a date they are unavailable;
* no person and no room is in two places at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _mins(t) -> int:
    return t.hour * 60 + t.minute


def _break_minutes(request) -> list[tuple[int, int]]:
    return [(_mins(a), _mins(b)) for a, b in getattr(request, "breaks", None) or []]


def group_start_minute(request) -> int | None:
    """Where the rules put the group session (minutes since midnight), or None if it cannot fit."""
    breaks = _break_minutes(request)
    ws, length = _mins(request.window[0]), request.group_minutes
    for s in sorted({ws} | {b for _a, b in breaks if b > ws}):
        if not any(a < s + length and s < b for a, b in breaks):
            return s
    return None


def _crossed_break(start: datetime, end: datetime, breaks: list[tuple[int, int]]) -> str | None:
    """The first break that ``start``-``end`` runs into, as ``HH:MM-HH:MM``, or None."""
    s, e = _mins(start), _mins(end)
    for a, b in breaks:
        if a < e and s < b:
            return f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
    return None


def _candidates(division, request) -> set:
    """Who may be a division's responsible reviewer: its co-in-charges, else the organization in-charge."""
    candidates = set(division.co_incharges)
    if not candidates and request.organization_incharge is not None:
        candidates = {request.organization_incharge}
    return candidates


def _responsible_in(slot, candidates: set, extras: set):
    """The responsible reviewer a one-to-one names (one reviewer besides the extra ones, or failing that
    the first candidate among them), or None when it names none or several."""
    reviewers = set(slot.reviewers)
    rest = reviewers - extras
    if len(rest) > 1:
        return None
    if rest:
        (reviewer,) = rest
        return reviewer
    inside = candidates & reviewers
    return min(inside) if inside else None


@dataclass(frozen=True)
class _Facts:
    """What the rules read from the request and the plan, worked out once."""

    request: object
    divisions: dict  # code -> division
    chosen: list[str]
    chosen_set: set[str]
    meeting_dates: set[date]
    one_to_one_dates: set[date]
    rooms: set | None  # None: any room
    extras: set
    chair: object
    unavailable: dict  # person -> set of dates
    window: tuple[time, time]
    same_day: bool
    breaks: list[tuple[int, int]]
    group_offset: timedelta  # from the window start to the group session's start
    district_division: dict[str, str]  # district of a chosen division -> its division
    first_day_index: dict[date, int]  # date -> index of the first day listed on it
    first_place: dict[str, tuple[int, int]]  # division -> (day index, position) of its first listing
    division_day: dict[str, date]  # division -> the date it is first listed on
    slot_of: dict[str, tuple]  # district -> (day, one-to-one), the last listed
    responsible: dict[str, object]  # district -> the responsible reviewer its one-to-one names

    @classmethod
    def of(cls, plan, request) -> _Facts:
        divisions = {d.code: d for d in request.divisions}
        chosen = list(request.include) if request.include is not None else list(divisions)
        window_start = request.window[0]
        group_minute = group_start_minute(request)
        if group_minute is None:
            group_minute = _mins(window_start)
        district_division = {district.code: code for code in chosen for district in divisions[code].districts}
        first_day_index: dict[date, int] = {}
        first_place: dict[str, tuple[int, int]] = {}
        division_day: dict[str, date] = {}
        slot_of: dict[str, tuple] = {}
        for index, day in enumerate(plan.days):
            first_day_index.setdefault(day.date, index)
            for position, code in enumerate(day.divisions):
                first_place.setdefault(code, (index, position))
                division_day.setdefault(code, day.date)
            for slot in day.one_to_ones:
                slot_of[slot.district] = (day, slot)
        extras = set(request.extra_reviewers)
        return cls(
            request=request,
            divisions=divisions,
            chosen=chosen,
            chosen_set=set(chosen),
            meeting_dates=set(request.dates),
            one_to_one_dates=set(request.one_to_one_dates),
            rooms=set(request.rooms) if request.rooms else None,
            extras=extras,
            chair=getattr(request, "chair", None),
            unavailable={p: set(ds) for p, ds in (request.unavailable or {}).items()},
            window=(window_start, request.window[1]),
            same_day=request.one_to_ones == "same_day",
            breaks=_break_minutes(request),
            group_offset=timedelta(minutes=group_minute - _mins(window_start)),
            district_division=district_division,
            first_day_index=first_day_index,
            first_place=first_place,
            division_day=division_day,
            slot_of=slot_of,
            responsible=_responsible_reviewers(district_division, slot_of, divisions, request, extras),
        )


def _responsible_reviewers(district_division, slot_of, divisions, request, extras) -> dict:
    responsible = {}
    for code, division_code in district_division.items():
        if code not in slot_of:
            continue
        _day, slot = slot_of[code]
        reviewer = _responsible_in(slot, _candidates(divisions[division_code], request), extras)
        if reviewer is not None:
            responsible[code] = reviewer
    return responsible


# ---------------------------------------------------------------------------------------------
# Divisions on days
# ---------------------------------------------------------------------------------------------


def _date_listed_once(index: int, day, facts: _Facts) -> list[str]:
    return [f"date {day.date} appears twice"] if facts.first_day_index[day.date] != index else []


def _divisions_on_meeting_dates(index: int, day, facts: _Facts) -> list[str]:
    if day.divisions and day.date not in facts.meeting_dates:
        return [f"divisions on {day.date}, which is not a meeting date"]
    return []


def _at_most_per_day(index: int, day, facts: _Facts) -> list[str]:
    per_day = facts.request.per_day
    if len(day.divisions) > per_day:
        return [f"{len(day.divisions)} divisions on {day.date}, more than {per_day}"]
    return []


def _chosen_divisions_once(index: int, day, facts: _Facts) -> list[str]:
    out = []
    for position, code in enumerate(day.divisions):
        if code not in facts.chosen_set:
            out.append(f"division {code!r} is not chosen but is on {day.date}")
        if facts.first_place[code] != (index, position):
            out.append(f"division {code!r} is on {facts.division_day[code]} and {day.date}")
    return out


DAY_RULES: tuple[Callable[[int, object, _Facts], list[str]], ...] = (
    _date_listed_once,
    _divisions_on_meeting_dates,
    _at_most_per_day,
    _chosen_divisions_once,
)


def _divisions_on_days(plan, facts: _Facts) -> list[str]:
    return [
        problem
        for index, day in enumerate(plan.days)
        for rule in DAY_RULES
        for problem in rule(index, day, facts)
    ]


def _chosen_covered(facts: _Facts) -> list[str]:
    return [f"division {code!r} is not covered" for code in facts.chosen if code not in facts.division_day]


def _pins_hold(facts: _Facts) -> list[str]:
    return [
        f"division {code!r} is pinned to {pin_date} but is on {facts.division_day.get(code)}"
        for pin_date, codes in (facts.request.pins or {}).items()
        for code in codes
        if facts.division_day.get(code) != pin_date
    ]


# ---------------------------------------------------------------------------------------------
# One-to-ones
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OneToOne:
    """One district's one-to-one, as its rules read it."""

    district: object
    division: object
    day: object
    slot: object
    label: str


def _one_one_to_one_each(plan) -> list[str]:
    out, seen = [], set()
    for day in plan.days:
        for slot in day.one_to_ones:
            if slot.district in seen:
                out.append(f"district {slot.district!r} has more than one one-to-one")
            seen.add(slot.district)
    return out


def _one_to_ones_of_covered_divisions(facts: _Facts) -> list[str]:
    return [
        f"district {code!r} has a one-to-one but its division is not covered"
        for code in facts.slot_of
        if code not in facts.district_division
    ]


def _president_invited(o2o: _OneToOne, facts: _Facts) -> list[str]:
    president = o2o.district.president
    if o2o.slot.president != president:
        return [f"{o2o.label}: president {o2o.slot.president} instead of {president}"]
    return []


def _reviewers_invited(o2o: _OneToOne, facts: _Facts) -> list[str]:
    out, label = [], o2o.label
    reviewers = list(o2o.slot.reviewers)
    if len(reviewers) != len(set(reviewers)):
        out.append(f"{label}: a reviewer is listed twice")
    missing = facts.extras - set(reviewers)
    if missing:
        out.append(f"{label}: extra reviewers {sorted(missing)} missing")
    rest = set(reviewers) - facts.extras
    candidates = _candidates(o2o.division, facts.request)
    if len(rest) > 1:
        out.append(f"{label}: more than one responsible reviewer {sorted(rest)}")
    elif rest:
        (reviewer,) = rest
        if reviewer not in candidates:
            out.append(f"{label}: reviewer {reviewer} is not responsible for division {o2o.division.code}")
    elif not candidates & set(reviewers):
        out.append(f"{label}: no responsible reviewer")
    return out


def _lasts_one_to_one_minutes(o2o: _OneToOne, facts: _Facts) -> list[str]:
    slot, minutes = o2o.slot, facts.request.one_to_one_minutes
    if slot.end - slot.start != timedelta(minutes=minutes):
        return [f"{o2o.label}: lasts {slot.end - slot.start}, not {minutes} minutes"]
    return []


def _listed_under_its_date(o2o: _OneToOne, facts: _Facts) -> list[str]:
    slot, day = o2o.slot, o2o.day
    if slot.start.date() != day.date or slot.end.date() != day.date:
        return [f"{o2o.label}: listed under {day.date}"]
    return []


def _inside_the_window(o2o: _OneToOne, facts: _Facts) -> list[str]:
    slot, (ws, we) = o2o.slot, facts.window
    if slot.start.time() < ws or slot.end.time() > we or slot.end <= slot.start:
        return [f"{o2o.label}: outside the window {ws}-{we}"]
    return []


def _on_an_allowed_date(o2o: _OneToOne, facts: _Facts) -> list[str]:
    """Same-day mode: on its division's day, after the group session and the gap; otherwise on one of
    the one-to-one dates."""
    slot, request = o2o.slot, facts.request
    if not facts.same_day:
        if slot.start.date() not in facts.one_to_one_dates:
            return [f"{o2o.label}: {slot.start.date()} is not a one-to-one date"]
        return []
    out = []
    division_day = facts.division_day.get(o2o.division.code)
    if division_day != slot.start.date():
        out.append(f"{o2o.label}: not on its division's day {division_day}")
    earliest = (
        datetime.combine(slot.start.date(), facts.window[0])
        + facts.group_offset
        + timedelta(minutes=request.group_minutes + request.gap_minutes)
    )
    if slot.start < earliest:
        out.append(f"{o2o.label}: starts before the group session and gap end ({_fmt(earliest)})")
    return out


def _one_to_one_clear_of_breaks(o2o: _OneToOne, facts: _Facts) -> list[str]:
    crossed = _crossed_break(o2o.slot.start, o2o.slot.end, facts.breaks)
    return [f"{o2o.label}: runs into the break {crossed}"] if crossed else []


def _in_a_listed_room(o2o: _OneToOne, facts: _Facts) -> list[str]:
    if facts.rooms is not None and o2o.slot.room not in facts.rooms:
        return [f"{o2o.label}: room {o2o.slot.room!r} is not one of the rooms"]
    return []


def _one_to_one_people_available(o2o: _OneToOne, facts: _Facts) -> list[str]:
    slot = o2o.slot
    return [
        f"{o2o.label}: person {p} is unavailable that day"
        for p in [slot.president, *slot.reviewers]
        if p is not None and slot.start.date() in facts.unavailable.get(p, ())
    ]


ONE_TO_ONE_RULES: tuple[Callable[[_OneToOne, _Facts], list[str]], ...] = (
    _president_invited,
    _reviewers_invited,
    _lasts_one_to_one_minutes,
    _listed_under_its_date,
    _inside_the_window,
    _on_an_allowed_date,
    _one_to_one_clear_of_breaks,
    _in_a_listed_room,
    _one_to_one_people_available,
)


def _district_one_to_one(code: str, facts: _Facts) -> list[str]:
    if code not in facts.slot_of:
        return [f"district {code!r} has no one-to-one"]
    day, slot = facts.slot_of[code]
    division = facts.divisions[facts.district_division[code]]
    district = next(x for x in division.districts if x.code == code)
    o2o = _OneToOne(district, division, day, slot, f"one-to-one of {code} at {_fmt(slot.start)}")
    return [problem for rule in ONE_TO_ONE_RULES for problem in rule(o2o, facts)]


def _one_to_ones(plan, facts: _Facts) -> list[str]:
    out = _one_one_to_one_each(plan) + _one_to_ones_of_covered_divisions(facts)
    for code in facts.district_division:
        out += _district_one_to_one(code, facts)
    return out


# ---------------------------------------------------------------------------------------------
# Group sessions
# ---------------------------------------------------------------------------------------------


def _group_session_clear_of_breaks(day, facts: _Facts) -> list[str]:
    session = day.group_session
    crossed = _crossed_break(session.start, session.end, facts.breaks)
    return [f"{day.date}: group session runs into the break {crossed}"] if crossed else []


def _group_session_at_its_time(day, facts: _Facts) -> list[str]:
    session = day.group_session
    start = datetime.combine(day.date, facts.window[0]) + facts.group_offset
    if session.start != start or session.end != start + timedelta(minutes=facts.request.group_minutes):
        times = f"{_fmt(session.start)}-{_fmt(session.end)}"
        return [f"{day.date}: group session {times} is not at its start time"]
    return []


def _group_session_in_group_room(day, facts: _Facts) -> list[str]:
    room, group_room = day.group_session.room, facts.request.group_room
    return [f"{day.date}: group session in {room!r}, not {group_room!r}"] if room != group_room else []


def _expected_invitees(day, facts: _Facts) -> set:
    """The presidents of the day's districts, their responsible reviewers, the extras and the chair."""
    expected = set(facts.extras) | ({facts.chair} if facts.chair is not None else set())
    for code in day.divisions:
        for district in facts.divisions[code].districts if code in facts.divisions else []:
            if district.president is not None:
                expected.add(district.president)
            if district.code in facts.responsible:
                expected.add(facts.responsible[district.code])
    return expected


def _group_session_invitees(day, facts: _Facts) -> list[str]:
    out = []
    invitees = list(day.group_session.invitees)
    if len(invitees) != len(set(invitees)):
        out.append(f"{day.date}: an invitee is listed twice")
    expected = _expected_invitees(day, facts)
    if set(invitees) != expected:
        out.append(
            f"{day.date}: invitees differ: missing {sorted(expected - set(invitees))}, "
            f"extra {sorted(set(invitees) - expected)}"
        )
    return out


def _group_session_invitees_available(day, facts: _Facts) -> list[str]:
    return [
        f"{day.date}: invitee {p} is unavailable that day"
        for p in day.group_session.invitees
        if day.date in facts.unavailable.get(p, ())
    ]


GROUP_SESSION_RULES: tuple[Callable[[object, _Facts], list[str]], ...] = (
    _group_session_clear_of_breaks,
    _group_session_at_its_time,
    _group_session_in_group_room,
    _group_session_invitees,
    _group_session_invitees_available,
)


def _day_without_divisions(day, facts: _Facts) -> list[str]:
    out = []
    if day.group_session is not None:
        out.append(f"{day.date}: group session without divisions")
    if facts.same_day or not day.one_to_ones:
        out.append(f"{day.date}: a day with nothing on it")
    return out


def _group_session_of(day, facts: _Facts) -> list[str]:
    if not day.divisions:
        return _day_without_divisions(day, facts)
    if day.group_session is None:
        return [f"{day.date}: divisions without a group session"]
    return [problem for rule in GROUP_SESSION_RULES for problem in rule(day, facts)]


def _group_sessions(plan, facts: _Facts) -> list[str]:
    return [problem for day in plan.days for problem in _group_session_of(day, facts)]


# ---------------------------------------------------------------------------------------------
# Nobody and no room in two places at once
# ---------------------------------------------------------------------------------------------


def _bookings(plan) -> tuple[dict, dict]:
    """Who and which room is booked when: key -> list of (start, end, label)."""
    by_person, by_room = defaultdict(list), defaultdict(list)
    for day in plan.days:
        session = day.group_session
        if session is not None:
            label = f"group session {_fmt(session.start)}"
            for p in set(session.invitees):
                by_person[p].append((session.start, session.end, label))
            by_room[session.room].append((session.start, session.end, label))
        for slot in day.one_to_ones:
            label = f"one-to-one of {slot.district} {_fmt(slot.start)}"
            for p in {slot.president, *slot.reviewers} - {None}:
                by_person[p].append((slot.start, slot.end, label))
            by_room[slot.room].append((slot.start, slot.end, label))
    return by_person, by_room


def _overlaps(events: dict, what: str) -> list[str]:
    """events: key -> list of (start, end, label); report any two that overlap."""
    out = []
    for key, items in events.items():
        latest_end, latest_label = None, None
        for start, end, label in sorted(items, key=lambda x: (x[0], x[1])):
            if latest_end is not None and start < latest_end:
                out.append(f"{what} {key!r} is in two places at once: {latest_label} and {label}")
            if latest_end is None or end > latest_end:
                latest_end, latest_label = end, label
    return out


def _nobody_twice(plan) -> list[str]:
    by_person, by_room = _bookings(plan)
    return _overlaps(by_person, "person") + _overlaps(by_room, "room")


# ---------------------------------------------------------------------------------------------


def _reported_problems(plan) -> list[str]:
    problems = getattr(plan, "problems", None)
    return [f"plan reports problems: {[p.code for p in problems]}"] if problems else []


def check(plan, request) -> list[str]:
    """Every rule ``plan`` breaks for ``request``, one message each (empty when the plan is valid)."""
    facts = _Facts.of(plan, request)
    return (
        _reported_problems(plan)
        + _divisions_on_days(plan, facts)
        + _chosen_covered(facts)
        + _pins_hold(facts)
        + _one_to_ones(plan, facts)
        + _group_sessions(plan, facts)
        + _nobody_twice(plan)
    )
