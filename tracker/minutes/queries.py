"""Read side of the minutes: the document made from the data (a fixed number of queries whatever the number of
sessions, agenda items, invitees and action items), the lists of minutes, the settings.

Nothing here reads a review note: the action items in the minutes are the standalone ones (not made from a
one-to-one review's confidential note), so no confidential text can reach a minutes page, message or file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from tracker import policy
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.attendance.queries import District, Division, with_units
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import current_locale, localized
from tracker.meetings.models import (
    AgendaItem,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingSession,
    SessionKind,
    SessionStatus,
)
from tracker.meetings.rooms import room_label
from tracker.minutes.models import Minutes, MinutesSettings
from tracker.reviews.models import ActionItem
from tracker.timeutil import local_to_utc, to_local

Representative = aliased(Person, name="minutes_representative")
ACTION_ITEMS_SHOWN = 200
S = AttendanceStatus
# A person invited to several sessions of a meeting counts once, with the best of their marks.
_RANK = {S.PRESENT: 0, S.LATE: 0, S.REPRESENTED: 1, S.EXCUSED: 2, S.ABSENT: 3, None: 4}


@dataclass
class Attendee:
    name: str
    status: AttendanceStatus | None
    represented_by: str = ""


@dataclass
class DistrictAttendance:
    division: str
    district: str
    present: list[Attendee] = field(default_factory=list)
    represented: list[Attendee] = field(default_factory=list)
    excused: list[Attendee] = field(default_factory=list)
    absent: list[Attendee] = field(default_factory=list)  # absent or not marked

    @property
    def invited(self) -> int:
        return len(self.present) + len(self.represented) + len(self.excused) + len(self.absent)


@dataclass
class SessionPart:
    session: MeetingSession
    chair: Person | None
    dais: list[Person]
    items: list[AgendaItem]
    room: str = ""


@dataclass
class Document:
    """Everything the minutes' template shows besides the office's texts."""

    minutes: Minutes
    meeting: Meeting
    parts: list[SessionPart]
    attendance: list[DistrictAttendance]
    totals: dict[str, int]
    action_items: list[ActionItem]
    settings: MinutesSettings

    @property
    def title(self) -> str:
        if self.minutes.session is not None:
            return localized(self.minutes.session, "title") or self.minutes.session.kind.title
        return localized(self.meeting, "title")


def settings() -> MinutesSettings:
    """The letterhead (a default one until the office saves its own; nothing is written here)."""
    found = db.session.get(MinutesSettings, 1)
    if found is not None:
        return found
    return MinutesSettings(id=1, party_name_hi="मध्यप्रदेश कांग्रेस कमेटी", party_name_en="Madhya Pradesh Congress Committee",
                           address_hi="प्रदेश कांग्रेस कार्यालय, भोपाल", address_en="State Congress Office, Bhopal",
                           reference_prefix="MPCC", national_office_email="")


def group_sessions(meeting_id: int, session_id: int | None = None) -> list[MeetingSession]:
    """The group sessions the minutes record (the one session, or all of the meeting's that were not
    cancelled), with their agenda items and presenters (two queries)."""
    query = (sa.select(MeetingSession)
             .where(MeetingSession.meeting_id == meeting_id, MeetingSession.kind == SessionKind.GROUP)
             .options(selectinload(MeetingSession.agenda_items).joinedload(AgendaItem.presenter))
             .order_by(MeetingSession.starts_at, MeetingSession.id))
    if session_id is not None:
        query = query.where(MeetingSession.id == session_id)
    else:
        query = query.where(MeetingSession.status != SessionStatus.CANCELLED)
    return list(db.session.scalars(query))


def _platform(session_ids: list[int]) -> dict[int, list[Invitation]]:
    """The chair and the dais of each session, from the invitations (one query)."""
    out: dict[int, list[Invitation]] = {sid: [] for sid in session_ids}
    if not session_ids:
        return out
    rows = db.session.scalars(
        sa.select(Invitation).where(Invitation.session_id.in_(session_ids),
                                    Invitation.kind.in_([InvitationKind.CHAIR, InvitationKind.DAIS]))
        .options(joinedload(Invitation.person)).order_by(Invitation.id))
    for invitation in rows:
        out[invitation.session_id].append(invitation)
    return out


def _attendance(session_ids: list[int]) -> tuple[list[DistrictAttendance], dict[str, int]]:
    """Who came, who was represented by whom, who was excused and who was absent, by division and district,
    over the sessions (one query; a person invited to several sessions counts once)."""
    if not session_ids:
        return [], {"invited": 0, "present": 0, "represented": 0, "excused": 0, "absent": 0}
    query = with_units(
        sa.select(Invitation.person_id, Person.name_hi, Person.name_en, Attendance.status,
                  Representative.name_hi, Representative.name_en, Attendance.represented_by_name,
                  District.id, District.name_hi, District.name_en, District.level,
                  Division.id, Division.name_hi, Division.name_en)
        .select_from(Invitation)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .outerjoin(Representative, Representative.id == Attendance.represented_by_person_id)
    ).where(Invitation.session_id.in_(session_ids), Invitation.kind.in_([InvitationKind.INVITEE,
                                                                          InvitationKind.REVIEWER]))
    hindi = current_locale() == "hi"

    def pick(name_hi, name_en) -> str:
        return (name_hi or name_en or "") if hindi else (name_en or name_hi or "")

    best: dict[int, tuple] = {}
    for (person_id, p_hi, p_en, status, r_hi, r_en, r_name, d_id, d_hi, d_en, d_level,
         v_id, v_hi, v_en) in db.session.execute(query):
        status = S(status) if status is not None else None
        if d_id is not None and UnitLevel(d_level) == UnitLevel.DIVISION:
            division, district = pick(d_hi, d_en), ""
        else:
            division = pick(v_hi, v_en) if v_id is not None else ""
            district = pick(d_hi, d_en) if d_id is not None else ""
        representative = pick(r_hi, r_en) or (r_name or "")
        row = (division, district, Attendee(pick(p_hi, p_en), status, representative))
        if person_id not in best or _RANK[status] < _RANK[best[person_id][2].status]:
            best[person_id] = row
    groups: dict[tuple[str, str], DistrictAttendance] = {}
    totals = {"invited": 0, "present": 0, "represented": 0, "excused": 0, "absent": 0}
    for division, district, attendee in sorted(best.values(), key=lambda r: (r[0] == "", r[0], r[1], r[2].name)):
        group = groups.setdefault((division, district), DistrictAttendance(division, district))
        bucket = ("present" if attendee.status in (S.PRESENT, S.LATE) else
                  "represented" if attendee.status == S.REPRESENTED else
                  "excused" if attendee.status == S.EXCUSED else "absent")
        getattr(group, bucket).append(attendee)
        totals[bucket] += 1
        totals["invited"] += 1
    return list(groups.values()), totals


def _action_items(minutes: Minutes, sessions: list[MeetingSession]) -> list[ActionItem]:
    """The action items recorded during what the minutes record: standalone items (never those of a review
    note, whose context is confidential) made on the days of the sessions, of the meeting's campaign when
    it has one (one query)."""
    if not sessions:
        return []
    first = to_local(min(s.starts_at for s in sessions)).date()
    last = to_local(max(s.ends_at for s in sessions)).date()
    query = (sa.select(ActionItem)
             .where(ActionItem.review_note_id.is_(None),
                    ActionItem.created_at >= local_to_utc(first, time.min),
                    ActionItem.created_at < local_to_utc(last + timedelta(days=1), time.min))
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.district))
             .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
             .limit(ACTION_ITEMS_SHOWN))
    if minutes.meeting.campaign_id is not None:
        query = query.where(ActionItem.campaign_id == minutes.meeting.campaign_id)
    return list(db.session.scalars(query))


def document(minutes: Minutes) -> Document:
    """The minutes as a document (seven queries, whatever the size of the meeting)."""
    sessions = group_sessions(minutes.meeting_id, minutes.session_id)
    ids = [s.id for s in sessions]
    platform = _platform(ids)
    parts = []
    for session in sessions:
        invitations = platform[session.id]
        chair = next((i.person for i in invitations if i.kind == InvitationKind.CHAIR), None)
        parts.append(SessionPart(session, chair or session.chair,
                                 [i.person for i in invitations if i.kind == InvitationKind.DAIS],
                                 list(session.agenda_items), room_label(session.room)))
    attendance, totals = _attendance(ids)
    return Document(minutes, minutes.meeting, parts, attendance, totals, _action_items(minutes, sessions),
                    settings())


def minutes_or_none(minutes_id: int) -> Minutes | None:
    return db.session.scalar(
        sa.select(Minutes).where(Minutes.id == minutes_id)
        .options(joinedload(Minutes.meeting), joinedload(Minutes.session), joinedload(Minutes.chair)))


def of_meeting(meeting_id: int) -> dict[str, Minutes]:
    """The meeting's minutes by scope key ("m<id>", "s<id>") (one query)."""
    rows = db.session.scalars(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))
    return {m.scope_key: m for m in rows}


