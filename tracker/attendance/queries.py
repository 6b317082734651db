"""Read side of attendance: rosters, counts, session lists. Each function issues a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.core.sql import like
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import current_locale, name_order
from tracker.meetings.models import (
    Invitation,
    InvitationReply,
    Meeting,
    MeetingSession,
    MeetingStatus,
    ReplyAnswer,
    SessionStatus,
)
from tracker.timeutil import local_to_utc

District = aliased(Unit, name="district")
Division = aliased(Unit, name="division")
Representative = aliased(Person, name="representative")
# The row's own reply before the session; for a representative's row, the reply that named them and whom.
OwnReply = aliased(InvitationReply, name="own_reply")
NamingReply = aliased(InvitationReply, name="naming_reply")
RepresentedInvitation = aliased(Invitation, name="represented_invitation")
Represented = aliased(Person, name="represented")


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
    reply: ReplyAnswer | None = None
    represents: tuple[str, str] | None = None  # (name_hi, name_en) of the invitee a representative stands for

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
                  District, Division, Attendance, OwnReply.answer, Represented.name_hi, Represented.name_en)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .outerjoin(OwnReply, OwnReply.invitation_id == Invitation.id)
        .outerjoin(NamingReply, NamingReply.representative_invitation_id == Invitation.id)
        .outerjoin(RepresentedInvitation, RepresentedInvitation.id == NamingReply.invitation_id)
        .outerjoin(Represented, Represented.id == RepresentedInvitation.person_id)
        .where(Invitation.session_id == session_id)
    )
    return with_units(query).options(joinedload(Attendance.represented_by))


def _name_filter(text: str):
    from tracker.directory.search import match_clause

    clauses = [like(Person.name_en, text), like(Person.name_hi, text)]
    by_key = match_clause(Person.search_key, text)
    if by_key is not None:
        clauses.append(by_key)
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
    for (inv_id, person_id, name_hi, name_en, mobile, kind, district, division, attendance, reply,
         for_hi, for_en) in db.session.execute(query):
        if district is not None and district.level == UnitLevel.DIVISION:
            district, division = None, district
        represents = (for_hi, for_en) if (for_hi or for_en) else None
        out.append(RosterRow(inv_id, person_id, name_hi, name_en, mobile, str(kind), district, division, attendance,
                             reply, represents))
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


# Meetings whose sessions have rosters to keep: a draft has no frozen invitations yet, a cancelled one none.
ROSTER_MEETING_STATUSES = (MeetingStatus.PUBLISHED, MeetingStatus.COMPLETED)


def _roster_sessions():
    """Scheduled sessions of published or completed meetings, with their meeting (one join, no extra query)."""
    return (
        sa.select(MeetingSession).join(Meeting, Meeting.id == MeetingSession.meeting_id)
        .options(contains_eager(MeetingSession.meeting))
        .where(MeetingSession.status == SessionStatus.SCHEDULED, Meeting.status.in_(ROSTER_MEETING_STATUSES))
    )


def _lines(sessions: list[MeetingSession]) -> list[SessionLine]:
    """The sessions with their counts, and what their labels read (district, covered units) loaded for all
    of them at once: four queries at most, however many sessions and of whatever kinds."""
    if sessions:
        db.session.scalars(
            sa.select(MeetingSession).where(MeetingSession.id.in_([s.id for s in sessions]))
            .options(selectinload(MeetingSession.district), selectinload(MeetingSession.covered_units))
            .execution_options(populate_existing=True)
        ).all()
    by_session = counts_by_session([s.id for s in sessions])
    return [SessionLine(s, by_session.get(s.id, Counts())) for s in sessions]


@dataclass
class Overview:
    """A coordinator's sessions: today's, then the coming ones (soonest first), then the recent ones
    (latest first). Each list is bounded."""

    today: list[SessionLine]
    coming: list[SessionLine]
    recent: list[SessionLine]


def sessions_overview(today: date, coming: int = 10, recent: int = 10, today_limit: int = 50) -> Overview:
    """Four queries whatever the number of sessions: three bounded lists and their counts."""
    start = local_to_utc(today, datetime.min.time())
    end = local_to_utc(today + timedelta(days=1), datetime.min.time())
    order = (MeetingSession.starts_at, MeetingSession.id)
    todays = db.session.scalars(_roster_sessions().where(MeetingSession.starts_at >= start,
                                                         MeetingSession.starts_at < end)
                                .order_by(*order).limit(today_limit)).all()
    comings = db.session.scalars(_roster_sessions().where(MeetingSession.starts_at >= end)
                                 .order_by(*order).limit(coming)).all()
    recents = db.session.scalars(_roster_sessions().where(MeetingSession.starts_at < start)
                                 .order_by(MeetingSession.starts_at.desc(), MeetingSession.id.desc())
                                 .limit(recent)).all()
    lines = {line.session.id: line for line in _lines([*todays, *comings, *recents])}
    return Overview([lines[s.id] for s in todays], [lines[s.id] for s in comings], [lines[s.id] for s in recents])


def sessions_on(day: date, limit: int = 100) -> list[SessionLine]:
    """The sessions with a roster on one local day (two queries)."""
    start = local_to_utc(day, datetime.min.time())
    sessions = db.session.scalars(
        _roster_sessions().where(MeetingSession.starts_at >= start,
                                 MeetingSession.starts_at < local_to_utc(day + timedelta(days=1), datetime.min.time()))
        .order_by(MeetingSession.starts_at, MeetingSession.id).limit(limit)
    ).all()
    return _lines(sessions)


def meeting_session_lines(meeting_id: int, limit: int = 500) -> list[SessionLine]:
    """A meeting's sessions with a roster, in time order, with counts (two queries)."""
    sessions = db.session.scalars(
        _roster_sessions().where(MeetingSession.meeting_id == meeting_id)
        .order_by(MeetingSession.starts_at, MeetingSession.id).limit(limit)
    ).all()
    return _lines(sessions)


def roster_meetings(limit: int = 200) -> list[Meeting]:
    """Meetings a coordinator may pick (published or completed), newest first (one query)."""
    return db.session.scalars(
        sa.select(Meeting).where(Meeting.status.in_(ROSTER_MEETING_STATUSES))
        .order_by(Meeting.starts_on.desc(), Meeting.id.desc()).limit(limit)
    ).all()


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
