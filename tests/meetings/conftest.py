"""Fixtures of the meetings tests: the Madhya Pradesh demo directory, a fixed clock, helpers."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tracker.directory.models import Person, Unit
from tracker.extensions import db

REFERENCE_DIVISIONS = ["bhopal", "narmadapuram", "indore", "ujjain", "jabalpur", "sagar"]
START = date(2025, 9, 22)


class Demo:
    """The demo directory (``tracker.demo.load_demo``) with lookups by code and name."""

    def unit(self, code: str) -> Unit:
        return db.session.scalar(sa.select(Unit).where(Unit.code == code))

    def person(self, name_en: str) -> Person:
        return db.session.scalar(sa.select(Person).where(Person.name_en == name_en))

    def division(self, name: str) -> Unit:
        return self.unit(f"{name}_division")

    def login(self, auth, username: str, locale: str | None = None):
        """Log in as one of the demo logins (``praveen`` is Bhopal City's president)."""
        from flask import current_app

        from tracker.auth.models import User

        if locale:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.locale = locale
            db.session.commit()
        return auth.login(username, current_app.config["DEMO_PASSWORD"])


@pytest.fixture
def demo() -> Demo:
    from tracker.demo import load_demo

    load_demo()
    return Demo()


@pytest.fixture
def clock(fixed_now):
    """The whole app (pages, policy, jobs, timestamps) thinks it is 20 September 2025, 10:00 in Bhopal."""
    return fixed_now("2025-09-20T10:00:00+05:30")


@pytest.fixture
def office(auth):
    make_user("office", "office_user")
    auth.login("office_user")
    return auth


def reference_input(**overrides):
    from tracker.meetings.planning import PlanInput

    data = dict(division_codes=list(REFERENCE_DIVISIONS), start=START, days=3, per_day=2,
                pins={START: ["bhopal", "narmadapuram"]}, window=(time(11, 0), time(17, 0)))
    data.update(overrides)
    return PlanInput(**data)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    from tracker.timeutil import local_to_utc

    return local_to_utc(day, time(hh, mm))


class World:
    """A small directory: division A (districts a1, a2, co-in-charge ``ci``), division B (district
    b1, no co-in-charge: the organization in-charge ``org`` reviews it), state in-charge ``si``."""

    def __init__(self):
        from tests.factories import make_person
        from tests.worlds import make_holder, make_region

        region = make_region(
            [{"code": "a1", "name_en": "A One", "name_hi": "ए एक"}, {"code": "a2", "name_en": "A Two", "name_hi": "ए दो"},
             {"code": "b1", "name_en": "B One", "name_hi": "बी एक", "division": 1}],
            [{"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना"}, {"name_en": "Anil Verma", "name_hi": "अनिल वर्मा"},
             {"name_en": "Bina Rao", "name_hi": "बीना राव"}],
            divisions=[{"code": "div_a", "name_en": "Alpha", "name_hi": "अल्फ़ा"},
                       {"code": "div_b", "name_en": "Beta", "name_hi": "बीटा"}],
            state={"code": "st", "name_en": "State", "name_hi": "राज्य"})
        self.state, (self.div_a, self.div_b) = region.state, region.divisions
        self.a1, self.a2, self.b1 = region.districts
        self.pa1, self.pa2, self.pb1 = region.presidents
        self.ci = make_holder(self.div_a, "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त")
        self.org = make_holder(self.state, "org_incharge", name_en="Sanjay Kamle", name_hi="संजय कामले")
        self.si = make_holder(self.state, "state_incharge", name_en="Harish Chaudhary", name_hi="हरीश चौधरी")
        self.guest = make_person("Guest Person", "अतिथि", commit=False)
        db.session.commit()


@pytest.fixture
def world() -> World:
    return World()


def group_data(world: World, day: date = START, start=(11, 0), end=(13, 0), units=None, **extra) -> dict:
    data = {"kind": "group", "day": day, "start": time(*start), "end": time(*end), "room": "Hall",
            "covered_unit_ids": [u.id for u in (units if units is not None else [world.div_a])],
            "chair_person_id": world.si.id}
    data.update(extra)
    return data


def new_meeting(title: str = "Review meeting", days: int = 3):
    from datetime import timedelta

    from tracker.meetings import operations as ops

    return ops.create_meeting({"title_en": title, "title_hi": "समीक्षा बैठक", "purpose": "review",
                               "starts_on": START, "ends_on": START + timedelta(days=days - 1),
                               "venue": "State office"})


@pytest.fixture
def published(world):
    """A published meeting with one group session of division A: (meeting, session)."""
    from tracker.meetings import operations as ops

    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    db.session.commit()
    return meeting, session


def publish_agenda_of_a1(world: World):
    """The agenda a phone shows A One's president: a published meeting with division A's group session
    (three agenda items, what to bring, all in Hindi) and A One's one-to-one with the co-in-charge right
    after it; the president can log in as ``praveen_b`` (Hindi). Returns the meeting; not committed."""
    from tracker.meetings import operations as ops

    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, title_hi="अल्फ़ा संभाग के जिला अध्यक्ष",
                                                  what_to_bring_hi="जिले की संगठन सूची और बूथ समितियों की स्थिति"))
    for title in ("स्वागत और परिचय", "संगठन सृजन अभियान: उद्देश्य और गतिविधियाँ", "प्रशिक्षण की प्रक्रिया"):
        ops.add_agenda_item(session, {"title_hi": title, "minutes": 30})
    ops.add_session(meeting, {"kind": "one_to_one", "day": meeting.starts_on, "start": group_data(world)["end"],
                              "end": group_data(world, start=(13, 15))["start"], "district_unit_id": world.a1.id,
                              "reviewer_person_ids": [world.ci.id], "room": "कक्ष 1"})
    ops.publish_meeting(meeting)
    make_user("president", "praveen_b", person=world.pa1, locale="hi")
    return meeting
