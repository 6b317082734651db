"""Attendance pages: the coordinator's roster (htmx marks, QR scans, walk-ins), passes, self check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker import policy
from tracker.attendance import operations as ops
from tracker.attendance import passcodes, printables, queries
from tracker.attendance.forms import MarkForm, ScanForm, UndoForm, WalkInForm, WalkInPickForm
from tracker.attendance.models import AttendanceStatus
from tracker.attendance.offline import keep_pass, keep_roster
from tracker.attendance.passes import pass_qr_data_uri
from tracker.attendance.window import marking_window
from tracker.core import pdf
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.core.views import safe_next
from tracker.directory.models import Person
from tracker.extensions import csrf, db
from tracker.i18n import _, current_locale, fmt_time, localized
from tracker.meetings.models import Meeting, MeetingSession, ReplyAnswer
from tracker.timeutil import local_zone, now_utc, to_local, today_local

bp = Blueprint("attendance", __name__, url_prefix="/attendance")


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def session_or_404(session_id: int, with_meeting: bool = True):
    """The session, or 404 when it is missing or the user may not know of it (a district president and
    a session they are not invited to: issue 17); what they may do with it is asked after."""
    session = queries.get_session(session_id) if with_meeting else db.session.get(MeetingSession, session_id)
    if session is None:
        abort(404)
    policy.require(current_user, "session.view", session, hidden=True)
    return session


def _roster_url(session, person_id: int | None = None) -> str:
    return url_for("attendance.roster", session_id=session.id, _anchor=f"att-{person_id}" if person_id else None)


# --- session list and roster -------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    """Sessions to keep the roster of: today's first, then the coming and the recent ones; or, picked with
    the finder, one day's sessions (paper sheets are often entered the next day) or one meeting's."""
    policy.require(current_user, "attendance.roster")
    finder = session_finder(request.args)
    if finder.meeting is not None:
        return render_template("attendance/index.html", finder=finder,
                               lines=queries.meeting_session_lines(finder.meeting.id))
    if finder.day is not None:
        return render_template("attendance/index.html", finder=finder, lines=queries.sessions_on(finder.day))
    return render_template("attendance/index.html", finder=finder, overview=queries.sessions_overview(today_local()))


@dataclass
class SessionFinder:
    """The "another day or meeting" form (GET): what was picked, the choices, and a message for a bad date."""

    meetings: list
    day: date | None = None
    meeting: object = None
    day_text: str = ""
    day_error: str | None = None


def session_finder(args) -> SessionFinder:
    meetings = queries.roster_meetings()
    finder = SessionFinder(meetings=meetings, day_text=args.get("day", "").strip()[:20])
    meeting_id = args.get("meeting", type=int)
    if meeting_id is not None:
        finder.meeting = db.session.get(Meeting, meeting_id)
        if finder.meeting is None:
            abort(404)
    elif "day" in args:
        try:
            finder.day = date.fromisoformat(finder.day_text)
        except ValueError:
            finder.day_error = (_("Enter a date, for example %(example)s.", example=today_local().isoformat())
                                if finder.day_text else _("Choose a date."))
    return finder


@bp.route("/sessions/<int:session_id>")
@login_required
def roster(session_id: int):
    policy.require(current_user, "attendance.roster")
    session = session_or_404(session_id)
    search = request.args.get("q", "").strip()
    rows = queries.roster(session.id, search)
    counts = queries.counts_from_rows(rows) if not search else queries.counts(session.id)
    return render_template(
        "attendance/roster.html", session=session, groups=queries.grouped(rows), counts=counts, search=search,
        scan_form=ScanForm(), statuses=list(AttendanceStatus), offline_rosters=keep_roster(session, search),
        **_roster_rights(session),
    )


def row_context(session) -> dict:
    """What every roster row needs, computed once per page (a roster may have thousands of rows)."""
    from flask_wtf.csrf import generate_csrf

    people_url = url_for("attendance.person_panel", session_id=session.id, person_id=0)[:-1]
    return {
        "people_url": people_url, "csrf": generate_csrf(), "zone": local_zone().key,
        "status": {s.value: s.title for s in AttendanceStatus},
        "badge_kinds": {"present": "success", "late": "warning", "excused": "info", "absent": "danger",
                        "represented": "info"},
        "not_marked": _("Not marked"), "walk_in": _("Walk-in"), "saved": _("Saved"), "present": _("Present"),
        "more": _("More"), "undo": _("Undo"), "represented_by": _split_at_name(_("Represented by %(name)s")),
        "representing": _split_at_name(_("Representing %(name)s")), "hindi": current_locale() == "hi",
        "replies": {answer.value: _("Replied: %(answer)s", answer=answer.title) for answer in ReplyAnswer},
    }


def _split_at_name(label: str) -> tuple[str, str]:
    """A translated "… %(name)s …" as the text before and after the name (the name is put in by the template)."""
    before, _sep, after = label.partition("%(name)s")
    return before, after


def latin_lang(text) -> Markup:
    """` lang="en"` for a Latin-script fragment (a name without Hindi spelling, a code) on a Hindi page,
    so that a screen reader reads it with English rules; empty otherwise. Use: ``<span{{ name|lang_en }}>``."""
    text = str(text or "")
    if current_locale() != "hi" or not any("a" <= ch.lower() <= "z" for ch in text) \
            or any("\u0900" <= ch <= "\u097f" for ch in text):
        return Markup("")
    return Markup(' lang="en"')


def _roster_rights(session) -> dict:
    locked = session.attendance_locked_at is not None
    window = marking_window(session)
    return {
        "rc": row_context(session),
        "locked": locked,
        "window": window, "window_state": window.state(),
        "may_mark": policy.can(current_user, "attendance.mark", session) and not locked and window.state() == "open",
        "may_lock": policy.can(current_user, "attendance.lock", session) and not locked,
        "may_reopen": policy.can(current_user, "attendance.reopen", session) and locked,
    }


def _row_response(session, person_id: int, *, saved: bool = False, error: str | None = None, status: int = 200):
    """The re-rendered roster row (htmx swaps it in) and the counts at the top (out of band)."""
    row = queries.roster_row(session.id, person_id)
    if row is None:
        abort(404)
    return render_template(
        "attendance/_row_response.html", session=session, row=row, counts=queries.counts(session.id),
        saved=saved, error=error, **_roster_rights(session),
    ), status


def _answer(session, person_id: int, message: str, *, refused: bool = False):
    """After a change of one row: the row (htmx; read in the request's transaction, before its commit),
    saved or with why not, or the message flashed and a redirect to the row."""
    if is_htmx():
        return _row_response(session, person_id, saved=not refused, error=message if refused else None)
    flash(message, "error" if refused else "success")
    return redirect(_roster_url(session, person_id))


def _marking(session_id: int, person_id: int):
    """The session whose roster row is changed (the user must be allowed to mark it); a refusal is
    answered like the row."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.mark", session)
    refusals_go_to(lambda exc: _answer(session, person_id, exc.message, refused=True))
    return session


