"""Meeting planner on the real divisions, districts and co-in-charges of the shared data.

The planner is pure Python and returns codes and parameters; where a test reads a problem as the
office would, it is worded by the app's :mod:`tracker.meetings.plan_messages` (in English, or Hindi)
with the names of the shared data.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import os
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from bench.plan_check import check
from tracker.meetings import planner as planner_module
from tracker.meetings.plan_messages import problem_message
from tracker.meetings.planner import (
    District,
    Division,
    Plan,
    PlanRequest,
    move_slot,
    plan,
    replan,
    swap_days,
)


def _data_dir() -> Path:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("TRACKER_SHARED_DATA", "")]
    candidates += [str(p / "shared" / "data") for p in here.parents]
    candidates.append("/work/shared/data")
    for c in candidates:
        if c and (Path(c) / "org_districts.csv").exists():
            return Path(c)
    pytest.skip("shared/data with divisions.csv, org_districts.csv, co_incharges.csv not found")


STATE_INCHARGE = 900  # Harish Chaudhary (roles.csv)
PCC_PRESIDENT = 901  # Jitu Patwari
ORG_INCHARGE = 902  # Sanjay Kamle

SEP = {n: date(2025, 9, n) for n in range(20, 31)}
SIX = ["bhopal", "narmadapuram", "indore", "ujjain", "jabalpur", "gwalior"]


def _named(en: str, hi: str) -> SimpleNamespace:
    return SimpleNamespace(name_en=en, name_hi=hi)


def load_state() -> tuple[list[Division], SimpleNamespace]:
    """Divisions with their organizational districts, presidents and co-in-charges; and the names
    of the units (by code) and people (by id), as the app's planning context has them."""
    data = _data_dir()
    people = {
        STATE_INCHARGE: _named("Harish Chaudhary", "हरीश चौधरी"),
        PCC_PRESIDENT: _named("Jitu Patwari", "जीतू पटवारी"),
        ORG_INCHARGE: _named("Sanjay Kamle", "संजय कामले"),
    }
    units = {}

    def person(en: str, hi: str) -> int:
        pid = len(people) + 1
        people[pid] = _named(en, hi)
        return pid

    co: dict[str, list[int]] = defaultdict(list)
    with open(data / "co_incharges.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pid = person(row["name_en"], row["name_hi"])
            for code in filter(None, (c.strip() for c in row["division_codes"].split(";"))):
                co[code].append(pid)
    districts: dict[str, list[District]] = defaultdict(list)
    with open(data / "org_districts.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pres = person(row["president_en"], row["president_hi"]) if row["president_en"].strip() else None
            districts[row["division_code"]].append(District(row["code"], pres))
            units[row["code"]] = _named(row["name_en"], row["name_hi"])
    divisions = []
    with open(data / "divisions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"]
            divisions.append(Division(code, districts[code], co.get(code, [])))
            units[code] = _named(row["name_en"], row["name_hi"])
    return divisions, SimpleNamespace(units=units, people=people)


@pytest.fixture(scope="module")
def state():
    return load_state()


def reference(state, **changes) -> PlanRequest:
    divisions, _names = state
    req = PlanRequest(
        divisions=divisions,
        include=list(SIX),
        dates=[SEP[22], SEP[23], SEP[24]],
        per_day=2,
        pins={SEP[22]: ["bhopal", "narmadapuram"]},
        window=(time(11, 0), time(17, 0)),
        group_minutes=120,
        one_to_one_minutes=15,
    )
    return dataclasses.replace(req, **changes)


def by_code(state, code: str) -> Division:
    return next(d for d in state[0] if d.code == code)


def person_id(state, name: str) -> int:
    return next(pid for pid, p in state[1].people.items() if p.name_en == name)


def message(problem, state, language: str = "en") -> str:
    """The problem as the office reads it (the app's wording, with the shared data's names)."""
    with force_locale(language):
        return problem_message(problem, state[1])


def assert_nobody_double_booked(p: Plan) -> None:
    """A direct check, separate from plan_check: no person and no room in two places at once."""
    busy = defaultdict(list)
    for day in p.days:
        events = []
        if day.group_session:
            gs = day.group_session
            events.append((gs.start, gs.end, gs.room, set(gs.invitees)))
        for sl in day.one_to_ones:
            events.append((sl.start, sl.end, sl.room, {sl.president, *sl.reviewers} - {None}))
        for start, end, room, persons in events:
            for key in [("room", room), *(("person", x) for x in persons)]:
                for s2, e2 in busy[key]:
                    assert not (start < e2 and s2 < end), f"{key} double-booked at {start}"
                busy[key].append((start, end))


def codes(p: Plan) -> list[str]:
    return [x.code for x in p.problems]


def loads(p: Plan, state) -> dict[date, int]:
    return {d.date: sum(len(by_code(state, c).districts) for c in d.divisions) for d in p.days}


# ---------------------------------------------------------------------------------------------
# The reference scenario
# ---------------------------------------------------------------------------------------------


def test_reference_scenario(state):
    req = reference(state)
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    assert_nobody_double_booked(p)
    assert [d.date for d in p.days] == [SEP[22], SEP[23], SEP[24]]
    # pins hold, two divisions a day, each division once
    assert sorted(p.days[0].divisions) == ["bhopal", "narmadapuram"]
    assert all(len(d.divisions) == 2 for d in p.days)
    assert sorted(c for d in p.days for c in d.divisions) == sorted(SIX)
    # every district of the six divisions has exactly one slot, with its president and co-in-charge
    slots = {sl.district: (day, sl) for day in p.days for sl in day.one_to_ones}
    expected = {dist.code: div for div in (by_code(state, c) for c in SIX) for dist in div.districts}
    assert set(slots) == set(expected)
    assert len(slots) == 47
    for code, div in expected.items():
        day, sl = slots[code]
        assert code_in_day(day, div.code)
        dist = next(x for x in div.districts if x.code == code)
        assert sl.president == dist.president
        assert sl.reviewers == div.co_incharges[:1]
        assert sl.start >= datetime.combine(day.date, time(13, 0))
        assert sl.end <= datetime.combine(day.date, time(17, 0))
        assert sl.end - sl.start == timedelta(minutes=15)
    # the group session opens each day and invites presidents and co-in-charges
    for day in p.days:
        gs = day.group_session
        assert (gs.start.time(), gs.end.time(), gs.room) == (time(11, 0), time(13, 0), "hall")
        presidents = {x.president for c in day.divisions for x in by_code(state, c).districts}
        assert presidents <= set(gs.invitees)
    # balanced: 9 districts are pinned to day 1; the best split of Indore 11, Ujjain 10,
    # Jabalpur 11 and Gwalior 6 over two days is 21 + 17
    assert sorted(loads(p, state).values()) == [9, 17, 21]
    # co-in-charges of different divisions review in parallel
    day1 = p.days[0]
    starts = [sl.start.time() for sl in day1.one_to_ones]
    assert starts.count(time(13, 0)) == 2


def code_in_day(day, code):
    return code in day.divisions


def test_all_ten_divisions_in_three_days_is_refused(state):
    p = plan(reference(state, include=None, pins={}))
    assert p.days == []
    assert codes(p) == ["too_many_divisions"]
    prob = p.problems[0]
    assert prob.params["count"] == 10 and prob.params["days"] == 3
    assert prob.params["per_day"] == 2 and prob.params["capacity"] == 6
    for number in ("10 divisions", "3 days", "2 a day", "at most 6", "add 2 more day"):
        assert number in message(prob, state)


def test_all_ten_divisions_in_five_days(state):
    req = reference(state, include=None, dates=[SEP[n] for n in range(22, 27)])
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    assert sum(len(d.one_to_ones) for d in p.days) == 71


# ---------------------------------------------------------------------------------------------
# Extra reviewers: every one-to-one in sequence
# ---------------------------------------------------------------------------------------------


def test_extra_reviewers_make_one_to_ones_sequential(state):
    req = reference(state, extra_reviewers=[STATE_INCHARGE, PCC_PRESIDENT], window=(time(11, 0), time(19, 0)))
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    for day in p.days:
        slots = sorted(day.one_to_ones, key=lambda s: s.start)
        for a, b in zip(slots, slots[1:], strict=False):
            assert a.end <= b.start  # one after the other
        for sl in slots:
            assert STATE_INCHARGE in sl.reviewers and PCC_PRESIDENT in sl.reviewers
            assert len(sl.reviewers) == 3
        assert {STATE_INCHARGE, PCC_PRESIDENT} <= set(day.group_session.invitees)


def test_extra_reviewers_may_not_fit(state):
    req = reference(state, extra_reviewers=[STATE_INCHARGE])
    p = plan(req)
    assert p.days == []
    assert set(codes(p)) == {"slots_do_not_fit"}
    worst = max(p.problems, key=lambda x: x.params["needed"])
    assert worst.params["needed"] == 21 and worst.params["fits"] == 16
    text = message(worst, state)
    assert text.startswith("Day ")
    assert "needs 21 one-to-one slots with Harish Chaudhary but only 16 fit between 13:00 and 17:00" in text
    assert "add a reviewer, a day, or shorten the slots" in text
    hindi = message(worst, state, "hi")
    assert "हरीश चौधरी" in hindi and "सितंबर" in hindi and "21" in hindi


def test_gap_and_slot_length_shape_capacity(state):
    # 14:00-17:00 with 9-minute slots: 20 fit, as in the office's example
    req = reference(state, extra_reviewers=[STATE_INCHARGE], gap_minutes=60, one_to_one_minutes=9)
    p = plan(req)
    assert "slots_do_not_fit" in codes(p)
    prob = next(x for x in p.problems if x.code == "slots_do_not_fit")
    assert prob.params["fits"] == 20
    assert "between 14:00 and 17:00" in message(prob, state)


# ---------------------------------------------------------------------------------------------
# Other dates, unavailability, rooms
# ---------------------------------------------------------------------------------------------


def test_one_to_ones_on_other_dates(state):
    req = reference(state, one_to_ones="other_dates", one_to_one_dates=[SEP[25], SEP[26]])
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    assert_nobody_double_booked(p)
    group_days = [d for d in p.days if d.divisions]
    assert [d.date for d in group_days] == [SEP[22], SEP[23], SEP[24]]
    assert all(d.one_to_ones == [] for d in group_days)
    o2o = [sl for d in p.days for sl in d.one_to_ones]
    assert len(o2o) == 47
    assert {sl.start.date() for sl in o2o} <= {SEP[25], SEP[26]}
    assert min(sl.start.time() for sl in o2o) == time(11, 0)


def test_other_dates_on_a_meeting_date_start_after_the_group_session(state):
    req = reference(state, one_to_ones="other_dates", one_to_one_dates=[SEP[24]])
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    o2o = [sl for d in p.days for sl in d.one_to_ones]
    assert min(sl.start.time() for sl in o2o) == time(13, 0)


def test_other_dates_respect_unavailability(state):
    sanjay = person_id(state, "Sanjay Dutt")  # co-in-charge of Bhopal and Ujjain
    req = reference(
        state,
        one_to_ones="other_dates",
        one_to_one_dates=[SEP[25], SEP[26]],
        unavailable={sanjay: {SEP[25]}},
    )
    p = plan(req)
    assert p.problems == [] and check(p, req) == []
    for d in p.days:
        for sl in d.one_to_ones:
            if sanjay in sl.reviewers:
                assert sl.start.date() == SEP[26]


def test_unavailable_people_keep_their_divisions_off_that_day(state):
    sanjay = person_id(state, "Sanjay Dutt")
    indore_president = by_code(state, "indore").districts[0].president
    req = reference(state, unavailable={sanjay: {SEP[23]}, indore_president: {SEP[24]}})
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    day_of = {c: d.date for d in p.days for c in d.divisions}
    assert day_of["ujjain"] != SEP[23]
    assert day_of["indore"] != SEP[24]


def test_rooms_fewer_than_reviewers_serialize_slots(state):
    req = reference(state, rooms=["Room A"], window=(time(11, 0), time(19, 0)))
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []
    for d in p.days:
        slots = sorted(d.one_to_ones, key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in zip(slots, slots[1:], strict=False))
        assert {s.room for s in slots} == {"Room A"}


def test_two_rooms_for_four_reviewers(state):
    req = reference(state, rooms=["A", "B"], per_day=3, dates=[SEP[22], SEP[23]])
    p = plan(req)
    assert p.problems == []
    assert check(p, req) == []


def test_organization_incharge_reviews_divisions_without_co_incharge(state):
    divisions, people = state
    divisions = [dataclasses.replace(d, co_incharges=[]) if d.code == "gwalior" else d for d in divisions]
    req = reference(state, divisions=divisions, organization_incharge=ORG_INCHARGE)
    p = plan(req)
    assert p.problems == [] and check(p, req) == []
    gwalior = {x.code for x in by_code(state, "gwalior").districts}
    for d in p.days:
        for sl in d.one_to_ones:
            if sl.district in gwalior:
                assert sl.reviewers == [ORG_INCHARGE]


def test_several_co_incharges_share_a_division(state):
    divisions, people = state
    extra = person_id(state, "Anand Chaudhary")
    divisions = [
        dataclasses.replace(d, co_incharges=d.co_incharges + [extra]) if d.code == "indore" else d
        for d in divisions
    ]
    req = reference(state, divisions=divisions)
    p = plan(req)
    assert p.problems == [] and check(p, req) == []
    indore = {x.code for x in by_code(state, "indore").districts}
    reviewers = [sl.reviewers[0] for d in p.days for sl in d.one_to_ones if sl.district in indore]
    assert sorted(reviewers.count(r) for r in set(reviewers)) == [5, 6]
    day = next(d for d in p.days if "indore" in d.divisions)
    indore_slots = [sl for sl in day.one_to_ones if sl.district in indore]
    assert max(sl.end for sl in indore_slots) <= datetime.combine(day.date, time(14, 30))


# ---------------------------------------------------------------------------------------------
# Problem codes
# ---------------------------------------------------------------------------------------------


def test_empty_input(state):
    assert codes(plan(reference(state, include=[], pins={}))) == ["empty_input"]
    assert codes(plan(reference(state, dates=[], pins={}))) == ["empty_input"]
    assert codes(plan(reference(state, one_to_ones="other_dates"))) == ["empty_input"]


def test_invalid_settings(state):
    p = plan(reference(state, per_day=0))
    assert codes(p) == ["invalid_setting"] and p.problems[0].params["setting"] == "per_day"
    assert codes(plan(reference(state, window=(time(17, 0), time(11, 0))))) == ["invalid_setting"]
    assert codes(plan(reference(state, one_to_ones="later"))) == ["invalid_setting"]


def test_unknown_division(state):
    p = plan(reference(state, include=SIX + ["atlantis"]))
    assert codes(p) == ["unknown_division"] and "atlantis" in message(p.problems[0], state)
    p = plan(reference(state, pins={SEP[22]: ["rewa"]}))  # not among the chosen six
    assert codes(p) == ["unknown_division"]


def test_duplicate_code(state):
    divisions, _ = state
    twin = dataclasses.replace(divisions[0])
    p = plan(reference(state, divisions=divisions + [twin], include=None, pins={}))
    assert set(codes(p)) == {"duplicate_code"}
    assert "“bhopal”" in message(p.problems[0], state)


def test_pin_conflict(state):
    p = plan(reference(state, pins={SEP[22]: ["bhopal"], SEP[23]: ["bhopal"]}))
    assert codes(p) == ["pin_conflict"]
    assert "Bhopal division is pinned to both 22 September 2025 and 23 September 2025" in message(
        p.problems[0], state)


def test_pin_outside_dates(state):
    p = plan(reference(state, pins={SEP[29]: ["bhopal"]}))
    assert codes(p) == ["pin_outside_dates"]


def test_pin_over_capacity(state):
    p = plan(reference(state, pins={SEP[22]: ["bhopal", "narmadapuram", "indore"]}))
    assert codes(p) == ["pin_over_capacity"]
    assert p.problems[0].params["count"] == 3 and p.problems[0].params["per_day"] == 2
    assert "3 divisions are pinned to 22 September 2025 but at most 2" in message(p.problems[0], state)


def test_no_reviewer(state):
    divisions, _ = state
    divisions = [dataclasses.replace(d, co_incharges=[]) if d.code == "gwalior" else d for d in divisions]
    p = plan(reference(state, divisions=divisions))
    assert codes(p) == ["no_reviewer"]
    assert "Gwalior division has no co-in-charge" in message(p.problems[0], state)


def test_window_too_short(state):
    p = plan(reference(state, window=(time(11, 0), time(12, 0))))
    assert codes(p) == ["window_too_short"]


def test_person_unavailable_on_a_pinned_day(state):
    president = by_code(state, "bhopal").districts[0].president  # Praveen Saxena
    p = plan(reference(state, unavailable={president: {SEP[22]}}))
    assert codes(p) == ["person_unavailable"]
    assert p.problems[0].params["person"] == president
    assert (
        "Praveen Saxena is unavailable on 22 September 2025, when Bhopal division is planned"
        in message(p.problems[0], state)
    )


def test_division_unavailable(state):
    president = by_code(state, "gwalior").districts[0].president
    p = plan(reference(state, unavailable={president: {SEP[22], SEP[23], SEP[24]}}))
    assert codes(p) == ["division_unavailable"]
    assert "Rajendra Kushwaha" in message(p.problems[0], state)


def test_district_unavailable(state):
    president = by_code(state, "gwalior").districts[0].president
    req = reference(
        state, one_to_ones="other_dates", one_to_one_dates=[SEP[25]], unavailable={president: {SEP[25]}}
    )
    p = plan(req)
    assert codes(p) == ["district_unavailable"]
    assert "Ashoknagar" in message(p.problems[0], state)


def test_division_too_big(state):
    # 13:00-15:00 holds 8 slots, Indore alone needs 11 with Usha Naidu
    p = plan(reference(state, window=(time(11, 0), time(15, 0))))
    assert "division_too_big" in codes(p)
    prob = next(x for x in p.problems if x.params.get("division") == "indore")
    assert prob.params["needed"] == 11 and prob.params["fits"] == 8
    assert "Usha Naidu" in message(prob, state)


def test_slots_do_not_fit_on_a_pinned_day(state):
    # Usha Naidu reviews both Indore (11) and Narmadapuram (3): 14 > 12 fit in 13:00-16:00
    req = reference(state, pins={SEP[22]: ["indore", "narmadapuram"]}, window=(time(11, 0), time(16, 0)))
    p = plan(req)
    assert codes(p) == ["slots_do_not_fit"]
    prob = p.problems[0]
    assert prob.params["day"] == 1 and prob.params["needed"] == 14 and prob.params["fits"] == 12
    assert message(prob, state) == (
        "Day 1 (22 September 2025) needs 14 one-to-one slots with Usha Naidu but only 12 fit between "
        "13:00 and 16:00: add a reviewer, a day, or shorten the slots."
    )


def test_rooms_do_not_fit(state):
    p = plan(reference(state, rooms=["A"]))
    assert "rooms_do_not_fit" in codes(p)
    prob = next(x for x in p.problems if x.code == "rooms_do_not_fit")
    assert prob.params["rooms"] == 1 and prob.params["fits"] == 16


def test_one_to_one_dates_full(state):
    req = reference(
        state,
        one_to_ones="other_dates",
        one_to_one_dates=[SEP[25]],
        extra_reviewers=[STATE_INCHARGE],
    )
    p = plan(req)
    assert codes(p) == ["one_to_one_dates_full"]
    assert p.problems[0].params["needed"] == 47 and p.problems[0].params["fits"] == 24


def test_day_does_not_fit_when_people_clash_in_a_cycle():
    # three reviewers who are also presidents in each other's divisions: every pair of slots
    # shares a person, yet nobody has more than two slots
    divisions = [
        Division("a", [District("a1", 2)], [1]),
        Division("b", [District("b1", 3)], [2]),
        Division("c", [District("c1", 1)], [3]),
    ]
    req = PlanRequest(
        divisions=divisions,
        dates=[SEP[22]],
        per_day=3,
        window=(time(11, 0), time(12, 30)),
        group_minutes=60,
        one_to_one_minutes=15,
    )
    p = plan(req)
    assert codes(p) == ["day_does_not_fit"]
    ok = plan(dataclasses.replace(req, window=(time(11, 0), time(12, 45))))
    assert ok.problems == [] and check(ok, dataclasses.replace(req, window=(time(11, 0), time(12, 45)))) == []


def test_no_arrangement():
    divisions = [
        Division("a", [District("a1", 3)], [1]),
        Division("b", [District("b1", 4)], [2]),
    ]
    req = PlanRequest(
        divisions=divisions,
        dates=[SEP[22], SEP[23]],
        per_day=1,
        unavailable={3: {SEP[23]}, 4: {SEP[23]}},
    )
    assert codes(plan(req)) == ["no_arrangement"]


def test_every_problem_code_has_a_named_template():
    from tracker.meetings.plan_messages import PROBLEM_MESSAGES

    assert set(PROBLEM_MESSAGES) == set(planner_module.PROBLEM_CODES)
    for template in PROBLEM_MESSAGES.values():
        assert "{}" not in template


def test_problems_are_worded_in_the_readers_language(state):
    p = plan(reference(state, include=None, pins={}))
    assert message(p.problems[0], state).startswith("10 divisions cannot be covered in 3 days")
    assert message(p.problems[0], state, "hi").startswith("10 संभाग 3 दिनों में")


def test_the_planner_imports_only_the_standard_library():
    """Every module of the package: the standard library and the package's own modules only."""
    package = Path(planner_module.__file__).parent
    for path in sorted(package.glob("*.py")):
        modules = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                modules.add(node.module or "")
        own = {m for m in modules if m.startswith("tracker.meetings.planner")}
        assert {m.split(".")[0] for m in modules - own} <= {
            "__future__", "heapq", "collections", "dataclasses", "datetime"}, path.name


# ---------------------------------------------------------------------------------------------
# Re-planning
# ---------------------------------------------------------------------------------------------


def test_replan_without_changes_moves_nothing(state):
    req = reference(state)
    first = plan(req)
    again, moved, affected = replan(first, req)
    assert again == first
    assert moved == [] and affected == set()


def test_replan_after_someone_becomes_unavailable(state):
    req = reference(state)
    first = plan(req)
    day_of = {c: d.date for d in first.days for c in d.divisions}
    gwalior = by_code(state, "gwalior")
    president = gwalior.districts[2].president  # Jaivardhan Singh
    changed = reference(state, unavailable={president: {day_of["gwalior"]}})
    new, moved, affected = replan(first, changed)
    assert new.problems == []
    assert check(new, changed) == []
    new_day = {c: d.date for d in new.days for c in d.divisions}
    assert new_day["gwalior"] != day_of["gwalior"]
    # pinned day untouched, at most one other division swapped with Gwalior
    moved_divisions = {m.code for m in moved if m.kind == "division"}
    assert "gwalior" in moved_divisions and len(moved_divisions) <= 2
    assert "bhopal" not in moved_divisions and "narmadapuram" not in moved_divisions
    unchanged = {sl.district: sl for sl in first.days[0].one_to_ones}
    assert {sl.district: sl for sl in new.days[0].one_to_ones} == unchanged
    # slots of divisions that stayed are where they were
    for m in moved:
        if m.kind == "one_to_one":
            div = next(d for d in SIX if m.code in {x.code for x in by_code(state, d).districts})
            assert div in moved_divisions
    # everyone of Gwalior is affected, nobody of Bhopal
    assert president in affected
    assert gwalior.co_incharges[0] in affected
    assert not ({x.president for x in by_code(state, "bhopal").districts} & affected)


def test_replan_after_a_district_is_added(state):
    req = reference(state)
    first = plan(req)
    divisions, _names = state
    bhopal = by_code(state, "bhopal")
    grown = dataclasses.replace(bhopal, districts=bhopal.districts + [District("bhopal_new", 950)])
    divisions = [grown if d.code == "bhopal" else d for d in divisions]
    changed = reference(state, divisions=divisions)
    new, moved, affected = replan(first, changed)
    assert new.problems == [] and check(new, changed) == []
    assert [(m.kind, m.code, m.old_date) for m in moved] == [("one_to_one", "bhopal_new", None)]
    # the new president (new slot and group session) and Bhopal's co-in-charge (new slot)
    assert affected == {950, bhopal.co_incharges[0]}


def test_replan_after_a_gap_is_added_moves_only_the_first_slots(state):
    req = reference(state)
    first = plan(req)
    changed = reference(state, gap_minutes=15)  # one-to-ones from 13:15
    new, moved, affected = replan(first, changed)
    assert new.problems == [] and check(new, changed) == []
    at_one = {sl.district for d in first.days for sl in d.one_to_ones if sl.start.time() == time(13, 0)}
    assert len(at_one) == 6  # two reviewers in parallel on each of the three days
    assert {m.code for m in moved} == at_one
    assert all(m.kind == "one_to_one" and m.old_date == m.new_date for m in moved)
    old = {sl.district: sl for d in first.days for sl in d.one_to_ones}
    for d in new.days:
        for sl in d.one_to_ones:
            if sl.district not in at_one:
                assert sl == old[sl.district]
    # presidents of the moved districts and their reviewers; nobody else
    expected = set()
    for d in first.days:
        for sl in d.one_to_ones:
            if sl.district in at_one:
                expected |= {sl.president, *sl.reviewers}
    assert affected == expected


def test_replan_after_the_window_shrinks_keeps_what_still_fits(state):
    first = plan(reference(state))
    new, moved, affected = replan(first, reference(state, window=(time(11, 0), time(16, 0))))
    assert new == first and moved == [] and affected == set()


def test_replan_reports_problems(state):
    first = plan(reference(state))
    new, moved, affected = replan(first, reference(state, include=None, pins={}))
    assert codes(new) == ["too_many_divisions"] and moved == [] and affected == set()


# ---------------------------------------------------------------------------------------------
# Adjusting a plan
# ---------------------------------------------------------------------------------------------


def test_move_slot_into_a_free_time(state):
    req = reference(state)
    p = plan(req)
    day = p.days[0]
    vidisha = next(sl for sl in day.one_to_ones if sl.district == "vidisha")
    moved = move_slot(p, req, "vidisha", time(16, 30))
    assert moved.problems == []
    assert check(moved, req) == []
    new = next(sl for d in moved.days for sl in d.one_to_ones if sl.district == "vidisha")
    assert new.start == datetime.combine(day.date, time(16, 30)) and new.room == vidisha.room


def test_move_slot_refuses_clashes(state):
    req = reference(state)
    p = plan(req)
    # Bhopal City's reviewer (Sanjay Dutt) already reviews Bhopal Rural at 13:15
    refused = move_slot(p, req, "bhopal_city", time(13, 15))
    assert codes(refused) == ["person_clash"]
    assert refused.days == p.days
    assert "Sanjay Dutt would be in two places at once on 22 September 2025 at 13:15" in message(
        refused.problems[0], state)
    assert "Bhopal Rural" in message(refused.problems[0], state)
    # into the group session
    assert codes(move_slot(p, req, "bhopal_city", time(12, 0))) == ["outside_window"]
    assert codes(move_slot(p, req, "bhopal_city", time(16, 50))) == ["outside_window"]
    # another day
    assert codes(move_slot(p, req, "bhopal_city", time(16, 0), SEP[23])) == ["wrong_day"]
    assert codes(move_slot(p, req, "nowhere", time(16, 0))) == ["unknown_district"]
    # a room in use at that time by another reviewer (Usha Naidu is free when Vidisha is reviewed)
    vidisha = next(sl for sl in p.days[0].one_to_ones if sl.district == "vidisha")
    refused = move_slot(p, req, "narmadapuram", vidisha.start.time(), room=vidisha.room)
    assert codes(refused) == ["room_clash"]
    assert "the one-to-one with Vidisha" in message(refused.problems[0], state)


def test_move_slot_takes_another_room_when_its_room_is_busy(state):
    req = reference(state, rooms=["A", "B", "C"])
    p = plan(req)
    day = p.days[0]
    rooms = {sl.district: sl.room for sl in day.one_to_ones}
    assert rooms["vidisha"] == "A" and rooms["narmadapuram"] == "B"
    # Narmadapuram's one-to-one (Usha Naidu) into room A at 15:00, then Vidisha (Sanjay Dutt, room A) too
    step = move_slot(p, req, "narmadapuram", time(15, 0), room="A")
    assert step.problems == [] and check(step, req) == []
    moved = move_slot(step, req, "vidisha", time(15, 0))
    assert moved.problems == [] and check(moved, req) == []
    new = next(x for d in moved.days for x in d.one_to_ones if x.district == "vidisha")
    assert new.start.time() == time(15, 0) and new.room == "B"
    # with a single room there is none to take
    req1 = reference(state, rooms=["A"], window=(time(11, 0), time(19, 0)))
    p1 = plan(req1)
    last = max((x for x in p1.days[0].one_to_ones), key=lambda x: x.start)
    refused = move_slot(p1, req1, "betul", last.start.time())
    assert "room_clash" in codes(refused) or "person_clash" in codes(refused)


def test_move_slot_in_other_dates_mode(state):
    req = reference(state, one_to_ones="other_dates", one_to_one_dates=[SEP[25], SEP[26]])
    p = plan(req)
    moved = move_slot(p, req, "sehore", time(16, 0), SEP[26])
    assert moved.problems == [] and check(moved, req) == []
    assert codes(move_slot(p, req, "sehore", time(16, 0), SEP[27])) == ["not_a_one_to_one_date"]
    sanjay = person_id(state, "Sanjay Dutt")
    req2 = dataclasses.replace(req, unavailable={sanjay: {SEP[26]}})
    p2 = plan(req2)
    assert codes(move_slot(p2, req2, "sehore", time(16, 0), SEP[26])) == ["person_unavailable"]


def test_swap_days(state):
    req = reference(state)
    p = plan(req)
    a, b = p.days[1].date, p.days[2].date
    swapped = swap_days(p, req, a, b)
    assert swapped.problems == []
    assert check(swapped, req) == []
    assert swapped.days[1].divisions == p.days[2].divisions
    assert swapped.days[2].divisions == p.days[1].divisions
    assert [sl.start.time() for sl in swapped.days[1].one_to_ones] == [
        sl.start.time() for sl in p.days[2].one_to_ones
    ]


def test_swap_days_refuses_pins_unavailability_and_unknown_dates(state):
    req = reference(state)
    p = plan(req)
    refused = swap_days(p, req, SEP[22], SEP[23])
    assert set(codes(refused)) == {"pin_broken"} and refused.days == p.days
    day3 = p.days[2]
    president = by_code(state, day3.divisions[0]).districts[0].president
    req2 = dataclasses.replace(req, unavailable={president: {p.days[1].date}})
    assert codes(swap_days(p, req2, p.days[1].date, day3.date)) == ["person_unavailable"]
    assert codes(swap_days(p, req, SEP[23], SEP[28])) == ["unknown_date"]


def test_swap_days_refuses_clashes_in_other_dates_mode(state):
    req = reference(
        state,
        one_to_ones="other_dates",
        one_to_one_dates=[SEP[25]],
        dates=[SEP[22], SEP[23], SEP[24], SEP[25]],
    )
    p = plan(req)
    assert p.problems == [] and check(p, req) == []
    day23 = next(d for d in p.days if d.date == SEP[23])
    districts = {x.code for c in day23.divisions for x in by_code(state, c).districts}
    swapped = swap_days(p, req, SEP[23], SEP[25])
    assert swapped.problems == [] and check(swapped, req) == []
    # a one-to-one put by hand at 11:00 on the 25th clashes with the group session brought there
    day25 = next(d for d in p.days if d.date == SEP[25])
    sl = next(x for x in day25.one_to_ones if x.district in districts)
    early = dataclasses.replace(
        sl, start=datetime.combine(SEP[25], time(11, 0)), end=datetime.combine(SEP[25], time(11, 15))
    )
    slots = [early if x is sl else x for x in day25.one_to_ones]
    edited = Plan([dataclasses.replace(d, one_to_ones=slots) if d is day25 else d for d in p.days])
    refused = swap_days(edited, req, SEP[23], SEP[25])
    assert "person_clash" in codes(refused)
    assert refused.days == edited.days