def visible_to(user, limit: int = 20) -> list[Minutes]:
    """The minutes the user may read, newest first (one query)."""
    return list(db.session.scalars(
        sa.select(Minutes).where(policy.visible_minutes_clause(user))
        .options(joinedload(Minutes.meeting), joinedload(Minutes.session))
        .order_by(Minutes.created_at.desc(), Minutes.id.desc()).limit(limit)))


def approved_for_person(person_id: int, limit: int = 20) -> list[Minutes]:
    """The approved minutes of what the person was invited to (the personal link's page; one query)."""
    from tracker.minutes.models import MinutesStatus

    own_sessions = sa.select(Invitation.session_id).where(Invitation.person_id == person_id)
    own_meetings = (sa.select(MeetingSession.meeting_id).join(Invitation, Invitation.session_id == MeetingSession.id)
                    .where(Invitation.person_id == person_id))
    return list(db.session.scalars(
        sa.select(Minutes).where(
            Minutes.status == MinutesStatus.APPROVED,
            sa.or_(sa.and_(Minutes.session_id.is_not(None), Minutes.session_id.in_(own_sessions)),
                   sa.and_(Minutes.session_id.is_(None), Minutes.meeting_id.in_(own_meetings))))
        .options(joinedload(Minutes.meeting), joinedload(Minutes.session))
        .order_by(Minutes.created_at.desc(), Minutes.id.desc()).limit(limit)))


def recipients(minutes: Minutes) -> list[Person]:
    """The people invited to what the minutes record, each once (one query)."""
    query = sa.select(Person).join(Invitation, Invitation.person_id == Person.id)
    if minutes.session_id is not None:
        query = query.where(Invitation.session_id == minutes.session_id)
    else:
        query = query.join(MeetingSession, MeetingSession.id == Invitation.session_id).where(
            MeetingSession.meeting_id == minutes.meeting_id, MeetingSession.status != SessionStatus.CANCELLED)
    return list(db.session.scalars(query.distinct().order_by(Person.id)))


def next_number(year: int) -> int:
    return (db.session.scalar(sa.select(sa.func.max(Minutes.number)).where(Minutes.year == year)) or 0) + 1


def unit_name(unit: Unit | None) -> str:
    return localized(unit) if unit is not None else ""

