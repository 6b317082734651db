"""What attendance adds to other domains' pages and to the home page (tracker/core/links.py)."""

from __future__ import annotations

from tracker.attendance import queries
from tracker.attendance.views import SessionFinder
from tracker.core.links import register_link, register_page_panel, register_panel
from tracker.i18n import _l
from tracker.meetings.models import SessionStatus
from tracker.timeutil import today_local


def _session_args(session) -> dict:
    return {"session_id": session.id}


def _scheduled(session) -> bool:
    return session.status == SessionStatus.SCHEDULED


def home_sessions(user) -> dict:
    """The coordinator's home panel: the same lists and finder as the attendance page (five queries)."""
    return {"overview": queries.sessions_overview(today_local(), coming=5, recent=5),
            "finder": SessionFinder(meetings=queries.roster_meetings())}


def agenda_pass(invitation) -> dict:
    """Each session of a president's agenda shows its QR pass and self check-in (the pass codes of all of the
    person's invitations are read at the first one: one query for the page, see passcodes.code_of)."""
    return {"invitation": invitation}


def register() -> None:
    # A session page links to its roster (for those who may mark), its passes and its report.
    register_link("meetings.session", _l("Roster"), "attendance.roster", "attendance.mark", _session_args,
                  when=_scheduled, order=10)
    register_link("meetings.session", _l("Passes"), "attendance.passes", "attendance.roster", _session_args,
                  when=_scheduled, order=20)
    register_link("meetings.session", _l("Attendance report"), "attendance_reports.session_report",
                  "attendance.reports", _session_args, order=30)
    register_page_panel("meetings.agenda_entry", "attendance/_agenda_pass.html", agenda_pass)
    register_panel("attendance-sessions", _l("Sessions and rosters"), "attendance.roster", home_sessions,
                   template="attendance/_home_panel.html", more_endpoint="attendance.index",
                   more_label=_l("All of attendance"), order=50)
