"""Pages of the minutes: the office's list for a meeting (start the minutes of the meeting or of a group
session), a minutes' page (edit, approve, send, share), its versions and the differences between them, the
print page (the one a PDF is made from), the readers' list, the public page and the personal link's page.

Minutes the user may not read answer 404 (their existence is not told); the office's pages answer 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core.pdf import wants_pdf
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.extensions import db
from tracker.i18n import _, ngettext
from tracker.meetings.models import Meeting, MeetingSession
from tracker.minutes import messages, printables
from tracker.minutes import operations as ops
from tracker.minutes import queries as q
from tracker.minutes.diffs import diff_snapshots
from tracker.minutes.forms import ActionForm, EditForm, LogoForm, SettingsForm, StartForm
from tracker.minutes.models import DECISIONS, OPENING, Minutes
from tracker.timeutil import now_utc
from tracker.uploads.operations import read_bytes

bp = Blueprint("minutes", __name__, url_prefix="/minutes")


def _minutes(minutes_id: int) -> Minutes:
    minutes = q.minutes_or_none(minutes_id)
    policy.require(current_user, "minutes.view", minutes, hidden=True)
    return minutes


def _texts(minutes: Minutes, snapshot: dict | None = None) -> dict:
    return dict((snapshot or {}).get("texts") or {}) if snapshot is not None else dict(minutes.texts or {})


# --- the office's side ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>")
@login_required
def of_meeting(meeting_id: int):
    policy.require(current_user, "minutes.write")
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    sessions = q.group_sessions(meeting.id)
    return render_template("minutes/meeting.html", meeting=meeting, sessions=sessions,
                           existing=q.of_meeting(meeting.id), form=StartForm())


@bp.route("/meetings/<int:meeting_id>/start", methods=["POST"])
@login_required
def start(meeting_id: int):
    policy.require(current_user, "minutes.write")
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    form = StartForm()
    refusals_go_to(url_for("minutes.of_meeting", meeting_id=meeting.id))
    if not form.validate_on_submit():
        abort(400)
    session = None
    if form.session_id.data:
        if not form.session_id.data.isdigit():
            abort(400)
        session = db.session.get(MeetingSession, int(form.session_id.data))
        if session is None or session.meeting_id != meeting.id:
            abort(404)
    minutes = ops.start(meeting, session, current_user, form.language.data)
    return redirect(url_for("minutes.edit", minutes_id=minutes.id))


@bp.route("/<int:minutes_id>/edit", methods=["GET", "POST"])
@login_required
def edit(minutes_id: int):
    minutes = _minutes(minutes_id)
    policy.require(current_user, "minutes.write", minutes)
    form = EditForm(language=minutes.language)
    doc = q.document(minutes)
    texts = _texts(minutes)
    if form.validate_on_submit():
        texts = {key[len("text-"):]: value for key, value in request.form.items() if key.startswith("text-")}
        with refusals_shown(on=form):
            changed = ops.save(minutes, current_user, texts, form.language.data, now_utc())
            if not changed:
                flash(_("Nothing was changed."), "info")
            elif minutes.is_approved:
                flash(_("Saved as version %(n)s.", n=minutes.version), "success")
            else:
                flash(_("The draft was saved."), "success")
            return redirect(url_for("minutes.show", minutes_id=minutes.id))
    return render_template("minutes/edit.html", minutes=minutes, doc=doc, form=form, texts=texts,
                           opening=OPENING, decisions=DECISIONS)


@bp.route("/<int:minutes_id>/approve", methods=["POST"])
@login_required
def approve(minutes_id: int):
    minutes = _minutes(minutes_id)
    policy.require(current_user, "minutes.approve", minutes)
    if not ActionForm().validate_on_submit():
        abort(400)
    refusals_go_to(url_for("minutes.show", minutes_id=minutes.id))
    ops.approve(minutes, current_user, now_utc())
    flash(_("The minutes are approved (version %(n)s).", n=minutes.version), "success")
    return redirect(url_for("minutes.show", minutes_id=minutes.id))


@bp.route("/<int:minutes_id>/send", methods=["POST"])
@login_required
def send(minutes_id: int):
    minutes = _minutes(minutes_id)
    policy.require(current_user, "minutes.send", minutes)
    if not ActionForm().validate_on_submit():
        abort(400)
    refusals_go_to(url_for("minutes.show", minutes_id=minutes.id))
    queued = ops.send(minutes, now_utc())
    flash(ngettext("%(num)d message was queued.", "%(num)d messages were queued.", queued), "success")
    return redirect(url_for("minutes.show", minutes_id=minutes.id))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    policy.require(current_user, "minutes.settings")
    current = q.settings()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        ops.save_settings(current_user, now_utc(), **{name: getattr(form, name).data for name in (
            "party_name_hi", "party_name_en", "address_hi", "address_en", "reference_prefix",
            "national_office_email")})
        flash(_("The letterhead was saved."), "success")
        return redirect(url_for("minutes.settings"))
    return render_template("minutes/settings.html", form=form, settings=current, logo_form=LogoForm(),
                           remove_form=ActionForm())


@bp.route("/settings/logo", methods=["POST"])
@login_required
def upload_logo():
    """The party's logo on the letterhead (replaces the one before)."""
    policy.require(current_user, "minutes.settings")
    form = LogoForm()
    if not form.validate_on_submit():
        abort(400)
    refusals_go_to(url_for("minutes.settings"))
    upload = form.logo.data
    data, filename = b"", ""
    if upload:
        with upload.stream:  # closed at once (a large upload is a temporary file)
            data, filename = upload.read(), upload.filename or ""
    ops.set_logo(current_user, now_utc(), data, filename)
    flash(_("The logo was saved."), "success")
    return redirect(url_for("minutes.settings"))


