"""Meetings and their sessions (with agenda items and invitations), and "my agenda".

Office staff, coordinators and in-charges see every meeting; anyone else sees the published meetings
and sessions they are invited to, and of a session's invitations only their own (the policy's
``meeting.view``, ``session.view`` and ``invitation.view``, with their SQL twins for the lists).
"""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from flask import request
from flask.views import MethodView
from sqlalchemy.orm import selectinload

from tracker import policy
from tracker.api import schemas as s
from tracker.api.common import ETAG_HEADER, etag_of, get_or_404, page_of, paginate, where_equal, with_etag
from tracker.api.framework import api_user, error_responses, pdf_responses, require, resource_blueprint
from tracker.api.problems import ApiError
from tracker.meetings import printables
from tracker.meetings import queries as meeting_queries
from tracker.meetings.models import Invitation, Meeting, MeetingSession, session_units
from tracker.timeutil import local_to_utc

meetings = resource_blueprint("Meetings", "Meetings: title, purpose, venue, dates, status.")
sessions = resource_blueprint("Sessions", "Sessions of meetings, with their agenda items and invitations.")
me = resource_blueprint("Me", "The token's user: who they are and their agenda.")

SESSION_OPTIONS = (
    selectinload(MeetingSession.covered_units),
    selectinload(MeetingSession.agenda_items),
    selectinload(MeetingSession.invitations).selectinload(Invitation.person),
)


def in_session_dates(args: dict) -> list:
    """Sessions meeting on or after ``from`` and on or before ``to`` (dates in the office's time zone)."""
    clauses = []
    if args.get("date_from") is not None:
        clauses.append(MeetingSession.ends_at >= local_to_utc(args["date_from"], time.min))
    if args.get("date_to") is not None:
        clauses.append(MeetingSession.starts_at <= local_to_utc(args["date_to"], time.max))
    return clauses


class SessionView:
    """A session with the invitations the user may see (attributes read through to the session)."""

    def __init__(self, session: MeetingSession, invitations: list[Invitation]):
        self._session = session
        self.invitations = invitations

    def __getattr__(self, name):
        return getattr(self._session, name)


def _visible(session_list, user) -> list[SessionView]:
    """Each session with the invitations the user may see (their own only, unless they see every meeting)."""
    return [SessionView(item, [inv for inv in item.invitations if policy.can(user, "invitation.view", inv)])
            for item in session_list]


@meetings.route("/meetings")
class MeetingList(MethodView):
    @meetings.arguments(s.MeetingListArgs, location="query")
    @meetings.response(200, page_of(s.MeetingSchema))
    @meetings.doc(responses=error_responses(422))
    def get(self, args):
        """List meetings (filter by status, host unit, date range: meetings overlapping it)."""
        user = api_user()
        stmt = sa.select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id.desc())
        stmt = where_equal(stmt.where(policy.visible_meetings_clause(user)), args,
                           {"status": Meeting.status, "unit_id": Meeting.host_unit_id})
        if args.get("date_from") is not None:
            stmt = stmt.where(Meeting.ends_on >= args["date_from"])
        if args.get("date_to") is not None:
            stmt = stmt.where(Meeting.starts_on <= args["date_to"])
        return paginate(stmt, args)


@meetings.route("/meetings/<int:meeting_id>/days/<day>.pdf")
class DaySheetPdf(MethodView):
    @meetings.doc(responses=pdf_responses())
    def get(self, meeting_id, day):
        """The day sheet of one day of a meeting as a PDF (sessions, agenda, invitees with a signature
        column, one-to-ones), as the day sheet page's "Download PDF" gives it. Whoever may view meetings."""
        require("meetings.view")
        meeting = get_or_404(Meeting, meeting_id)
        if not policy.can(api_user(), "meeting.view", meeting):
            raise ApiError(404)
        try:
            wanted = date.fromisoformat(day)
        except ValueError:
            raise ApiError(404) from None
        day_view = printables.timetable_day(meeting, wanted)
        if day_view is None:
            raise ApiError(404)
        return printables.day_sheet_pdf(meeting, day_view)


