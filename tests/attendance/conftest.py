"""A small world for attendance tests: divisions, districts, presidents, a session with invitations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from tests.factories import make_meeting, make_session, make_unit, make_user
from tests.worlds import Region, make_region
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import now_utc


@dataclass
class World(Region):
    """A region whose district presidents (``people``) are all invited to ``session``."""

    session: object = None
    invitations: list = field(default_factory=list)

    @property
    def people(self) -> list:
        return self.presidents


def build_world(n_people: int = 6, n_divisions: int = 2, starts_in_minutes: int = -10, meeting=None,
                session=None, prefix: str = "") -> World:
    """``n_people`` district presidents spread over ``n_divisions`` divisions, all invited to one session
    (which started ``-starts_in_minutes`` ago, so that it is open for self check-in)."""
    region = make_region(
        [{"name_en": f"{prefix}District {i + 1}", "division": i % n_divisions} for i in range(n_people)],
        [{"name_en": f"{prefix}President {i + 1}", "name_hi": f"अध्यक्ष {i + 1}"} for i in range(n_people)],
        divisions=[{"name_en": f"{prefix}Division {d + 1}"} for d in range(n_divisions)],
        state={"code": f"{prefix}mp_state_{id(object())}"}, searchable=True)
    if session is None:
        meeting = meeting or make_meeting(status="published", commit=False)
        session = make_session(meeting, starts_at=now_utc() + timedelta(minutes=starts_in_minutes), minutes=180,
                               commit=False)
    world = World(region.state, region.divisions, region.districts, region.presidents, session=session,
                  invitations=region.invite(session))
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


@pytest.fixture
def log_in_as(auth):
    """A factory: ``log_in_as(role, person=None)`` makes a user of ``role`` (linked to ``person``) and
    logs the test client in as them, after logging out whoever the factory logged in before."""
    logged_in = []

    def _log_in_as(role: Role, person=None):
        if logged_in:
            auth.logout()
        user = make_user(role, person=person)
        auth.login(user.username)
        logged_in.append(user)
        return user

    return _log_in_as


def bulk_world(n_people: int, n_divisions: int = 10, marked_share: float = 0.5, prefix: str = "B") -> World:
    """A large roster made with bulk inserts (the factories would take minutes for thousands)."""

    import sqlalchemy as sa

    from tracker.attendance.models import Attendance, AttendanceStatus
    from tracker.directory.models import Person, Unit
    from tracker.meetings.models import Invitation

    state = make_unit("state", code=f"{prefix}_state")
    meeting = make_meeting(status="published", commit=False)
    session = make_session(meeting, starts_at=now_utc() - timedelta(minutes=30), minutes=180)
    divisions = [{"code": f"{prefix}_div_{d}", "level": "division", "name_en": f"{prefix} Division {d}",
                  "name_hi": f"संभाग {d}", "parent_id": state.id, "search_key": ""} for d in range(n_divisions)]
    db.session.execute(sa.insert(Unit), [{**u, "is_archived": False, "created_at": now_utc(), "updated_at": now_utc()}
                                         for u in divisions])
    div_ids = db.session.scalars(sa.select(Unit.id).where(Unit.code.like(f"{prefix}_div_%")).order_by(Unit.id)).all()
    now = now_utc()
    db.session.execute(sa.insert(Unit), [
        {"code": f"{prefix}_dist_{i}", "level": "district", "district_kind": "whole", "name_en": f"{prefix} District {i}",
         "name_hi": f"जिला {i}", "parent_id": div_ids[i % n_divisions], "search_key": "", "is_archived": False,
         "created_at": now, "updated_at": now} for i in range(n_people)])
    dist_ids = db.session.scalars(sa.select(Unit.id).where(Unit.code.like(f"{prefix}_dist_%")).order_by(Unit.id)).all()
    db.session.execute(sa.insert(Person), [
        {"name_en": f"{prefix} Person {i}", "name_hi": f"व्यक्ति {i}", "mobile": f"+9197{i:08d}",
         "preferred_locale": "hi", "preferred_channel": "sms", "note": "", "search_key": f" {prefix.lower()}prsn{i} ",
         "is_archived": False, "created_at": now, "updated_at": now} for i in range(n_people)])
    person_ids = db.session.scalars(sa.select(Person.id).where(Person.name_en.like(f"{prefix} Person %"))
                                    .order_by(Person.id)).all()
    db.session.execute(sa.insert(Invitation), [
        {"session_id": session.id, "person_id": pid, "kind": "invitee", "unit_id": dist_ids[i],
         "pass_issued_at": now, "created_at": now, "updated_at": now}
        for i, pid in enumerate(person_ids)])
    statuses = list(AttendanceStatus)
    marked = int(n_people * marked_share)
    if marked:
        db.session.execute(sa.insert(Attendance), [
            {"session_id": session.id, "person_id": pid, "status": statuses[i % len(statuses)],
             "late_at": now if statuses[i % len(statuses)] == AttendanceStatus.LATE else None,
             "represented_by_name": "Rep" if statuses[i % len(statuses)] == AttendanceStatus.REPRESENTED else "",
             "note": "", "is_walk_in": False, "marked_at": now, "version": 1, "can_undo": True}
            for i, pid in enumerate(person_ids[:marked])])
    db.session.commit()
    return World(state, session=session)
