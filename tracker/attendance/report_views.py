"""Attendance reports: per session, per meeting, per person, rates over time, absentees; CSV/XLSX."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.attendance import printables, queries, reports, summary
from tracker.attendance.charts import bar_chart
from tracker.attendance.exports import EXPORTERS
from tracker.core import pdf
from tracker.core.transaction import refusals_go_to
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import ngettext
from tracker.meetings.models import Meeting
from tracker.timeutil import today_local

bp = Blueprint("attendance_reports", __name__, url_prefix="/attendance/reports")


def _show(report: reports.Report, **context):
    """The report as a page, or as a download with ?format=csv|xlsx."""
    exporter = EXPORTERS.get(request.args.get("format", ""))
    if exporter is not None:
        return exporter(report)
    if pdf.wants_pdf():  # the page without its chart (tracker/static/css/pdf.css says why)
        return printables.report_pdf(report, **context)
    chart = bar_chart(report.bars, reports.format_rate) if report.bars else None
    return render_template("attendance/report.html", report=report, chart=chart, fmt_rate=reports.format_rate,
                           fmt_count=reports.format_count, formats=list(EXPORTERS), **context)


def _require():
    policy.require(current_user, "attendance.reports")


@bp.route("/")
@login_required
def index():
    _require()
    from tracker.attendance.views import _people_hits

    query = request.args.get("q", "").strip()
    return render_template("attendance/reports_index.html", meetings=queries.meetings_recent(), query=query,
                           hits=_people_hits(query))


@bp.route("/sessions/<int:session_id>", endpoint="session_report")
@bp.route("/sessions/<int:session_id>/absentees", endpoint="session_absentees", defaults={"absentees": True})
@login_required
def session_reports(session_id: int, absentees: bool = False):
    """A session's attendance, or its absentees."""
    _require()
    session = _get_session(session_id)
    if absentees:
        return _show(reports.session_absentees(session), roster_session=session)
    return _show(reports.session_report(session), roster_session=session, summary=summary.session_summary(session))


@bp.route("/sessions/<int:session_id>/message-absentees", methods=["GET", "POST"])
@login_required
def message_absentees(session_id: int):
    """"Send a message to the absentees": who would get it and through which channel, then (confirmed) queue it."""
    policy.require(current_user, "attendance.message_absentees")  # first: a refusal tells nothing of the id
    session = _get_session(session_id)
    report_url = url_for("attendance_reports.session_report", session_id=session.id)
    if request.method == "POST":
        refusals_go_to(report_url)
        queued = summary.message_absentees(session)
        flash(ngettext("%(num)s message was queued to those absent without notice.",
                       "%(num)s messages were queued to those absent without notice.", queued), "success")
        return redirect(report_url)
    people = summary.absentees_to_message(session)
    return render_template("attendance/message_absentees.html", session=session, people=people,
                           routes=summary.absentee_routes(session, people), report_url=report_url)


@bp.route("/meetings/<int:meeting_id>", endpoint="meeting_report")
@bp.route("/meetings/<int:meeting_id>/absentees", endpoint="meeting_absentees", defaults={"absentees": True})
@login_required
def meeting_reports(meeting_id: int, absentees: bool = False):
    """A meeting's attendance, session by session, or its absentees."""
    _require()
    meeting = _get(Meeting, meeting_id)
    if absentees:
        return _show(reports.meeting_absentees(meeting), meeting=meeting)
    return _show(reports.meeting_report(meeting), meeting=meeting,
                 meeting_sessions=queries.meeting_session_lines(meeting.id))


@bp.route("/people/<int:person_id>")
@login_required
def person_report(person_id: int):
    _require()
    person = _get(Person, person_id)
    policy.require(current_user, "person.view", person, hidden=True)
    return _show(reports.person_report(person), person=person)


@bp.route("/rates")
@login_required
def rates():
    _require()
    level = "district" if request.args.get("by") == "district" else "division"
    months = min(max(request.args.get("months", 12, type=int), 1), 36)
    until = today_local()
    since = (until.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    within = _within(request.args.get("in", type=int))
    drill = None
    if level == "division":
        def drill(unit_id: int) -> str:
            return url_for("attendance_reports.rates", by="district", months=months, **{"in": unit_id})
    return _show(reports.rates_over_time(level, since, until, within), level=level, months=months, within=within,
                 drill=drill)


def _within(unit_id: int | None) -> Unit | None:
    """The unit a rates report looks inside: the one asked for, else the state the office serves."""
    if unit_id is not None:
        unit = _get(Unit, unit_id)
        if unit.level not in (UnitLevel.STATE, UnitLevel.DIVISION):
            abort(404)
        return unit
    return db.session.scalar(sa.select(Unit).where(Unit.level == UnitLevel.STATE, Unit.is_archived.is_(False))
                             .order_by(Unit.id).limit(1))


def _get(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _get_session(session_id: int):
    session = queries.get_session(session_id)
    if session is None:
        abort(404)
    return session


def init_app(app) -> None:
    from tracker.core.nav import register_nav
    from tracker.i18n import _l

    app.register_blueprint(bp)
    register_nav("attendance_reports.index", _l("Attendance reports"), "attendance.reports", order=45)
