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
from datetime import datetime, timedelta


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _overlaps(events: dict, what: str, out: list[str]) -> None:
    """events: key -> list of (start, end, label); report any two that overlap."""
    for key, items in events.items():
        items = sorted(items, key=lambda x: (x[0], x[1]))
        latest_end, latest_label = None, None
        for start, end, label in items:
            if latest_end is not None and start < latest_end:
                out.append(f"{what} {key!r} is in two places at once: {latest_label} and {label}")
            if latest_end is None or end > latest_end:
                latest_end, latest_label = end, label


def _mins(t) -> int:
    return t.hour * 60 + t.minute


def group_start_minute(request) -> int | None:
    """Where the rules put the group session (minutes since midnight), or None if it cannot fit."""
    breaks = [(_mins(a), _mins(b)) for a, b in getattr(request, "breaks", None) or []]
    ws, length = _mins(request.window[0]), request.group_minutes
    for s in sorted({ws} | {b for _a, b in breaks if b > ws}):
        if not any(a < s + length and s < b for a, b in breaks):
            return s
    return None


def check(plan, request) -> list[str]:
    out: list[str] = []
    if getattr(plan, "problems", None):
        out.append(f"plan reports problems: {[p.code for p in plan.problems]}")
    divisions = {d.code: d for d in request.divisions}
    chosen = list(request.include) if request.include is not None else list(divisions)
    chosen_set = set(chosen)
    extras = set(request.extra_reviewers)
    chair = getattr(request, "chair", None)
    unavailable = {p: set(ds) for p, ds in (request.unavailable or {}).items()}
    ws = request.window[0]
    we = request.window[1]
    same_day = request.one_to_ones == "same_day"
    o2o_dates = set(request.one_to_one_dates)
    meeting_dates = set(request.dates)
    rooms = set(request.rooms) if request.rooms else None
    breaks = [(_mins(a), _mins(b)) for a, b in getattr(request, "breaks", None) or []]
    gs_minute = group_start_minute(request)
    gs_offset = timedelta(minutes=(gs_minute if gs_minute is not None else _mins(ws)) - _mins(ws))

    def into_break(start: datetime, end: datetime) -> str | None:
        s, e = _mins(start), _mins(end)
        for a, b in breaks:
            if a < e and s < b:
                return f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
        return None

    district_division = {}
    for code in chosen:
        for dist in divisions[code].districts:
            district_division[dist.code] = code

    # divisions on days
    seen_dates = set()
    division_day = {}
    for day in plan.days:
        if day.date in seen_dates:
            out.append(f"date {day.date} appears twice")
        seen_dates.add(day.date)
        if day.divisions and day.date not in meeting_dates:
            out.append(f"divisions on {day.date}, which is not a meeting date")
        if len(day.divisions) > request.per_day:
            out.append(f"{len(day.divisions)} divisions on {day.date}, more than {request.per_day}")
        for code in day.divisions:
            if code not in chosen_set:
                out.append(f"division {code!r} is not chosen but is on {day.date}")
            if code in division_day:
                out.append(f"division {code!r} is on {division_day[code]} and {day.date}")
            else:
                division_day[code] = day.date
    for code in chosen:
        if code not in division_day:
            out.append(f"division {code!r} is not covered")
    for pin_date, codes in (request.pins or {}).items():
        for code in codes:
            if division_day.get(code) != pin_date:
                out.append(f"division {code!r} is pinned to {pin_date} but is on {division_day.get(code)}")

    # one-to-ones
    slot_of = {}
    responsible = {}
    for day in plan.days:
        for sl in day.one_to_ones:
            if sl.district in slot_of:
                out.append(f"district {sl.district!r} has more than one one-to-one")
            slot_of[sl.district] = (day, sl)
    for code in slot_of:
        if code not in district_division:
            out.append(f"district {code!r} has a one-to-one but its division is not covered")
    for code, div_code in district_division.items():
        if code not in slot_of:
            out.append(f"district {code!r} has no one-to-one")
            continue
        day, sl = slot_of[code]
        div = divisions[div_code]
        dist = next(x for x in div.districts if x.code == code)
        label = f"one-to-one of {code} at {_fmt(sl.start)}"
        if sl.president != dist.president:
            out.append(f"{label}: president {sl.president} instead of {dist.president}")
        candidates = set(div.co_incharges)
        if not candidates and request.organization_incharge is not None:
            candidates = {request.organization_incharge}
        revs = list(sl.reviewers)
        if len(revs) != len(set(revs)):
            out.append(f"{label}: a reviewer is listed twice")
        missing = extras - set(revs)
        if missing:
            out.append(f"{label}: extra reviewers {sorted(missing)} missing")
        rest = set(revs) - extras
        if len(rest) > 1:
            out.append(f"{label}: more than one responsible reviewer {sorted(rest)}")
        elif rest:
            (r,) = rest
            if r not in candidates:
                out.append(f"{label}: reviewer {r} is not responsible for division {div_code}")
            responsible[code] = r
        else:
            inside = candidates & set(revs)
            if not inside:
                out.append(f"{label}: no responsible reviewer")
            else:
                responsible[code] = min(inside)
        if sl.end - sl.start != timedelta(minutes=request.one_to_one_minutes):
            out.append(f"{label}: lasts {sl.end - sl.start}, not {request.one_to_one_minutes} minutes")
        if sl.start.date() != day.date or sl.end.date() != day.date:
            out.append(f"{label}: listed under {day.date}")
        if sl.start.time() < ws or sl.end.time() > we or sl.end <= sl.start:
            out.append(f"{label}: outside the window {ws}-{we}")
        if same_day:
            if division_day.get(div_code) != sl.start.date():
                out.append(f"{label}: not on its division's day {division_day.get(div_code)}")
            earliest = datetime.combine(sl.start.date(), ws) + gs_offset + timedelta(
                minutes=request.group_minutes + request.gap_minutes
            )
            if sl.start < earliest:
                out.append(f"{label}: starts before the group session and gap end ({_fmt(earliest)})")
        elif sl.start.date() not in o2o_dates:
            out.append(f"{label}: {sl.start.date()} is not a one-to-one date")
        crossed = into_break(sl.start, sl.end)
        if crossed:
            out.append(f"{label}: runs into the break {crossed}")
        if rooms is not None and sl.room not in rooms:
            out.append(f"{label}: room {sl.room!r} is not one of the rooms")
        for p in [sl.president, *revs]:
            if p is not None and sl.start.date() in unavailable.get(p, ()):
                out.append(f"{label}: person {p} is unavailable that day")

    # group sessions
    for day in plan.days:
        gs = day.group_session
        if not day.divisions:
            if gs is not None:
                out.append(f"{day.date}: group session without divisions")
            if same_day or not day.one_to_ones:
                out.append(f"{day.date}: a day with nothing on it")
            continue
        if gs is None:
            out.append(f"{day.date}: divisions without a group session")
            continue
        start = datetime.combine(day.date, ws) + gs_offset
        crossed = into_break(gs.start, gs.end)
        if crossed:
            out.append(f"{day.date}: group session runs into the break {crossed}")
        if gs.start != start or gs.end != start + timedelta(minutes=request.group_minutes):
            out.append(
                f"{day.date}: group session {_fmt(gs.start)}-{_fmt(gs.end)} is not at its start time"
            )
        if gs.room != request.group_room:
            out.append(f"{day.date}: group session in {gs.room!r}, not {request.group_room!r}")
        expected = set(extras) | ({chair} if chair is not None else set())
        for code in day.divisions:
            for dist in divisions[code].districts if code in divisions else []:
                if dist.president is not None:
                    expected.add(dist.president)
                if dist.code in responsible:
                    expected.add(responsible[dist.code])
        invitees = list(gs.invitees)
        if len(invitees) != len(set(invitees)):
            out.append(f"{day.date}: an invitee is listed twice")
        if set(invitees) != expected:
            out.append(
                f"{day.date}: invitees differ: missing {sorted(expected - set(invitees))}, "
                f"extra {sorted(set(invitees) - expected)}"
            )
        for p in invitees:
            if day.date in unavailable.get(p, ()):
                out.append(f"{day.date}: invitee {p} is unavailable that day")

    # nobody and no room in two places at once
    by_person = defaultdict(list)
    by_room = defaultdict(list)
    for day in plan.days:
        gs = day.group_session
        if gs is not None:
            label = f"group session {_fmt(gs.start)}"
            for p in set(gs.invitees):
                by_person[p].append((gs.start, gs.end, label))
            by_room[gs.room].append((gs.start, gs.end, label))
        for sl in day.one_to_ones:
            label = f"one-to-one of {sl.district} {_fmt(sl.start)}"
            for p in {sl.president, *sl.reviewers} - {None}:
                by_person[p].append((sl.start, sl.end, label))
            by_room[sl.room].append((sl.start, sl.end, label))
    _overlaps(by_person, "person", out)
    _overlaps(by_room, "room", out)
    return out