@bp.route("/settings/logo/remove", methods=["POST"])
@login_required
def remove_logo():
    """Back to the default logo."""
    policy.require(current_user, "minutes.settings")
    if not ActionForm().validate_on_submit():
        abort(400)
    ops.remove_logo(current_user, now_utc())
    flash(_("The logo was removed; the minutes show the default logo."), "success")
    return redirect(url_for("minutes.settings"))


# --- reading ------------------------------------------------------------------------------------------


@bp.route("/")
@login_required
def mine():
    policy.require(current_user, "minutes.mine")
    return render_template("minutes/mine.html", rows=q.visible_to(current_user, limit=100))


@bp.route("/<int:minutes_id>")
@login_required
def show(minutes_id: int):
    minutes = _minutes(minutes_id)
    return render_template("minutes/show.html", minutes=minutes, doc=q.document(minutes), texts=_texts(minutes),
                           action_form=ActionForm(), whatsapp_url=messages.whatsapp_url(minutes)
                           if minutes.is_approved and policy.can(current_user, "minutes.send", minutes) else None)


@bp.route("/<int:minutes_id>/print")
@login_required
def print_page(minutes_id: int):
    """The minutes alone on an A4 page (the browser's print); with ``?format=pdf`` the PDF made from the same
    template."""
    minutes = _minutes(minutes_id)
    if wants_pdf():
        return printables.minutes_pdf(minutes)
    return render_template("minutes/print.html", minutes=minutes, doc=q.document(minutes), texts=_texts(minutes),
                           variant="print")


@bp.route("/<int:minutes_id>/versions")
@login_required
def versions(minutes_id: int):
    minutes = _minutes(minutes_id)
    return render_template("minutes/versions.html", minutes=minutes)


def _version(minutes: Minutes, number: int):
    version = next((v for v in minutes.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.route("/<int:minutes_id>/versions/<int:number>")
@login_required
def version(minutes_id: int, number: int):
    minutes = _minutes(minutes_id)
    found = _version(minutes, number)
    return render_template("minutes/version.html", minutes=minutes, version=found, doc=q.document(minutes),
                           texts=_texts(minutes, found.snapshot), language=found.snapshot.get("language"))


@bp.route("/<int:minutes_id>/diff")
@login_required
def diff(minutes_id: int):
    minutes = _minutes(minutes_id)
    if minutes.version < 1:
        abort(404)
    new_number = request.args.get("to", type=int) or minutes.version
    old_number = request.args.get("from", type=int) or max(new_number - 1, 1)
    old, new = _version(minutes, old_number), _version(minutes, new_number)
    return render_template("minutes/diff.html", minutes=minutes, old=old, new=new,
                           sections=diff_snapshots(old.snapshot, new.snapshot))


# --- without signing in ---------------------------------------------------------------------------------

public_bp = Blueprint("minutes_public", __name__)


@public_bp.route("/public/minutes/<token>", endpoint="show")
def show_public(token: str):
    """Approved minutes from their public link (shared on WhatsApp; sent to the national office)."""
    minutes_id = messages.minutes_id_of(token)
    minutes = q.minutes_or_none(minutes_id) if minutes_id is not None else None
    if not policy.minutes_public(minutes):
        abort(404)
    if wants_pdf():
        response = printables.minutes_pdf(minutes)
        response.headers["X-Robots-Tag"] = "noindex"
        return response
    page = render_template("minutes/public.html", minutes=minutes, doc=q.document(minutes), texts=_texts(minutes))
    return page, 200, {"Vary": "Accept-Language, Cookie", "X-Robots-Tag": "noindex"}


@public_bp.route("/public/minutes/logo/<key>", endpoint="logo")
def logo(key: str):
    """The party's current logo, as on the letterhead of every minutes (public ones too): no sign-in. Only the
    logo the settings name now is served (by its random key); any other key is a 404."""
    current = q.settings().logo
    if current is None or current.key != key:
        abort(404)
    response = Response(read_bytes(current), mimetype=current.content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


link_bp = Blueprint("minutes_link", __name__)


@link_bp.route("/p/<token>/minutes/<int:minutes_id>")
def link_show(token: str, minutes_id: int):
    """Approved minutes from the personal link of an invitee's message (no sign-in)."""
    from tracker.reminders.link_views import _link_or_refuse

    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    minutes = q.minutes_or_none(minutes_id)
    if not policy.minutes_link_grants(link.person_id, minutes):
        abort(404)
    if wants_pdf():
        return printables.minutes_pdf(minutes)
    return render_template("minutes/public.html", minutes=minutes, doc=q.document(minutes), texts=_texts(minutes),
                           token=token)
