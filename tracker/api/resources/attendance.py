"""Attendance: read (rosters, records) and mark, under the attendance policy."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView

from tracker import policy
from tracker.api import schemas as s
from tracker.api.common import (
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
    MAX_ID,
    check_if_match,
    etag_of,
    get_or_404,
    page_of,
    paginate,
    referenced,
    where_equal,
    with_etag,
)
from tracker.api.framework import api_user, error_responses, guard, pdf_responses, require, resource_blueprint
from tracker.api.problems import ApiError
from tracker.api.resources.meetings import in_session_dates
from tracker.attendance import operations as ops
from tracker.attendance import printables
from tracker.attendance.models import Attendance
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.meetings.models import Invitation, MeetingSession

attendance = resource_blueprint("Attendance", "Who came to which session; coordinators mark it.")

MISSING = '"none"'  # the ETag of a record that does not exist yet (If-Match: "none" marks only if unmarked)


def _record(session_id: int, person_id: int, *, for_update: bool = False) -> Attendance | None:
    stmt = sa.select(Attendance).where(Attendance.session_id == session_id, Attendance.person_id == person_id)
    if for_update:
        stmt = stmt.with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def _etag(record: Attendance | None) -> str:
    return etag_of(record, record.version) if record is not None else MISSING


@attendance.route("/attendance")
class AttendanceList(MethodView):
    @attendance.arguments(s.AttendanceListArgs, location="query")
    @attendance.response(200, page_of(s.AttendanceSchema))
    @attendance.doc(responses=error_responses(422))
    def get(self, args):
        """List attendance records (filter by session, person, district, status, session dates).

        Coordinators, office staff, admins and in-charges read every record; others only their own.
        """
        user = api_user()
        stmt = (sa.select(Attendance).join(MeetingSession, Attendance.session_id == MeetingSession.id)
                .where(policy.visible_attendance_clause(user)).order_by(MeetingSession.starts_at, Attendance.id))
        stmt = where_equal(stmt, args, {"session_id": Attendance.session_id, "person_id": Attendance.person_id,
                                        "status": Attendance.status})
        if args.get("unit_id") is not None:
            stmt = stmt.where(sa.exists().where(Invitation.session_id == Attendance.session_id,
                                                Invitation.person_id == Attendance.person_id,
                                                Invitation.unit_id == args["unit_id"]))
        return paginate(stmt.where(*in_session_dates(args)), args)


def _markable(session_id: int, person_id: int) -> MeetingSession:
    """Who may mark, at a session they may see (else 404), a person who exists (404)."""
    user = api_user()
    session = get_or_404(MeetingSession, session_id)
    if not policy.can(user, "session.view", session):
        raise ApiError(404)
    if not policy.can(user, "attendance.mark", session):
        raise ApiError(403)
    get_or_404(Person, person_id)
    return session


@attendance.route("/sessions/<int:session_id>/attendance/<int:person_id>")
class AttendanceMark(MethodView):
    @attendance.response(200, s.AttendanceSchema, headers=ETAG_HEADER)
    @attendance.doc(responses=error_responses())
    def get(self, session_id, person_id):
        """One person's attendance record at a session (404 while unmarked)."""
        user = api_user()
        session = get_or_404(MeetingSession, session_id)
        person = db.session.get(Person, person_id) if person_id <= MAX_ID else None
        # Another's session or record answers as a missing one: the answer tells nothing (issue 17).
        if not policy.can(user, "session.view", session):
            raise ApiError(404)
        if not policy.can(user, "attendance.view", person):
            raise ApiError(404)
        record = _record(session_id, person_id) if person_id <= MAX_ID else None
        if record is None:
            raise ApiError(404)
        return with_etag(record, _etag(record))

    @guard(lambda session_id, person_id: _markable(session_id, person_id))
    @attendance.arguments(s.MarkSchema)
    @attendance.response(200, s.AttendanceSchema, headers=ETAG_HEADER)
    @attendance.doc(parameters=[IF_MATCH_PARAMETER], responses=error_responses(409, 412, 422))
    def put(self, data, session_id, person_id):
        """Mark a person's attendance: present, late (with late_at), excused, absent, represented.

        Coordinators, office staff and admins, while the session's attendance is open. Marking is
        idempotent; If-Match (the record's ETag, or "none" for an unmarked person) guards against
        overwriting a mark made meanwhile.
        """
        user = api_user()  # _markable let them in
        session = get_or_404(MeetingSession, session_id, for_update=True)
        if session.attendance_locked_at is not None:
            raise ApiError(409, ops.locked_message(session))
        if data.get("represented_by_person_id") is not None:
            referenced(Person, data["represented_by_person_id"], "represented_by_person_id")
        check_if_match(_etag(_record(session_id, person_id, for_update=True)))
        ops.mark(session, person_id, ops.Mark(**data), user.id)
        record = _record(session_id, person_id)
        return with_etag(record, _etag(record))


@attendance.route("/sessions/<int:session_id>/passes.pdf")
class SessionPassesPdf(MethodView):
    @attendance.doc(responses=pdf_responses())
    def get(self, session_id):
        """Every pass of a session as a PDF, 8 to an A4 sheet with cut lines (as the passes page's
        "Download PDF"). Those who may print passes (coordinators, office staff, admins)."""
        session = get_or_404(MeetingSession, session_id)
        if not policy.can(api_user(), "session.view", session):
            raise ApiError(404)
        require("attendance.roster")
        return printables.passes_pdf(session)


@attendance.route("/sessions/<int:session_id>/attendance-report.pdf")
class SessionReportPdf(MethodView):
    @attendance.doc(responses=pdf_responses())
    def get(self, session_id):
        """A session's attendance report (counts by division and district, absentees) as a PDF. Those
        who may read attendance reports."""
        require("attendance.reports")
        session = get_or_404(MeetingSession, session_id)
        if not policy.can(api_user(), "session.view", session):
            raise ApiError(404)
        return printables.session_report_pdf(session)
