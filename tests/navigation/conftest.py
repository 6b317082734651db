"""A small world for the home pages and links: a published meeting with sessions yesterday, today and
tomorrow (relative to the real "today"), a district president of each of two districts, and users per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest

from tests.attendance.conftest import build_world
from tests.factories import make_invitation, make_meeting, make_person, make_session, make_user
from tests.worlds import make_region
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import local_to_utc, now_utc, today_local


@dataclass
class Journey:
    meeting: object
    past: object  # yesterday's session
    today: object
    coming: object  # tomorrow's
    world: object  # tests.attendance.conftest.World of today's session (invitees, districts)
    president: object  # the user of world.people[0], district president of world.districts[0]
    other_session: object  # a session of another district, the president is not invited
    users: dict = field(default_factory=dict)


def at(day_offset: int, hour: int = 11):
    return local_to_utc(today_local() + timedelta(days=day_offset), time(hour, 0))


def make_journey(prefix: str = "") -> Journey:
    today = today_local()
    meeting = make_meeting(title_en=f"{prefix}Presidents' meeting", title_hi=f"{prefix}अध्यक्षों की बैठक",
                           starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
                           status="published", published_at=now_utc(), commit=False)
    past = make_session(meeting, starts_at=at(-1), title_en="Day one", title_hi="पहला दिन", commit=False)
    todays = make_session(meeting, starts_at=at(0), title_en="Day two", title_hi="दूसरा दिन", commit=False)
    coming = make_session(meeting, starts_at=at(1), title_en="Day three", title_hi="तीसरा दिन", commit=False)
    world = build_world(n_people=4, session=todays, prefix=prefix)
    for session in (past, coming):
        for person, district in zip(world.people, world.districts, strict=True):
            make_invitation(session, person, unit=district, commit=False)
    elsewhere = make_region([{"name_en": f"{prefix}Other district"}], [{"name_en": f"{prefix}Other President"}],
                            divisions=[{}], state={})
    other = make_session(meeting, starts_at=at(0, 15), kind="one_to_one", title_en="Other one-to-one",
                         title_hi="दूसरा वन-टू-वन", district=elsewhere.districts[0], commit=False)
    elsewhere.invite(other)
    db.session.commit()
    president = make_user(Role.PRESIDENT, f"{prefix}pres", person=world.people[0])
    return Journey(meeting, past, todays, coming, world, president, other)


@pytest.fixture
def journey():
    return make_journey()


@pytest.fixture
def users():
    return {
        "office": make_user(Role.OFFICE, "officer"),
        "coordinator": make_user(Role.COORDINATOR, "coord"),
        "incharge": make_user(Role.INCHARGE, "incharge", person=make_person(name_en="In Charge")),
    }
