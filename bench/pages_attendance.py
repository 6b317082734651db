"""Attendance pages for ``python -m bench.pages``: the coordinator's roster and the reports.

``seed`` adds, for every state of the synthetic directory, a meeting that began an hour ago with one
session for the current district presidents of the state's first two divisions (so each roster has
the same size at every scale), with a QR pass per invitation and marks for most invitees. The
database grows with the directory; the pages shown stay the same size, except the rates page, which
has one row per division. (``tests/attendance/test_querycount.py`` checks the query counts from 20 to
2,000 invitees on one roster.)
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.directory.models import Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.directory.queries import current_post_clause
from tracker.extensions import db
from tracker.meetings.models import Invitation, InvitationKind, Meeting, MeetingSession, SessionKind
from tracker.timeutil import now_utc, to_local, today_local

COORDINATOR = "bench_coordinator"
OFFICE = "bench_office"
TITLE = "Attendance benchmark"
STATUSES = list(AttendanceStatus)


def _presidents(division_ids: list[int]) -> list[tuple[int, int]]:
    """(person, district) of the current district presidents of these divisions."""
    return db.session.execute(
        sa.select(Post.person_id, Post.unit_id)
        .join(PostRole, PostRole.id == Post.role_id).join(Unit, Unit.id == Post.unit_id)
        .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT, Unit.parent_id.in_(division_ids),
               Unit.level == UnitLevel.DISTRICT, current_post_clause(today_local()))
        .order_by(Unit.id)
    ).all()


def _session(state: Unit, index: int) -> MeetingSession:
    starts_at = now_utc().replace(microsecond=0) - timedelta(hours=1, days=index)
    meeting = Meeting(title_en=f"{TITLE}: {state.name_en}", title_hi=f"उपस्थिति बेंचमार्क: {state.name_hi}",
                      purpose="review", starts_on=to_local(starts_at).date(), ends_on=to_local(starts_at).date(),
                      status="published", venue="State office")
    session = MeetingSession(meeting=meeting, kind=SessionKind.GROUP, starts_at=starts_at,
                             ends_at=starts_at + timedelta(hours=3), title_en="District presidents",
                             title_hi="जिला अध्यक्ष", room="Hall", self_checkin_enabled=True)
    db.session.add(session)
    db.session.flush()
    return session


def seed(districts: int) -> None:
    states = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.STATE).order_by(Unit.id)).all()
    for index, state in enumerate(states):
        divisions = db.session.scalars(sa.select(Unit.id).where(Unit.parent_id == state.id,
                                                                Unit.level == UnitLevel.DIVISION)
                                       .order_by(Unit.id).limit(2)).all()
        session = _session(state, index)
        invitees = _presidents(divisions)
        now = now_utc()
        db.session.execute(sa.insert(Invitation), [
            {"session_id": session.id, "person_id": person, "unit_id": unit, "kind": InvitationKind.INVITEE,
             "pass_issued_at": now, "created_at": now, "updated_at": now}
            for person, unit in invitees])
        marked = invitees[: max(1, len(invitees) * 3 // 4)]
        db.session.execute(sa.insert(Attendance), [
            {"session_id": session.id, "person_id": person, "status": STATUSES[i % len(STATUSES)],
             "late_at": now if STATUSES[i % len(STATUSES)] == AttendanceStatus.LATE else None,
             "represented_by_name": "Representative" if STATUSES[i % len(STATUSES)] == AttendanceStatus.REPRESENTED
             else "", "note": "", "is_walk_in": False, "marked_at": now, "version": 1, "can_undo": True}
            for i, (person, _unit) in enumerate(marked)])
    db.session.flush()


def pages() -> list[tuple[str, str, str]]:
    session = db.session.scalars(
        sa.select(MeetingSession).join(Meeting).where(Meeting.title_en.like(f"{TITLE}:%"))
        .order_by(MeetingSession.id).limit(1)).one()
    president = db.session.scalar(sa.select(Invitation.person_id).where(Invitation.session_id == session.id)
                                  .order_by(Invitation.id).limit(1))
    return [
        ("attendance.roster", url_for("attendance.roster", session_id=session.id), COORDINATOR),
        ("attendance.index", url_for("attendance.index"), COORDINATOR),
        ("attendance.session_report", url_for("attendance_reports.session_report", session_id=session.id), OFFICE),
        ("attendance.session_absentees", url_for("attendance_reports.session_absentees", session_id=session.id),
         OFFICE),
        ("attendance.meeting_report", url_for("attendance_reports.meeting_report", meeting_id=session.meeting_id),
         OFFICE),
        ("attendance.person_report", url_for("attendance_reports.person_report", person_id=president), OFFICE),
        ("attendance.rates", url_for("attendance_reports.rates"), OFFICE),
        ("attendance.session_report_xlsx",
         url_for("attendance_reports.session_report", session_id=session.id, format="xlsx"), OFFICE),
        ("attendance.session_report.pdf",
         url_for("attendance_reports.session_report", session_id=session.id, format="pdf"), OFFICE),
        ("attendance.passes.pdf", url_for("attendance.passes", session_id=session.id, format="pdf"), OFFICE),
    ]
