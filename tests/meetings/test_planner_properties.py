"""Property tests of the meeting planner.

* Every plan the planner returns passes the independent checker ``bench.plan_check.check``; when
  there is none, every problem has a template that its parameters fill.
* Re-planning an unchanged request changes nothing; re-planning after someone becomes unavailable
  gives a valid plan whenever planning from scratch does, and moves nothing when that person had
  nothing on that date; moving a slot or swapping days gives a valid plan or leaves it unchanged.
* Breaks: no group session and no one-to-one runs into a break (the checker), and a slot moved
  into a break is refused with ``crosses_break``.
* On small instances a brute-force search written here (all division-to-date assignments, then
  every one-to-one on every time position) agrees with the planner: when the planner finds no plan
  none exists, when it finds one its largest day (districts) is the smallest possible.

The brute force uses the planner's documented rules: one responsible reviewer per district, given
round-robin over the division's co-in-charges (or the organization in-charge), plus the extra
reviewers; one-to-ones on a grid of ``one_to_one_minutes`` from their first possible minute (any
timetable of equal-length slots can be moved down onto that grid without creating clashes); in
other-dates mode a one-to-one date that is also a meeting date starts after the group session time.
With breaks, the positions are counted per free span between breaks (a timetable can be moved down
onto the grid of each span), and the group session starts at the first free span long enough.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.plan_check import check
from tracker.meetings.plan_messages import PROBLEM_MESSAGES, problem_message
from tracker.meetings.planner import (
    District,
    Division,
    PlanRequest,
    move_slot,
    plan,
    replan,
    swap_days,
)

BASE = date(2025, 9, 22)
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def requests(draw, small: bool = True, tangled: bool = False) -> PlanRequest:
    """Random requests. Reviewers come from a small pool and presidents are sometimes taken from
    it too (a reviewer who is also a president, a president of two districts), so that the
    slots' conflicts are not always one clique per reviewer; ``tangled`` takes every president
    from the pool and adds no extra reviewer, to stress that case."""
    mode = draw(st.sampled_from(["same_day", "other_dates"]))
    tight = small and mode == "other_dates"
    pool = list(range(1, draw(st.integers(2, 6 if small else 20)) + 1))
    person = st.sampled_from(pool)
    fresh = iter(range(100, 10_000))
    n_div = draw(st.integers(1, (3 if tight else 4) if small else 9))
    max_districts = (2 if tight else 3) if small else 7
    divisions = []
    for i in range(n_div):
        districts = []
        for j in range(draw(st.integers(0, max_districts))):
            kind = draw(st.integers(0, 9))
            president = None if kind == 0 else draw(person) if (kind <= 3 or tangled) else next(fresh)
            districts.append(District(f"v{i}d{j}", president))
        no_co = draw(st.integers(0, 19)) == 0
        co = [] if no_co else draw(st.lists(person, min_size=1, max_size=2, unique=True))
        divisions.append(Division(f"v{i}", districts, co))
    per_day = draw(st.integers(1, 3))
    max_dates = 3 if small else 6
    enough = min(max_dates, -(-n_div // per_day))
    n_dates = draw(st.integers(1 if draw(st.integers(0, 9)) == 0 else enough, max_dates))
    dates = [BASE + timedelta(days=k) for k in range(n_dates)]
    pins: dict[date, list[str]] = {}
    for div in divisions:
        if draw(st.integers(0, 4)) == 0:
            pins.setdefault(draw(st.sampled_from(dates)), []).append(div.code)
    L = draw(st.sampled_from([15, 30]))
    group = draw(st.sampled_from([0, 30, 60]))
    gap = draw(st.sampled_from([0, 15]))
    K = draw(st.integers(0, (3 if tight else 4) if small else 10))
    length = group + gap + K * L + draw(st.integers(0, L - 1))
    length = length or 5
    start = 9 * 60
    end = start + length
    window = (time(start // 60, start % 60), time(end // 60, end % 60))
    o2o = []
    if mode == "other_dates":
        o2o = sorted(
            {BASE + timedelta(days=k) for k in draw(st.lists(st.integers(0, 4), min_size=1, max_size=2))}
        )
    all_dates = sorted(set(dates) | set(o2o))
    somebody = st.one_of(person, st.integers(100, 112))
    unavailable = draw(
        st.dictionaries(somebody, st.sets(st.sampled_from(all_dates), min_size=1, max_size=2), max_size=3)
    )
    rooms = draw(st.none() | st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=2, unique=True))
    breaks = []
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        b0 = start + draw(st.integers(0, length + 30))
        b1 = b0 + draw(st.sampled_from([5, 15, 30, 45]))
        if b1 < 24 * 60:
            breaks.append((time(b0 // 60, b0 % 60), time(b1 // 60, b1 % 60)))
    extras = []
    if not tangled and draw(st.booleans()):
        extras = draw(st.lists(person, max_size=1 if small else 2, unique=True))
    return PlanRequest(
        divisions=divisions,
        dates=dates,
        per_day=per_day,
        pins=pins,
        window=window,
        group_minutes=group,
        one_to_one_minutes=L,
        gap_minutes=gap,
        organization_incharge=draw(st.none() | person),
        extra_reviewers=extras,
        one_to_ones=mode,
        one_to_one_dates=o2o,
        unavailable=unavailable,
        rooms=rooms,
        breaks=breaks,
    )


# ---------------------------------------------------------------------------------------------
# Brute force
# ---------------------------------------------------------------------------------------------


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _free_spans(start: int, end: int, breaks) -> list[tuple[int, int]]:
    spans = [(start, end)]
    for a, b in ((_minutes(x), _minutes(y)) for x, y in breaks):
        spans = [piece for s, e in spans
                 for piece in ([(s, e)] if b <= s or a >= e else [(s, min(a, e)), (max(b, s), e)])
                 if piece[1] > piece[0]]
    return spans


def _positions(first: int, end: int, L: int, breaks) -> int:
    return sum((e - s) // L for s, e in _free_spans(first, end, breaks))


def _too_many_slots_for_someone(slot_persons: list[set[int]], slot_places: list[list[int]]) -> bool:
    """Does a person have more slots than the places open to all their slots together?"""
    per_person: dict[int, list[int]] = {}
    for s, ps in enumerate(slot_persons):
        for p in ps:
            per_person.setdefault(p, []).append(s)
    return any(
        len(slots) > len(set().union(*(slot_places[s] for s in slots))) for slots in per_person.values()
    )


def _timetable_exists(slot_persons: list[set[int]], slot_places: list[list[int]], rooms: int | None) -> bool:
    """Can each slot take one of its places (time positions) with no shared person at a place and
    at most ``rooms`` slots at a place? Plain depth-first search with a per-person count bound."""
    n = len(slot_persons)
    if n == 0:
        return True
    if _too_many_slots_for_someone(slot_persons, slot_places):
        return False
    order = sorted(range(n), key=lambda s: len(slot_places[s]))
    taken: dict[int, list[int]] = {}

    def fits(s: int, here: list[int]) -> bool:
        room_left = rooms is None or len(here) < rooms
        return room_left and not any(slot_persons[o] & slot_persons[s] for o in here)

    def place(k: int) -> bool:
        if k == n:
            return True
        s = order[k]
        for where in slot_places[s]:
            here = taken.setdefault(where, [])
            if not fits(s, here):
                continue
            here.append(s)
            if place(k + 1):
                return True
            here.pop()
        return False

    return place(0)


def _group_end(req: PlanRequest) -> int | None:
    """When the group session ends (minutes): it starts at the first free span long enough; None when it
    does not fit in the window."""
    ws, we = _minutes(req.window[0]), _minutes(req.window[1])
    breaks = [(_minutes(a), _minutes(b)) for a, b in req.breaks]
    starts = [s for s in sorted({ws} | {b for _a, b in breaks if b > ws})
              if not any(a < s + req.group_minutes and s < b for a, b in breaks)]
    if not starts or starts[0] + req.group_minutes > we:
        return None
    return starts[0] + req.group_minutes


def _people(req: PlanRequest) -> tuple[dict[str, set[int]], dict[str, set[int]]] | None:
    """Who sits in each district's one-to-one and who is invited to each division's group session, with
    responsible reviewers given round-robin; None when a division with districts has no reviewer."""
    extras = set(req.extra_reviewers)
    persons: dict[str, set[int]] = {}
    invitees: dict[str, set[int]] = {}
    for div in req.divisions:
        cands = list(dict.fromkeys(div.co_incharges))
        if not cands and req.organization_incharge is not None:
            cands = [req.organization_incharge]
        if div.districts and not cands:
            return None
        inv = set(extras)
        for j, dist in enumerate(div.districts):
            president = {dist.president} if dist.president is not None else set()
            r = cands[j % len(cands)]
            persons[dist.code] = {r} | extras | president
            inv |= {r} | president
        invitees[div.code] = inv
    return persons, invitees


def _pinned(req: PlanRequest, invitees: dict[str, set[int]], dates: list[date]) -> dict[str, date] | None:
    """Division -> the date it is pinned to; None when the pins cannot all hold."""
    pinned: dict[str, date] = {}
    for d, codes in req.pins.items():
        for code in codes:
            if code not in invitees or d not in dates or pinned.get(code, d) != d:
                return None
            pinned[code] = d
    return pinned


def _free(req: PlanRequest, p: int, d: date) -> bool:
    return d not in req.unavailable.get(p, set())


def _assignment_load(req, days: list[date], pinned, invitees, day_fits) -> int | None:
    """The largest day (districts) when division ``i`` of the request is on ``days[i]``; None when that
    breaks a rule (per-day limit, a pin, an unavailable invitee, or same-day one-to-ones that do not fit)."""
    on: dict[date, list[Division]] = {}
    for div, d in zip(req.divisions, days, strict=True):
        on.setdefault(d, []).append(div)
    if any(len(v) > req.per_day for v in on.values()):
        return None
    if any(pinned.get(div.code, d) != d for div, d in zip(req.divisions, days, strict=True)):
        return None
    if not all(
        _free(req, p, d) for div, d in zip(req.divisions, days, strict=True) for p in invitees[div.code]
    ):
        return None
    if req.one_to_ones == "same_day" and not all(
        day_fits(frozenset(d.code for d in v)) for v in on.values()
    ):
        return None
    return max(sum(len(d.districts) for d in v) for v in on.values())


def _other_dates_timetable_exists(req: PlanRequest, group_end: int, persons: dict[str, set[int]]) -> bool:
    """Other-dates mode: can every district have its one-to-one on one of the one-to-one dates?"""
    ws, we = _minutes(req.window[0]), _minutes(req.window[1])
    meeting = set(req.dates)
    places_by_date = []
    for d in sorted(set(req.one_to_one_dates)):
        first = group_end + req.gap_minutes if d in meeting else ws
        positions = _positions(first, we, req.one_to_one_minutes, req.breaks)
        places_by_date.append((d, [(d, t) for t in range(positions)]))
    slots, places = [], []
    for div in req.divisions:
        for x in div.districts:
            ps = persons[x.code]
            slots.append(ps)
            places.append([pl for d, pls in places_by_date if all(_free(req, p, d) for p in ps) for pl in pls])
    return _timetable_exists(slots, places, _rooms(req))


def _rooms(req: PlanRequest) -> int | None:
    return len(set(req.rooms)) if req.rooms else None


def brute_force(req: PlanRequest) -> int | None:
    """The smallest possible largest day (districts) over all valid plans, or None if none."""
    dates = sorted(set(req.dates))
    group_end = _group_end(req)
    people = _people(req) if group_end is not None else None
    if people is None:
        return None
    persons, invitees = people
    pinned = _pinned(req, invitees, dates)
    if pinned is None:
        return None
    window_end = _minutes(req.window[1])
    same_day_K = _positions(group_end + req.gap_minutes, window_end, req.one_to_one_minutes, req.breaks)
    day_cache: dict[frozenset, bool] = {}

    def day_fits(codes: frozenset) -> bool:
        if codes not in day_cache:
            slots = [persons[x.code] for div in req.divisions if div.code in codes for x in div.districts]
            places = [list(range(max(0, same_day_K)))] * len(slots)
            day_cache[codes] = _timetable_exists(slots, places, _rooms(req))
        return day_cache[codes]

    loads = [
        _assignment_load(req, list(days), pinned, invitees, day_fits)
        for days in product(dates, repeat=len(req.divisions))
    ]
    best = min((load for load in loads if load is not None), default=None)
    if best is None or req.one_to_ones == "same_day":
        return best
    return best if _other_dates_timetable_exists(req, group_end, persons) else None


def _largest_day(p, req) -> int:
    size = {d.code: len(d.districts) for d in req.divisions}
    return max(sum(size[c] for c in day.divisions) for day in p.days if day.divisions)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@SETTINGS
@given(requests(small=False))
def test_every_plan_passes_the_checker(req):
    p = plan(req)
    if p.days:
        assert p.problems == []
        assert check(p, req) == []
    else:
        assert p.problems
        for prob in p.problems:
            assert prob.code in PROBLEM_MESSAGES
            assert "{" not in problem_message(prob)


@SETTINGS
@given(st.one_of(requests(small=True), requests(small=True, tangled=True)))
def test_small_instances_agree_with_brute_force(req):
    p = plan(req)
    best = brute_force(req)
    if not p.days:
        assert best is None, f"planner says {[x.code for x in p.problems]} but a plan exists"
        assert "search_gave_up" not in [x.code for x in p.problems]
    else:
        assert check(p, req) == []
        assert best is not None
        assert _largest_day(p, req) == best


ADJUST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _busy_on(p, person: int, d: date) -> bool:
    for day in p.days:
        if day.date != d:
            continue
        if day.group_session and person in day.group_session.invitees:
            return True
        if any(person in {sl.president, *sl.reviewers} for sl in day.one_to_ones):
            return True
    return False


@ADJUST
@given(requests(small=False), st.data())
def test_replan(req, data):
    p = plan(req)
    if not p.days:
        return
    same, moved, affected = replan(p, req)
    assert same == p and moved == [] and affected == set()
    everyone = sorted(
        {x for day in p.days for sl in day.one_to_ones for x in {sl.president, *sl.reviewers}} - {None}
    )
    if not everyone:
        return
    who = data.draw(st.sampled_from(everyone))
    when = data.draw(st.sampled_from(sorted({day.date for day in p.days})))
    unavailable = {k: set(v) for k, v in req.unavailable.items()}
    unavailable.setdefault(who, set()).add(when)
    changed = dataclasses.replace(req, unavailable=unavailable)
    new, moved, affected = replan(p, changed)
    assert bool(new.days) == bool(plan(changed).days)
    if new.days:
        assert check(new, changed) == []
        assert not _busy_on(new, who, when)
        if not _busy_on(p, who, when):
            assert new == p and moved == [] and affected == set()
        else:
            assert who in affected
        old = {sl.district: sl for day in p.days for sl in day.one_to_ones}
        for m in moved:
            if m.kind == "one_to_one" and m.code in old:
                assert old[m.code].president in affected | {None}


@ADJUST
@given(requests(small=False), st.data())
def test_move_slot_and_swap_days_keep_plans_valid(req, data):
    p = plan(req)
    if not p.days:
        return
    slots = [sl for day in p.days for sl in day.one_to_ones]
    if slots:
        sl = data.draw(st.sampled_from(slots))
        minute = data.draw(st.integers(8 * 60, 18 * 60))
        new_time = time(minute // 60, minute % 60)
        dates = sorted({day.date for day in p.days} | set(req.one_to_one_dates))
        new_date = data.draw(st.none() | st.sampled_from(dates))
        moved = move_slot(p, req, sl.district, new_time, new_date)
        end = minute + (sl.end - sl.start).seconds // 60
        if any(_minutes(a) < end and minute < _minutes(b) for a, b in req.breaks):
            assert moved.problems
        if moved.problems:
            assert moved.days == p.days
        else:
            assert check(moved, req) == []
            now = next(x for day in moved.days for x in day.one_to_ones if x.district == sl.district)
            assert now.start.time() == new_time
            assert now.start.date() == (new_date or sl.start.date())
    a = data.draw(st.sampled_from(sorted(set(req.dates))))
    b = data.draw(st.sampled_from(sorted(set(req.dates))))
    swapped = swap_days(p, req, a, b)
    if swapped.problems:
        assert swapped.days == p.days
    else:
        assert check(swapped, req) == []


@SETTINGS
@given(requests(small=False))
def test_nothing_runs_into_a_break(req):
    """Spelled out apart from the checker: every session lies wholly before or after each break."""
    p = plan(req)
    breaks = [(_minutes(a), _minutes(b)) for a, b in req.breaks]
    for day in p.days:
        spans = [(day.group_session.start, day.group_session.end)] if day.group_session else []
        spans += [(sl.start, sl.end) for sl in day.one_to_ones]
        for start, end in spans:
            s, e = start.hour * 60 + start.minute, end.hour * 60 + end.minute
            assert all(e <= a or s >= b for a, b in breaks), (start, end, req.breaks)