@bp.route("/sessions/<int:session_id>/people/<int:person_id>/mark", methods=["POST"])
@login_required
def mark(session_id: int, person_id: int):
    session = _marking(session_id, person_id)
    form = MarkForm()
    if not form.validate():
        return _answer(session, person_id, " ".join(e for errors in form.errors.values() for e in errors),
                       refused=True)
    status = AttendanceStatus(form.status.data)
    the_mark = ops.Mark(
        status,
        late_at=form.late_at(session.starts_at) if status == AttendanceStatus.LATE else None,
        represented_by_person_id=form.represented_by_person_id.data,
        represented_by_name=form.represented_by_name.data or "",
        note=form.note.data or "",
    )
    ops.mark(session, person_id, the_mark, current_user.id)
    return _answer(session, person_id, _("Saved: %(status)s.", status=status.title))


@bp.route("/sessions/<int:session_id>/people/<int:person_id>/undo", methods=["POST"])
@login_required
def undo(session_id: int, person_id: int):
    session = _marking(session_id, person_id)
    form = UndoForm()
    if not form.validate():
        abort(400)
    ops.undo(session, person_id, form.version.data)
    return _answer(session, person_id, _("The last change was undone."))


@bp.route("/sessions/<int:session_id>/people/<int:person_id>")
@login_required
def person_panel(session_id: int, person_id: int):
    """The other states (late, excused, absent, represented) for one person; a page of its own without JS."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.roster")
    row = queries.roster_row(session.id, person_id)
    if row is None:
        abort(404)
    from tracker.audit.queries import history

    entries = history("attendance", row.attendance.id) if row.attendance else []
    template = "attendance/_panel.html" if is_htmx() else "attendance/person.html"
    return render_template(template, session=session, row=row, entries=entries, now=to_local(now_utc()),
                           **_roster_rights(session))


@bp.route("/sessions/<int:session_id>/representatives")
@login_required
def representative_search(session_id: int):
    """Directory people matching a name, as choices for "represented by" (htmx partial)."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.roster")
    hits = _people_hits(request.args.get("q", ""))
    return render_template("attendance/_representatives.html", session=session, hits=hits,
                           person_id=request.args.get("for", type=int))


def _people_hits(text: str):
    from tracker.directory.search import PERSON, search

    return search(text, limit=10, kinds=(PERSON,)) if len(text.strip()) >= 2 else []


