"""The attendance of one session as the office reads it afterwards: who was expected (invited minus those
who replied that they would not come), who came, who was represented, and who stayed away without notice
(with their phone numbers, to call them). One query, whatever the number of invitees."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from tracker.attendance import signals
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.attendance.operations import AttendanceError
from tracker.audit.operations import record as audit_record
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _, name_order
from tracker.meetings.models import Invitation, InvitationKind, InvitationReply, MeetingSession, ReplyAnswer
from tracker.timeutil import now_utc

S = AttendanceStatus
CAME = (S.PRESENT, S.LATE)


@dataclass(frozen=True)
class Absentee:
    person_id: int
    name_hi: str
    name_en: str
    mobile: str
    marked_absent: bool  # marked absent (else: not marked at all)


@dataclass
class SessionSummary:
    happened: bool
    invited: int = 0
    declined: int = 0
    came: int = 0
    walk_ins: int = 0
    represented: int = 0
    excused: int = 0
    absent_without_notice: list[Absentee] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return self.invited - self.declined


def session_summary(session: MeetingSession) -> SessionSummary:
    summary = SessionSummary(happened=session.starts_at <= now_utc())
    query = (
        sa.select(Invitation.kind, Attendance.status, InvitationReply.answer, Person.id, Person.name_hi,
                  Person.name_en, Person.mobile)
        .select_from(Invitation)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .outerjoin(InvitationReply, InvitationReply.invitation_id == Invitation.id)
        .where(Invitation.session_id == session.id)
        .order_by(*name_order(Person), Person.id)
    )
    for kind, status, answer, person_id, name_hi, name_en, mobile in db.session.execute(query):
        _count(summary, InvitationKind(kind), S(status) if status else None,
               ReplyAnswer(answer) if answer else None, Absentee(person_id, name_hi, name_en, mobile or "",
                                                                 status is not None))
    return summary


def _count(summary: SessionSummary, kind: InvitationKind, status: S | None, answer: ReplyAnswer | None,
           person: Absentee) -> None:
    if kind == InvitationKind.WALK_IN:
        summary.walk_ins += status in CAME
        summary.came += status in CAME
        return
    summary.invited += 1
    summary.declined += answer == ReplyAnswer.NOT_ATTENDING
    summary.came += status in CAME
    summary.represented += status == S.REPRESENTED
    summary.excused += status == S.EXCUSED
    gave_notice = answer in (ReplyAnswer.NOT_ATTENDING, ReplyAnswer.REPRESENTATIVE)
    if summary.happened and status in (None, S.ABSENT) and not gave_notice:
        summary.absent_without_notice.append(person)


# --- a message to those who stayed away ----------------------------------------------------------


def absentees_to_message(session: MeetingSession) -> list[Person]:
    """The people who stayed away without notice, as directory records (one more query)."""
    ids = [a.person_id for a in session_summary(session).absent_without_notice]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Person).where(Person.id.in_(ids)).order_by(*name_order(Person),
                                                                                        Person.id)))


def absentee_routes(session: MeetingSession, people: list[Person]) -> dict:
    """``{channel or None: count}``: how the reminders domain would reach ``people`` (empty: it is not there)."""
    counts: Counter = Counter()
    for _receiver, answer in signals.absentee_message_routes.send(session, people=people):
        counts.update(answer or {})
    return dict(counts)


def message_absentees(session: MeetingSession) -> int:
    """Ask everyone who stayed away without notice to tell the office why, through the reminders' channels;
    returns how many messages were queued. Recorded in the session's history."""
    if session.starts_at > now_utc():
        raise AttendanceError(_("This session has not been held yet: it has no attendance."))
    people = absentees_to_message(session)
    if not people:
        raise AttendanceError(_("Nobody stayed away without notice."))
    queued = sum(answer or 0 for _receiver, answer in signals.absentee_message.send(session, people=people))
    audit_record(db.session, MeetingSession.__tablename__, session.id, "message_absentees",
                 {"messaged": [None, queued], "absentees": [None, len(people)]})
    db.session.flush()
    return queued
