"""Factories for tests. Each creates through the operations where they exist and commits."""

from __future__ import annotations

import itertools

from tracker.auth import operations as auth_ops
from tracker.auth.models import Role, User
from tracker.extensions import db

_seq = itertools.count(1)
DEFAULT_PASSWORD = "correct-horse-battery"


def _saved(obj, commit: bool):
    """Add and flush ``obj`` (it gets its id), and commit unless the caller builds more first."""
    db.session.add(obj)
    db.session.flush()
    if commit:
        db.session.commit()
    return obj


def make_user(role: Role | str = Role.OFFICE, username: str | None = None, person=None, **kw) -> User:
    role = Role(role)
    username = username or f"{role.value}{next(_seq)}"
    user = auth_ops.create_user(
        username, kw.pop("password", DEFAULT_PASSWORD), role, person_id=getattr(person, "id", person), **kw
    )
    db.session.commit()
    return user


# --- directory ---------------------------------------------------------------------------------

def make_role(code: str, title_en: str | None = None, title_hi: str | None = None, single_holder: bool = False):
    import sqlalchemy as sa

    from tracker.directory.models import PostRole

    role = db.session.scalar(sa.select(PostRole).where(PostRole.code == code))
    if role is None:
        role = PostRole(code=code, title_en=title_en or code.replace("_", " ").title(), title_hi=title_hi or code,
                        single_holder=single_holder)
        db.session.add(role)
        db.session.flush()
    return role


def make_unit(level: str = "district", code: str | None = None, parent=None, name_en: str | None = None,
              name_hi: str | None = None, district_kind: str | None = None, commit: bool = True):
    from tracker.directory.models import DistrictKind, Unit, UnitLevel

    level = UnitLevel(level)
    if level != UnitLevel.STATE and parent is None:
        parent = make_unit("state" if level == UnitLevel.DIVISION else
                           {"district": "division", "block": "district"}[level.value], commit=False)
    n = next(_seq)
    code = code or f"{level.value}_{n}"
    unit = Unit(
        code=code, level=level, parent=parent, name_en=name_en or code.replace("_", " ").title(),
        name_hi=name_hi or f"इकाई {n}",
        district_kind=DistrictKind(district_kind or "whole") if level == UnitLevel.DISTRICT else None,
    )
    return _saved(unit, commit)


def make_person(name_en: str | None = None, name_hi: str | None = None, mobile: str | None = None,
                commit: bool = True, **kw):
    """A person; without ``name_hi`` one is invented, while ``name_hi=""`` makes a person without a Hindi name."""
    from tracker.directory.models import Person

    n = next(_seq)
    person = Person(name_en=name_en or f"Person {n}", name_hi=f"व्यक्ति {n}" if name_hi is None else name_hi,
                    mobile=mobile if mobile is not None else f"+9198{n:08d}", **kw)
    return _saved(person, commit)


def make_post(person, unit, role_code: str = "district_president", start_date=None, end_date=None,
              commit: bool = True):
    from datetime import date

    from tracker.directory.models import Post

    role = make_role(role_code, single_holder=role_code in ("district_president", "state_president"))
    post = Post(person=person, unit=unit, role=role, start_date=start_date or date(2025, 8, 16), end_date=end_date)
    return _saved(post, commit)


# --- meetings ----------------------------------------------------------------------------------

def make_meeting(title_en: str = "District presidents' meeting", starts_on=None, ends_on=None,
                 status: str = "draft", commit: bool = True, **kw):
    from datetime import date

    from tracker.meetings.models import Meeting, MeetingPurpose, MeetingStatus

    starts_on = starts_on or date(2025, 9, 22)
    meeting = Meeting(title_en=title_en, title_hi=kw.pop("title_hi", "जिला अध्यक्षों की बैठक"),
                      purpose=MeetingPurpose(kw.pop("purpose", "review")), starts_on=starts_on,
                      ends_on=ends_on or starts_on, status=MeetingStatus(status),
                      venue=kw.pop("venue", "Indira Bhawan, Bhopal"), **kw)
    return _saved(meeting, commit)


def make_session(meeting=None, starts_at=None, minutes: int = 120, kind: str = "group", commit: bool = True, **kw):
    from datetime import UTC, datetime, timedelta

    from tracker.meetings.models import MeetingSession, SessionKind

    meeting = meeting or make_meeting(commit=False)
    starts_at = starts_at or datetime(2025, 9, 22, 5, 30, tzinfo=UTC)  # 11:00 in Asia/Kolkata
    session = MeetingSession(meeting=meeting, kind=SessionKind(kind), starts_at=starts_at,
                             ends_at=starts_at + timedelta(minutes=minutes),
                             title_en=kw.pop("title_en", "Group session"), title_hi=kw.pop("title_hi", "सामूहिक सत्र"),
                             room=kw.pop("room", "Hall"), **kw)
    return _saved(session, commit)


def make_invitation(session, person, kind: str = "invitee", unit=None, commit: bool = True):
    from tracker.meetings.models import Invitation, InvitationKind
    from tracker.timeutil import now_utc

    inv = Invitation(session=session, person=person, kind=InvitationKind(kind), unit=unit, pass_issued_at=now_utc())
    return _saved(inv, commit)
