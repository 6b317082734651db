"""Attendance pages for the hall and after it: the venue-code screen, the roll call of a division (with its
undo), and a paper sheet entered after the marking window closed. Routes on the attendance blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.attendance import paper, queries, window
from tracker.attendance.models import AttendanceStatus
from tracker.attendance.views import _roster_url, bp, session_or_404
from tracker.core.transaction import refusals_go_to
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.i18n import ngettext

PAPER_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)


@bp.route("/sessions/<int:session_id>/venue-code")
@login_required
def venue_code(session_id: int):
    """The hall's screen (a projector): the venue code for self check-in, in big digits, refreshed when it
    changes."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.venue_code", session)
    return render_template("attendance/venue_code.html", session=session, code=window.current_code(session.id),
                           refresh=window.seconds_left() + 1, minutes=window.period_seconds() // 60)


# --- roll call ---------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/divisions/<int:division_id>/present", methods=["POST"])
@login_required
def division_present(session_id: int, division_id: int):
    """Mark everyone of a division who is not marked yet present; the answer offers the undo."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.mark", session)
    division = db.session.get(Unit, division_id)
    if division is None:
        abort(404)
    refusals_go_to(_roster_url(session))
    roll = paper.mark_division_present(session, division.id, current_user.id)
    return render_template("attendance/roll_call.html", session=session, division=division, roll=roll)


@bp.route("/sessions/<int:session_id>/roll-call/undo", methods=["POST"])
@login_required
def roll_call_undo(session_id: int):
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.mark", session)
    refusals_go_to(_roster_url(session))
    undone, kept = paper.undo_roll_call(session, paper.parse_token(request.form.get("marks", "")))
    message = ngettext("%(num)s mark was undone.", "%(num)s marks were undone.", undone)
    if kept:
        message += " " + ngettext("%(num)s mark was changed by someone meanwhile and was kept.",
                                  "%(num)s marks were changed by someone meanwhile and were kept.", kept)
    flash(message, "success")
    return redirect(_roster_url(session))


# --- paper sheet -------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/paper-sheet", methods=["GET", "POST"])
@login_required
def paper_sheet(session_id: int):
    """After the session's day: the marks of a paper sheet, recorded as entered later (a coordinator says
    why; the office may)."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.paper_sheet", session)
    reason_required = not policy.can(current_user, "attendance.paper_sheet_without_reason", session)
    if request.method == "POST":
        refusals_go_to(url_for("attendance.paper_sheet", session_id=session.id))
        changed = paper.enter_paper_sheet(session, _sheet_entries(request.form), current_user.id,
                                          request.form.get("reason", ""), reason_required=reason_required)
        flash(ngettext("The paper sheet was entered: %(num)s mark recorded as entered later.",
                       "The paper sheet was entered: %(num)s marks recorded as entered later.", changed), "success")
        return redirect(url_for("attendance.paper_sheet", session_id=session.id))
    rows = queries.roster(session.id)
    return render_template("attendance/paper_sheet.html", session=session, groups=queries.grouped(rows),
                           statuses=PAPER_STATUSES, reason_required=reason_required,
                           window=window.marking_window(session), locked=session.attendance_locked_at is not None)


def _sheet_entries(form) -> dict[int, AttendanceStatus]:
    """``status-<person id>`` fields with a paper-sheet status; the others (left blank) are skipped."""
    allowed = {status.value: status for status in PAPER_STATUSES}
    entries = {}
    for key, value in form.items():
        name, _sep, person_id = key.partition("-")
        if name == "status" and person_id.isdigit() and value in allowed:
            entries[int(person_id)] = allowed[value]
    return entries
