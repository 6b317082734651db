"""A small world for attendance tests: divisions, districts, presidents, a session with invitations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from tests.factories import (
    make_invitation,
    make_meeting,
    make_person,
    make_post,
    make_session,
    make_unit,
    make_user,
)
from tracker.auth.models import Role
from tracker.db import utcnow
from tracker.directory.search import make_search_key
from tracker.extensions import db


@dataclass
class World:
    session: object
    people: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    districts: list = field(default_factory=list)
    divisions: list = field(default_factory=list)


def build_world(n_people: int = 6, n_divisions: int = 2, starts_in_minutes: int = -10, meeting=None,
                session=None, prefix: str = "") -> World:
    """``n_people`` district presidents spread over ``n_divisions`` divisions, all invited to one session
    (which started ``-starts_in_minutes`` ago, so that it is open for self check-in)."""
    state = make_unit("state", code=f"{prefix}mp_state_{id(object())}", commit=False)
    divisions = [make_unit("division", parent=state, name_en=f"{prefix}Division {d + 1}", commit=False)
                 for d in range(n_divisions)]
    if session is None:
        meeting = meeting or make_meeting(status="published", commit=False)
        session = make_session(meeting, starts_at=utcnow() + timedelta(minutes=starts_in_minutes), minutes=180,
                               commit=False)
    world = World(session=session, divisions=divisions)
    for i in range(n_people):
        division = divisions[i % n_divisions]
        district = make_unit("district", parent=division, name_en=f"{prefix}District {i + 1}", commit=False)
        person = make_person(name_en=f"{prefix}President {i + 1}", name_hi=f"अध्यक्ष {i + 1}", commit=False)
        person.search_key = make_search_key(person.name_hi, person.name_en)
        make_post(person, district, "district_president", commit=False)
        world.districts.append(district)
        world.people.append(person)
        world.invitations.append(make_invitation(session, person, unit=district, commit=False))
    db.session.commit()
    return world


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, "coord")


@pytest.fixture
def office():
    return make_user(Role.OFFICE, "officer")


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, "boss")
