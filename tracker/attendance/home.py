"""What attendance adds to other domains' pages and to the home page (tracker/core/links.py)."""

from __future__ import annotations

from tracker.core.links import register_link, register_panel
from tracker.i18n import _l
from tracker.meetings.models import SessionStatus


def _session_args(session) -> dict:
    return {"session_id": session.id}


def _scheduled(session) -> bool:
    return session.status == SessionStatus.SCHEDULED


def register() -> None:
    # A session page links to its roster (for those who may mark), its passes and its report.
    register_link("meetings.session", _l("Roster"), "attendance.roster", "attendance.mark", _session_args,
                  when=_scheduled, order=10)
    register_link("meetings.session", _l("Passes"), "attendance.passes", "attendance.roster", _session_args,
                  when=_scheduled, order=20)
    register_link("meetings.session", _l("Attendance report"), "attendance_reports.session_report",
                  "attendance.reports", _session_args, order=30)

    from tracker.attendance.views import home_sessions

    register_panel("attendance-sessions", _l("Sessions and rosters"), "attendance.roster", home_sessions,
                   template="attendance/_home_panel.html", more_endpoint="attendance.index",
                   more_label=_l("All of attendance"), order=50)
