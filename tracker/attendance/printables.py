"""The attendance domain's printable pages as PDFs (tracker/core/pdf.py), from the pages' own templates:
a session's passes (8 to an A4 sheet, each framed by a cut line) and its attendance report. For the pages
and the API alike; the caller has checked access."""

from __future__ import annotations

from flask import Response

from tracker.attendance import passcodes, queries, reports, summary
from tracker.attendance.exports import EXPORTERS
from tracker.attendance.passes import pass_qr_data_uri
from tracker.core import pdf
from tracker.i18n import _
from tracker.meetings.models import MeetingSession
from tracker.timeutil import to_local, today_local


def badges_context(invitations, roster_session) -> dict:
    """What templates/attendance/badge.html reads (the codes in one query)."""
    return {"invitations": invitations, "qr": pass_qr_data_uri, "codes": passcodes.shown(invitations),
            "roster_session": roster_session}


def passes_pdf(session: MeetingSession, invitations=None) -> Response:
    if invitations is None:
        invitations = queries.session_invitations(session.id)
    return pdf.render_page_pdf("attendance/badge.html",
                               pdf.dated_filename(_("Passes"), to_local(session.starts_at).date()),
                               pdf_page="passes", **badges_context(invitations, roster_session=session))


def report_pdf(report: reports.Report, **context) -> Response:
    """Any attendance report's page as a PDF, dated by its session when it has one (else today)."""
    session = context.get("roster_session")
    day = to_local(session.starts_at).date() if session is not None else today_local()
    context = {"chart": None, "fmt_rate": reports.format_rate, "fmt_count": reports.format_count,
               "formats": list(EXPORTERS), **context}
    return pdf.render_page_pdf("attendance/report.html", pdf.dated_filename(report.title, day), report=report,
                               pdf_page="a4", **context)


def session_report_pdf(session: MeetingSession) -> Response:
    return report_pdf(reports.session_report(session), roster_session=session,
                      summary=summary.session_summary(session))
