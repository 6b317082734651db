"""Read side of attendance: rosters, counts, session lists. Each function issues a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import current_locale, name_order
from tracker.meetings.models import Invitation, Meeting, MeetingSession, SessionStatus
from tracker.timeutil import local_to_utc

District = aliased(Unit, name="district")
Division = aliased(Unit, name="division")
Representative = aliased(Person, name="representative")


def with_units(query):
    """Join the invitation's unit (as District) and its parent (as Division)."""
    return (query.outerjoin(District, District.id == Invitation.unit_id)
            .outerjoin(Division, Division.id == District.parent_id))


@dataclass
class RosterRow:
    invitation_id: int
    person_id: int
    name_hi: str
    name_en: str
    mobile: str | None
    kind: str
    district: Unit | None
    division: Unit | None
    attendance: Attendance | None

    @property
    def status(self) -> AttendanceStatus | None:
        return self.attendance.status if self.attendance else None

    @property
    def search_text(self) -> str:
        return f"{self.name_en} {self.name_hi}".lower()


@dataclass
class RosterGroup:
    division: Unit | None
    district: Unit | None
    rows: list[RosterRow] = field(default_factory=list)


@dataclass
class Counts:
    invited: int = 0
    by_status: Counter = field(default_factory=Counter)

    @property
    def present(self) -> int:
        return self.by_status[AttendanceStatus.PRESENT] + self.by_status[AttendanceStatus.LATE]

    @property
    def unmarked(self) -> int:
        return self.invited - sum(self.by_status.values())

    def __getitem__(self, status: AttendanceStatus) -> int:
        return self.by_status[status]


def get_session(session_id: int) -> MeetingSession | None:
    return db.session.scalar(
        sa.select(MeetingSession).options(joinedload(MeetingSession.meeting)).where(MeetingSession.id == session_id)
    )


def _roster_query(session_id: int):
    query = (
        sa.select(Invitation.id, Invitation.person_id, Person.name_hi, Person.name_en, Person.mobile, Invitation.kind,
                  District, Division, Attendance)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .where(Invitation.session_id == session_id)
    )
    return with_units(query).options(joinedload(Attendance.represented_by))


def _name_filter(text: str):
    from tracker.directory.search import normalize_tokens

    text = text.strip()
    like = f"%{text}%"
    clauses = [Person.name_en.ilike(like), Person.name_hi.like(like)]
    tokens = normalize_tokens(text)
    if tokens:
        clauses.append(sa.and_(*(Person.search_key.like(f"% {token}%") for token in tokens)))
    return sa.or_(*clauses)


def roster(session_id: int, search: str = "") -> list[RosterRow]:
    """Everyone invited to the session, with their attendance, in roster order (one query)."""
    query = _roster_query(session_id).order_by(*name_order(Person), Person.id)
    if search.strip():
        query = query.where(_name_filter(search))
    # People come in name order from the database; grouping by division and district keeps that order.
    return sorted(roster_rows_from(query), key=_group_order(current_locale()))


def _group_order(locale: str):
    field = "name_hi" if locale == "hi" else "name_en"

    def unit_name(unit) -> str:
        return (getattr(unit, field) or unit.name_en or "").lower() if unit is not None else ""

    return lambda row: (row.division is None, unit_name(row.division), row.district is None, unit_name(row.district))


def roster_row(session_id: int, person_id: int) -> RosterRow | None:
    query = _roster_query(session_id).where(Invitation.person_id == person_id)
    found = roster_rows_from(query)
    return found[0] if found else None


def roster_rows_from(query) -> list[RosterRow]:
    """Rows of a roster query; an in-charge invited for a division has no district."""
    out = []
    for inv_id, person_id, name_hi, name_en, mobile, kind, district, division, attendance in db.session.execute(query):
        if district is not None and district.level == UnitLevel.DIVISION:
            district, division = None, district
        out.append(RosterRow(inv_id, person_id, name_hi, name_en, mobile, str(kind), district, division, attendance))
    return out


def grouped(rows: list[RosterRow]) -> list[RosterGroup]:
    groups: list[RosterGroup] = []
    for row in rows:
        if not groups or (groups[-1].division, groups[-1].district) != (row.division, row.district):
            groups.append(RosterGroup(row.division, row.district))
        groups[-1].rows.append(row)
    return groups


def counts(session_id: int) -> Counts:
    """Invited and marked counts of a session (one query)."""
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count(Invitation.id))
        .select_from(Invitation)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .where(Invitation.session_id == session_id)
        .group_by(Attendance.status)
    ).all()
    result = Counts()
    for status, n in rows:
        result.invited += n
        if status is not None:
            result.by_status[AttendanceStatus(status)] += n
    return result


def counts_from_rows(rows: list[RosterRow]) -> Counts:
    result = Counts(invited=len(rows))
    result.by_status.update(row.status for row in rows if row.status is not None)
    return result


@dataclass
class SessionLine:
    session: MeetingSession
    counts: Counts


def sessions_between(start: date, end: date, limit: int = 100) -> list[SessionLine]:
    """Scheduled sessions from ``start`` to ``end`` (local dates, inclusive), with counts (two queries)."""
    sessions = db.session.scalars(
        sa.select(MeetingSession).options(joinedload(MeetingSession.meeting))
        .where(MeetingSession.starts_at >= local_to_utc(start, datetime.min.time()),
               MeetingSession.starts_at < local_to_utc(end + timedelta(days=1), datetime.min.time()),
               MeetingSession.status == SessionStatus.SCHEDULED)
        .order_by(MeetingSession.starts_at, MeetingSession.id).limit(limit)
    ).all()
    by_session = counts_by_session([s.id for s in sessions])
    return [SessionLine(s, by_session.get(s.id, Counts())) for s in sessions]


def counts_by_session(session_ids: list[int]) -> dict[int, Counts]:
    if not session_ids:
        return {}
    rows = db.session.execute(
        sa.select(Invitation.session_id, Attendance.status, sa.func.count(Invitation.id))
        .select_from(Invitation)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .where(Invitation.session_id.in_(session_ids))
        .group_by(Invitation.session_id, Attendance.status)
    ).all()
    out: dict[int, Counts] = {}
    for session_id, status, n in rows:
        c = out.setdefault(session_id, Counts())
        c.invited += n
        if status is not None:
            c.by_status[AttendanceStatus(status)] += n
    return out


def invitation_for(invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation)
        .options(joinedload(Invitation.person), joinedload(Invitation.unit),
                 joinedload(Invitation.session).joinedload(MeetingSession.meeting))
        .where(Invitation.id == invitation_id)
    )


def attendance_of(session_id: int, person_id: int) -> Attendance | None:
    return db.session.scalar(
        sa.select(Attendance).where(Attendance.session_id == session_id, Attendance.person_id == person_id)
    )


def meetings_recent(limit: int = 50) -> list[Meeting]:
    return db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id.desc())
                              .limit(limit)).all()


def session_invitations(session_id: int) -> list[Invitation]:
    """Invitations of a session with their person and unit, by name (for printing passes)."""
    return db.session.scalars(
        sa.select(Invitation).join(Person, Person.id == Invitation.person_id)
        .options(joinedload(Invitation.person), joinedload(Invitation.unit),
                 joinedload(Invitation.session).joinedload(MeetingSession.meeting))
        .where(Invitation.session_id == session_id).order_by(*name_order(Person), Person.id)
    ).all()