# --- a phone's offline queue ---------------------------------------------------------------------


@csrf.exempt  # checked below, once the sign-in is known to be there
@bp.route("/sessions/<int:session_id>/sync", methods=["POST"])
def sync(session_id: int):
    """The roster page's queue of marks and pass check-ins (JSON, see :mod:`tracker.attendance.sync`).

    Not behind ``login_required``: a signed-out phone gets a 401 with the sign-in page's address (not a
    redirect that fetch would follow), keeps its queue and sends it again after signing in. The sign-in
    is checked before the CSRF token: when the browser has dropped the session cookie (an expired
    sign-in), the page's token no longer matches any session, and the phone must hear "sign in again"
    (401), not "the form expired" (400), to tell the coordinator.
    """
    from tracker.attendance import sync as queue

    if not current_user.is_authenticated:
        return {"error": _("Your sign-in has expired. Sign in again: the waiting marks are kept and will be sent."),
                "login_url": url_for("auth.login", next=url_for("attendance.roster", session_id=session_id))}, 401
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # a CSRFError: 400, the items stay waiting
    session = session_or_404(session_id, with_meeting=False)
    policy.require(current_user, "attendance.mark", session)
    refusals_go_to(lambda exc: ({"error": exc.message}, 400))
    answers = queue.replay(session, queue.parse(request.get_json(silent=True)), current_user.id)
    return {"items": [answer.as_json() for answer in answers], "rows": _synced_rows(session, answers),
            "counts_html": render_template("attendance/_counts.html", counts=queries.counts(session.id))}


ROWS_SENT_BACK = 20


def _synced_rows(session, answers) -> dict[int, str]:
    """The re-rendered rows of the people just saved (with their undo), for a small batch: the taps of a
    coordinator online; a long replay only updates the rows' states (attendance.js)."""
    people = {answer.person_id for answer in answers if answer.state == "saved" and answer.person_id}
    if len(people) > ROWS_SENT_BACK:
        return {}
    rights = _roster_rights(session)
    rows = {person_id: queries.roster_row(session.id, person_id) for person_id in people}
    return {person_id: render_template("attendance/_row.html", session=session, row=row, saved=True, **rights)
            for person_id, row in rows.items() if row is not None}


# --- QR scans ----------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/scan", methods=["POST"])
@login_required
def scan(session_id: int):
    session = session_or_404(session_id, with_meeting=False)
    policy.require(current_user, "attendance.mark", session)
    form = ScanForm()
    if not form.validate():
        return _scan_response(session, None, _("No pass code was read. Try again."))
    refusals_go_to(lambda exc: _scan_response(session, None, exc.message))
    # The answer is made inside the request's transaction, before its commit: reading after the
    # commit would begin (on SQLite, queue for) a second write transaction.
    return _scan_response(session, ops.check_in_by_pass(session, form.code.data, current_user.id), None)


def _scan_response(session, result: ops.ScanResult | None, error: str | None):
    if request.accept_mimetypes.best == "application/json":
        return _scan_json(result, error)
    if is_htmx():
        row = queries.roster_row(session.id, result.invitation.person_id) if result else None
        return render_template("attendance/_scan_result.html", session=session, result=result, error=error, row=row,
                               counts=queries.counts(session.id) if result else None, **_roster_rights(session))
    flash(error or _scan_message(result), "error" if error else "success")
    return redirect(_roster_url(session))


def _scan_message(result: ops.ScanResult) -> str:
    name, district = localized(result.invitation.person), localized(result.invitation.unit)
    if result.already_in:
        return _("%(name)s (%(district)s) was already checked in at %(time)s.", name=name, district=district or "—",
                 time=fmt_time(to_local(result.marked_at)))
    return _("Checked in: %(name)s (%(district)s).", name=name, district=district or "—")


def _scan_json(result: ops.ScanResult | None, error: str | None):
    if error:
        return {"ok": False, "message": error}, 409
    invitation = result.invitation
    return {"ok": True, "already": result.already_in, "person_id": invitation.person_id,
            "name": localized(invitation.person), "district": localized(invitation.unit) if invitation.unit else "",
            "status": result.status.value, "message": _scan_message(result)}


@bp.route("/pass/<token>")
@login_required
def pass_landing(token: str):
    """Where a pass's QR code leads when read by a phone's own camera app."""
    invitation = ops.find_pass(ops.token_from_code(token))
    if invitation is None:
        abort(404)
    policy.require(current_user, "invitation.view", invitation, hidden=True)
    if policy.can(current_user, "attendance.mark", invitation.session):
        return render_template("attendance/pass_landing.html", invitation=invitation, token=token,
                               scan_form=ScanForm(code=token), session=invitation.session)
    policy.require(current_user, "attendance.pass", invitation)
    return redirect(url_for("attendance.badge", invitation_id=invitation.id))


