"""The independent plan checker (``bench.plan_check``) finds what it is meant to find.

The planner's tests only ever see ``check(plan, request) == []``; these break a valid plan one rule
at a time and read the checker's messages, so that the checker itself stays honest.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from bench.plan_check import check
from bench.planner import make_request
from tracker.meetings.planner import plan

REQUEST = make_request(20)  # div0 and div1 pinned to 22 September, div2 on the 23rd
PLAN = plan(REQUEST)


def _day(p, index: int, **changes):
    days = list(p.days)
    days[index] = dataclasses.replace(days[index], **changes)
    return dataclasses.replace(p, days=days)


def _slot(p, day: int, index: int, **changes):
    slots = list(p.days[day].one_to_ones)
    slots[index] = dataclasses.replace(slots[index], **changes)
    return _day(p, day, one_to_ones=slots)


def _first_slot():
    return PLAN.days[0].one_to_ones[0]


def _later(minutes: int):
    sl = _first_slot()
    return {"start": sl.start + timedelta(minutes=minutes), "end": sl.end + timedelta(minutes=minutes)}


def test_the_plan_to_break_is_valid():
    assert PLAN.problems == [] and check(PLAN, REQUEST) == []


BROKEN = {
    "a date twice": (
        lambda: dataclasses.replace(PLAN, days=[*PLAN.days, PLAN.days[1]]),
        "date 2025-09-23 appears twice",
    ),
    "not a meeting date": (lambda: _day(PLAN, 1, date=date(2025, 9, 30)), "which is not a meeting date"),
    "too many divisions": (
        lambda: _day(PLAN, 0, divisions=["div0", "div1", "div2"]),
        "3 divisions on 2025-09-22, more than 2",
    ),
    "a division on two days": (
        lambda: _day(PLAN, 1, divisions=["div2", "div0"]),
        "division 'div0' is on 2025-09-22 and 2025-09-23",
    ),
    "a division not covered": (lambda: _day(PLAN, 1, divisions=[]), "division 'div2' is not covered"),
    "a pin broken": (
        lambda: _day(_day(PLAN, 0, divisions=["div1"]), 1, divisions=["div2", "div0"]),
        "division 'div0' is pinned to 2025-09-22 but is on 2025-09-23",
    ),
    "a district without a one-to-one": (
        lambda: _day(PLAN, 1, one_to_ones=PLAN.days[1].one_to_ones[1:]),
        "district 'd2_0' has no one-to-one",
    ),
    "two one-to-ones": (
        lambda: _day(PLAN, 1, one_to_ones=[*PLAN.days[1].one_to_ones, PLAN.days[1].one_to_ones[0]]),
        "district 'd2_0' has more than one one-to-one",
    ),
    "the wrong president": (lambda: _slot(PLAN, 0, 0, president=99), "president 99 instead of 3"),
    "a reviewer not responsible": (
        lambda: _slot(PLAN, 0, 0, reviewers=[2]),
        "reviewer 2 is not responsible for division div0",
    ),
    "no responsible reviewer": (lambda: _slot(PLAN, 0, 0, reviewers=[]), "no responsible reviewer"),
    "too long": (lambda: _slot(PLAN, 0, 0, end=_first_slot().end + timedelta(minutes=5)), "not 15 minutes"),
    "outside the window": (lambda: _slot(PLAN, 0, 0, **_later(6 * 60)), "outside the window 11:00:00-18:00:00"),
    "before the group session ends": (
        lambda: _slot(PLAN, 0, 0, **_later(-60)),
        "starts before the group session and gap end (2025-09-22 13:00)",
    ),
    "into a break": (lambda: _slot(PLAN, 0, 0, **_later(30)), "runs into the break 13:30-14:15"),
    "a group session without divisions": (
        lambda: _day(PLAN, 1, divisions=[]),
        "2025-09-23: group session without divisions",
    ),
    "divisions without a group session": (
        lambda: _day(PLAN, 1, group_session=None),
        "2025-09-23: divisions without a group session",
    ),
    "a group session elsewhere": (
        lambda: _day(PLAN, 1, group_session=dataclasses.replace(PLAN.days[1].group_session, room="yard")),
        "2025-09-23: group session in 'yard', not 'hall'",
    ),
    "an invitee missing": (
        lambda: _day(
            PLAN, 1, group_session=dataclasses.replace(PLAN.days[1].group_session, invitees=[18, 19, 20, 21, 22])
        ),
        "2025-09-23: invitees differ: missing [2], extra []",
    ),
    "a reviewer in two places": (
        lambda: _slot(PLAN, 0, 1, reviewers=[1]),
        "person 1 is in two places at once",
    ),
}


@pytest.mark.parametrize("broken", BROKEN, ids=list(BROKEN))
def test_each_broken_rule_is_reported(broken):
    make, expected = BROKEN[broken]
    problems = check(make(), REQUEST)
    assert any(expected in problem for problem in problems), problems


def test_an_unavailable_person_and_an_unlisted_room_are_reported():
    president = _first_slot().president
    request = dataclasses.replace(
        REQUEST, unavailable={president: {date(2025, 9, 22)}}, rooms=["room_2", "room_3"]
    )
    problems = check(PLAN, request)
    label = f"one-to-one of d0_0 at {_first_slot().start:%Y-%m-%d %H:%M}"
    assert f"{label}: person {president} is unavailable that day" in problems
    assert f"{label}: room 'room_1' is not one of the rooms" in problems
    assert f"2025-09-22: invitee {president} is unavailable that day" in problems