@meetings.route("/meetings/<int:meeting_id>")
class MeetingItem(MethodView):
    @meetings.response(200, s.MeetingSchema, headers=ETAG_HEADER)
    @meetings.doc(responses=error_responses())
    def get(self, meeting_id):
        """One meeting."""
        meeting = get_or_404(Meeting, meeting_id)
        if not policy.can(api_user(), "meeting.view", meeting):
            raise ApiError(404)
        return with_etag(meeting)


@sessions.route("/sessions")
class SessionList(MethodView):
    @sessions.arguments(s.SessionListArgs, location="query")
    @sessions.response(200, page_of(s.SessionDetailSchema))
    @sessions.doc(responses=error_responses(422))
    def get(self, args):
        """List sessions with agenda and invitations (filter by meeting, covered unit, kind, dates)."""
        user = api_user()
        stmt = sa.select(MeetingSession).options(*SESSION_OPTIONS).order_by(MeetingSession.starts_at,
                                                                            MeetingSession.id)
        stmt = where_equal(stmt.where(policy.visible_sessions_clause(user)), args,
                           {"meeting_id": MeetingSession.meeting_id, "kind": MeetingSession.kind})
        if args.get("unit_id") is not None:
            covering = sa.select(session_units.c.session_id).where(session_units.c.unit_id == args["unit_id"])
            stmt = stmt.where(sa.or_(MeetingSession.id.in_(covering),
                                     MeetingSession.district_unit_id == args["unit_id"]))
        stmt = stmt.where(*in_session_dates(args))
        return paginate(stmt, args, transform=lambda items: _visible(items, user))


@sessions.route("/sessions/<int:session_id>")
class SessionItem(MethodView):
    @sessions.response(200, s.SessionDetailSchema, headers=ETAG_HEADER)
    @sessions.doc(responses=error_responses())
    def get(self, session_id):
        """One session with its agenda items and invitations."""
        user = api_user()
        session = get_or_404(MeetingSession, session_id, options=SESSION_OPTIONS)
        if not policy.can(user, "session.view", session):
            raise ApiError(404)
        return with_etag(_visible([session], user)[0], etag=etag_of(session))


@me.route("/me")
class Me(MethodView):
    @me.response(200, s.MeSchema)
    @me.doc(responses=error_responses())
    def get(self):
        """Who the token acts for."""
        user = api_user()
        return {"username": user.username, "role": user.role.value, "person": user.person}


@me.route("/me/agenda.pdf")
class MyAgendaPdf(MethodView):
    @me.arguments(s.PdfPageArgs, location="query")
    @me.doc(responses=pdf_responses(422))
    def get(self, args):
        """The token user's agenda with their passes as a PDF, on A4 or (``page=phone``) on a narrow page
        for a phone; 404 without a linked person."""
        return _agenda_pdf(args["page"])


def _agenda_pdf(size: str):
    person = api_user().person
    if person is None:
        raise ApiError(404)
    require("agenda.view", person)
    return printables.agenda_pdf(person, own=True, size=size)


@me.route("/me/agenda")
class MyAgenda(MethodView):
    @me.response(200, s.AgendaSchema)
    @me.doc(responses=error_responses())
    def get(self):
        """The token user's upcoming sessions, as "my agenda" shows them (empty without a linked person).

        With ``Accept: application/pdf``, the agenda's PDF on A4 (as ``GET /me/agenda.pdf``).
        """
        if request.accept_mimetypes.best == "application/pdf":
            return _agenda_pdf("a4")
        user = api_user()
        person = user.person
        if person is None:
            return {"person_id": None, "items": []}
        require("agenda.view", person)
        entries = meeting_queries.agenda_for(person)
        return {
            "person_id": person.id,
            "items": [{
                "invitation_id": entry.invitation.id,
                "invitation_kind": entry.invitation.kind,
                "meeting": entry.session.meeting,
                "session": SessionView(entry.session, [entry.invitation]),
                "companions": entry.companions,
            } for entry in entries],
        }