def _invitation_or_404(invitation_id: int, action: str):
    """The invitation (with its person, unit, session and meeting), if the user may do ``action`` on it;
    another's invitation answers as a missing one to whoever may not know of it (issue 17)."""
    invitation = queries.invitation_for(invitation_id)
    if invitation is None:
        abort(404)
    policy.require(current_user, "invitation.view", invitation, hidden=True)
    policy.require(current_user, action, invitation)
    return invitation


@bp.route("/invitations/<int:invitation_id>/pass")
@login_required
def badge(invitation_id: int):
    """A printable pass: name, district, session, QR code."""
    invitation = _invitation_or_404(invitation_id, "attendance.pass")
    keep_pass(invitation)
    return _badges([invitation], roster_session=None)


@bp.route("/sessions/<int:session_id>/passes")
@login_required
def passes(session_id: int):
    """Every pass of a session on one printable page."""
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.roster")
    invitations = queries.session_invitations(session.id)
    if pdf.wants_pdf():  # 8 to an A4 sheet, each framed by a cut line
        return printables.passes_pdf(session, invitations)
    return _badges(invitations, roster_session=session)


def _badges(invitations, roster_session):
    """The printable passes, each with its QR code and short code (read only: codes come with the passes)."""
    return render_template("attendance/badge.html", **printables.badges_context(invitations, roster_session))


@bp.route("/invitations/<int:invitation_id>/checkin", methods=["POST"])
@login_required
def self_checkin(invitation_id: int):
    invitation = _invitation_or_404(invitation_id, "attendance.self_checkin")
    back = safe_next(request.form.get("next"), url_for("attendance.badge", invitation_id=invitation.id))
    refusals_go_to(back)
    result = ops.self_check_in(invitation, current_user.id, request.form.get("venue_code", "")[:20])
    flash(_("You are checked in. Welcome!") if result.changed else _("You were already checked in."), "success")
    return redirect(back)


# --- walk-ins ----------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/walk-in", methods=["GET", "POST"])
@login_required
def walk_in(session_id: int):
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.mark", session)
    query = request.args.get("q", "").strip()
    form = WalkInForm(prefix="new")
    if request.method == "POST" and form.validate_on_submit():
        with refusals_shown(on=form, field=form.name):
            person = ops.create_walk_in_person(form.name.data, form.mobile.data)
            return _walked_in(session, person)
    return render_template("attendance/walk_in.html", session=session, form=form, query=query,
                           hits=_people_hits(query), pick_form=WalkInPickForm(), **_roster_rights(session))


@bp.route("/sessions/<int:session_id>/walk-in/pick", methods=["POST"])
@login_required
def walk_in_pick(session_id: int):
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.mark", session)
    form = WalkInPickForm()
    person = db.session.get(Person, int(form.person_id.data)) if form.validate() and \
        (form.person_id.data or "").isdigit() else None
    if person is None:
        abort(400)
    refusals_go_to(url_for("attendance.walk_in", session_id=session.id))
    return _walked_in(session, person)


def _walked_in(session, person: Person):
    ops.add_walk_in(session, person, current_user.id)
    flash(_("%(name)s was added as a walk-in and marked present.", name=localized(person)), "success")
    return redirect(_roster_url(session, person.id))


# --- lock --------------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/lock", methods=["POST"])
@login_required
def lock(session_id: int):
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.lock", session)
    return _lock_action(session, ops.lock, _("Attendance for this session is closed."))


@bp.route("/sessions/<int:session_id>/reopen", methods=["POST"])
@login_required
def reopen(session_id: int):
    session = session_or_404(session_id)
    policy.require(current_user, "attendance.reopen", session)
    return _lock_action(session, ops.reopen, _("Attendance for this session is open again."))


def _lock_action(session, action, message: str):
    refusals_go_to(_roster_url(session))
    action(session)
    flash(message, "success")
    return redirect(_roster_url(session))


def init_app(app) -> None:
    from tracker.core.nav import register_nav
    from tracker.i18n import _l

    app.register_blueprint(bp)
    register_nav("attendance.index", _l("Attendance"), "attendance.roster", order=40)
    app.jinja_env.globals.setdefault("attendance_pass_qr", pass_qr_data_uri)
    app.jinja_env.globals.setdefault("attendance_pass_code", passcodes.code_of)
    app.jinja_env.filters.setdefault("pass_code", passcodes.display)
    app.jinja_env.filters.setdefault("lang_en", latin_lang)
    passcodes.connect()
