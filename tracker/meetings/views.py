"""Pages of the meetings domain: meetings, sessions, agendas, invitations, the planner,
timetables, day sheets, "my agenda" and calendar files. Views are thin: form → operation →
redirect; the request transaction commits, and a refused operation rolls back and shows its message."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required

from tracker import policy
from tracker.audit.queries import history
from tracker.campaigns.queries import active_campaigns
from tracker.core import pdf
from tracker.core.form_views import form_page
from tracker.core.offline import keep_offline, kept_until_end_of, today_or_tomorrow
from tracker.core.pagination import requested_page
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, _l, fmt_date, localized
from tracker.meetings import calendar, plan_messages, planning, printables, queries, replies
from tracker.meetings import operations as ops
from tracker.meetings.forms import (
    AgendaItemForm,
    ConfirmForm,
    InviteForm,
    MeetingForm,
    PlanForm,
    ReplanForm,
    SessionForm,
    rows_unavailable,
)
from tracker.meetings.models import (
    AgendaItem,
    InvitationKind,
    Meeting,
    MeetingSession,
    MeetingStatus,
)
from tracker.meetings.planner import PlanRequestError, move_slot, swap_days
from tracker.meetings.rooms import room_label
from tracker.timeutil import now_utc, to_local, today_local

bp = Blueprint("meetings", __name__)


# --- helpers -----------------------------------------------------------------------------------


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _session(session_id: int) -> MeetingSession:
    return db.get_or_404(MeetingSession, session_id)


def _division_choices() -> list[tuple[int, str]]:
    from tracker.i18n import localized

    units = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION, Unit.is_archived.is_(False))
                               .order_by(Unit.name_en))
    return [(u.id, localized(u)) for u in units]


def _district_choices() -> list[tuple[int | str, str]]:
    from tracker.i18n import localized

    units = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
                               .order_by(Unit.name_en))
    return [("", "—")] + [(u.id, localized(u)) for u in units]


def _meeting_form_choices(form: MeetingForm) -> None:
    from tracker.i18n import localized

    form.campaign_id.choices = [("", "—")] + [(c.id, localized(c)) for c in active_campaigns()]
    hosts = db.session.scalars(sa.select(Unit).where(Unit.level.in_([UnitLevel.STATE, UnitLevel.DIVISION]),
                                                     Unit.is_archived.is_(False)).order_by(Unit.level, Unit.name_en))
    form.host_unit_id.choices = [("", "—")] + [(u.id, localized(u)) for u in hosts]


def _meeting_data(form: MeetingForm) -> dict:
    return {key: getattr(form, key).data for key in ops.MEETING_FIELDS}


# --- meetings ----------------------------------------------------------------------------------


@bp.route("/meetings/")
@login_required
def list_meetings():
    policy.require(current_user, "meetings.view")
    status = request.args.get("status", "")
    if status not in {s.value for s in MeetingStatus}:
        status = ""
    page = queries.meetings_page(status or None, requested_page()).linked("meetings.list_meetings",
                                                                         status=status or None)
    return render_template("meetings/list.html", page=page, status=status, statuses=list(MeetingStatus))


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting():
    policy.require(current_user, "meetings.edit")
    form = MeetingForm()
    _meeting_form_choices(form)
    return form_page(form, "meetings/meeting_form.html", lambda: ops.create_meeting(_meeting_data(form)),
                     target=_meeting_url, message=_("The meeting was created as a draft."),
                     refusals_on_form=False, meeting=None)


def _meeting_url(meeting: Meeting) -> str:
    return url_for("meetings.meeting_page", meeting_id=meeting.id)


@bp.route("/meetings/<int:meeting_id>")
@login_required
def meeting_page(meeting_id: int):
    meeting, context = _with_sessions(meeting_id)
    return render_template("meetings/meeting.html", history=history("meetings", meeting.id), **context)


def _with_sessions(meeting_id: int) -> tuple[Meeting, dict]:
    """A meeting shown with its sessions (its page, its invitations): the meeting and the page's context."""
    policy.require(current_user, "meetings.view")
    meeting = _meeting(meeting_id)
    return meeting, {"meeting": meeting, "views": queries.session_views(queries.meeting_sessions(meeting)),
                     "confirm_form": ConfirmForm(), "can_edit": policy.can(current_user, "meetings.edit")}


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    policy.require(current_user, "meetings.edit")
    meeting = _meeting(meeting_id)
    form = MeetingForm(obj=meeting)
    _meeting_form_choices(form)
    return form_page(form, "meetings/meeting_form.html",
                     lambda: ops.update_meeting(meeting, _meeting_data(form)),
                     target=_meeting_url(meeting), message=_("The meeting was saved."),
                     refusals_on_form=False, meeting=meeting)


STATUS_ACTIONS = {
    "publish": (ops.publish_meeting, _l("The meeting was published and its invitation lists frozen.")),
    "complete": (ops.complete_meeting, _l("The meeting was marked as completed.")),
    "cancel": (ops.cancel_meeting, _l("The meeting was cancelled.")),
}


@bp.route("/meetings/<int:meeting_id>/<any(publish, complete, cancel):action>", methods=["POST"])
@login_required
def change_status(meeting_id: int, action: str):
    policy.require(current_user, "meetings.edit")
    meeting = _meeting(meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "publish" and request.form.get("confirmed") != "1":
        notice = queries.publish_notice(meeting, now_utc())
        if notice.needs_confirmation and meeting.status == MeetingStatus.DRAFT:
            return render_template("meetings/publish_confirm.html", meeting=meeting, notice=notice,
                                   confirm_form=ConfirmForm())
    operation, message = STATUS_ACTIONS[action]
    return _act(operation, meeting, message, url_for("meetings.meeting_page", meeting_id=meeting_id))


def _act(operation, target, message, back: str):
    """Run the operation on the target, then say so and go back; a refusal goes back with its message."""
    refusals_go_to(back)
    operation(target)
    if message:
        flash(str(message), "success")
    return redirect(back)


# --- sessions ----------------------------------------------------------------------------------


def _session_form(session: MeetingSession | None, meeting: Meeting) -> SessionForm:
    form = SessionForm(obj=session) if session is not None else SessionForm()
    form.covered_unit_ids.choices = _division_choices()
    form.district_unit_id.choices = _district_choices()
    if request.method == "GET":
        if session is not None:
            start, end = to_local(session.starts_at), to_local(session.ends_at)
            form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
            form.covered_unit_ids.data = [u.id for u in session.covered_units]
            form.chair.set_people([session.chair])
            form.dais.set_people([i.person for i in session.invitations if i.kind == InvitationKind.DAIS])
            form.reviewers.set_people([i.person for i in session.invitations if i.kind == InvitationKind.REVIEWER])
        else:
            form.day.data = meeting.starts_on
    return form


@bp.route("/meetings/<int:meeting_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(meeting_id: int):
    policy.require(current_user, "meetings.edit")
    meeting = _meeting(meeting_id)
    form = _session_form(None, meeting)
    return form_page(form, "meetings/session_form.html",
                     lambda: ops.add_session(meeting, form.data_for_operation()),
                     target=_session_url, message=_("The session was added."),
                     refusals_on_form=False, meeting=meeting, session=None)


def _session_url(session: MeetingSession, anchor: str | None = None) -> str:
    return url_for("meetings.session_page", session_id=session.id, _anchor=anchor)


@bp.route("/meetings/sessions/<int:session_id>")
@login_required
def session_page(session_id: int):
    policy.require(current_user, "meetings.view")
    session = _session(session_id)
    view = queries.session_views([session])[0]
    return render_template("meetings/session.html", session=session, meeting=session.meeting, view=view,
                           agenda_form=AgendaItemForm(), invite_form=InviteForm(), confirm_form=ConfirmForm(),
                           frozen=queries.is_frozen(session.meeting),
                           can_edit=policy.can(current_user, "meetings.edit"),
                           replies=replies.summary(session) if session.meeting.published_at else None,
                           can_record_reply=policy.can(current_user, "invitation.reply"),
                           history=history("meeting_sessions", session.id))


@bp.route("/meetings/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    policy.require(current_user, "meetings.edit")
    session = _session(session_id)
    form = _session_form(session, session.meeting)
    return form_page(form, "meetings/session_form.html",
                     lambda: ops.update_session(session, form.data_for_operation()),
                     target=_session_url(session), message=_("The session was saved."),
                     refusals_on_form=False, meeting=session.meeting, session=session)


@bp.route("/meetings/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(session_id: int):
    policy.require(current_user, "meetings.edit")
    session = _session(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(ops.cancel_session, session, _("The session was cancelled."),
                 url_for("meetings.session_page", session_id=session_id))


# --- agenda items ------------------------------------------------------------------------------


@bp.route("/meetings/sessions/<int:session_id>/agenda", methods=["POST"])
@login_required
def add_agenda_item(session_id: int):
    form = AgendaItemForm()
    session, back = _posted_from_session(session_id, form, "agenda")
    return _act(lambda s: ops.add_agenda_item(s, form.data_for_operation()), session,
                 _("The agenda item was added."), back)


def _posted_from_session(session_id: int, form, anchor: str) -> tuple[MeetingSession, str]:
    """A form posted from a session's page by office staff: the session, and the way back to that part
    of the page, where refusals go, and a form that does not validate, with its errors."""
    policy.require(current_user, "meetings.edit")
    session = _session(session_id)
    back = _session_url(session, anchor)
    refusals_go_to(back)
    if not form.validate_on_submit():
        raise ops.MeetingError(" ".join(e for errors in form.errors.values() for e in errors))
    return session, back


@bp.route("/meetings/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(item_id: int):
    policy.require(current_user, "meetings.edit")
    item = db.get_or_404(AgendaItem, item_id)
    form = AgendaItemForm(obj=item)
    if request.method == "GET":
        form.presenter.set_people([item.presenter])
    return form_page(form, "meetings/agenda_item_form.html",
                     lambda: ops.update_agenda_item(item, form.data_for_operation()),
                     target=_session_url(item.session, "agenda"), message=_("The agenda item was saved."),
                     refusals_on_form=False, item=item, session=item.session)


@bp.route("/meetings/agenda-items/<int:item_id>/<any(up, down, delete):action>", methods=["POST"])
@login_required
def agenda_item_action(item_id: int, action: str):
    policy.require(current_user, "meetings.edit")
    item = db.get_or_404(AgendaItem, item_id)
    session_id = item.session_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operation = ops.delete_agenda_item if action == "delete" else \
        (lambda it: ops.move_agenda_item(it, -1 if action == "up" else 1))
    return _act(operation, item, None, url_for("meetings.session_page", session_id=session_id, _anchor="agenda"))


# --- invitations -------------------------------------------------------------------------------


@bp.route("/meetings/sessions/<int:session_id>/invite", methods=["POST"])
@login_required
def invite(session_id: int):
    form = InviteForm()
    session, back = _posted_from_session(session_id, form, "invitees")
    person = db.session.get(Person, form.person.person_ids[0])
    if person is None:
        flash(_("There is no person with the number %(id)s in the directory.", id=form.person.person_ids[0]),
              "error")
        return redirect(back)
    return _act(lambda s: ops.invite_person(s, person, InvitationKind(form.kind.data)), session,
                 _("%(person)s was invited.", person=localized(person)), back)


@bp.route("/meetings/sessions/<int:session_id>/uninvite/<int:person_id>", methods=["POST"])
@login_required
def uninvite(session_id: int, person_id: int):
    policy.require(current_user, "meetings.edit")
    session = _session(session_id)
    person = db.get_or_404(Person, person_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = request.form.get("next") if request.form.get("next", "").startswith("/meetings/") \
        else url_for("meetings.session_page", session_id=session_id, _anchor="invitees")
    return _act(lambda s: ops.uninvite_person(s, person), session, _("The invitation was removed."), back)


@bp.route("/meetings/<int:meeting_id>/invitations")
@login_required
def invitations(meeting_id: int):
    meeting, context = _with_sessions(meeting_id)
    return render_template("meetings/invitations.html", frozen=queries.is_frozen(meeting), **context)


# --- timetable and day sheet -------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/timetable")
@login_required
def timetable(meeting_id: int):
    policy.require(current_user, "meetings.view")
    meeting = _meeting(meeting_id)
    return render_template("meetings/timetable.html", meeting=meeting, days=queries.timetable(meeting))


@bp.route("/meetings/<int:meeting_id>/days/<day>")
@login_required
def day_sheet(meeting_id: int, day: str):
    policy.require(current_user, "meetings.view")
    meeting = _meeting(meeting_id)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    day_view = printables.timetable_day(meeting, wanted)
    if day_view is None:
        abort(404)
    if pdf.wants_pdf():
        return printables.day_sheet_pdf(meeting, day_view)
    return render_template("meetings/day_sheet.html", meeting=meeting, day=day_view)


# --- calendar files ----------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


@bp.route("/meetings/sessions/<int:session_id>.ics")
@login_required
def session_ics(session_id: int):
    session = _session(session_id)
    policy.require(current_user, "session.view", session, hidden=True)
    return _ics(calendar.session_ics(session), f"session-{session.id}.ics")


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    feed = calendar.feed_for_token(token)
    if feed is None:
        abort(404)
    person = feed.person
    with force_locale(person.preferred_locale or current_app.config["DEFAULT_LOCALE"]):
        body = calendar.feed_ics(person)
    return _ics(body, "tracker.ics")


def _agenda_person(person_id: int | None) -> Person:
    """Whose agenda: one's own, or the person asked for; someone the user may not know of answers as a
    missing person (issue 17), someone they know of but whose agenda they may not see 403."""
    if person_id is None:
        if current_user.person_id is None:
            abort(404)
        person = db.session.get(Person, current_user.person_id)
    else:
        person = db.get_or_404(Person, person_id)
        policy.require(current_user, "person.view", person, hidden=True)
    policy.require(current_user, "agenda.view", person)
    return person


@bp.route("/agenda/calendar", methods=["POST"], defaults={"person_id": None})
@bp.route("/agenda/<int:person_id>/calendar", methods=["POST"])
@login_required
def rotate_calendar(person_id: int | None):
    person = _agenda_person(person_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    had_link = queries.active_feed(person.id) is not None
    calendar.rotate_feed(person)
    if had_link:
        flash(_("A new calendar link was made; the old one no longer works."), "success")
    else:
        flash(_("Your calendar link was made: add it to your phone calendar."), "success")
    target = request.form.get("next", "")
    return redirect(target if target in ("/settings", "/agenda") or target.startswith("/agenda/")
                    else url_for("meetings.agenda", person_id=person_id))


def webcal_url(url: str | None) -> str | None:
    """The ``webcal://`` form of a feed link: phones open it straight in their calendar app."""
    if not url:
        return None
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def feed_url(person: Person) -> str | None:
    feed = queries.active_feed(person.id)
    if feed is None:
        return None
    return url_for("meetings.calendar_feed", token=calendar.feed_token(feed), _external=True)


# --- my agenda ---------------------------------------------------------------------------------


@bp.route("/agenda", defaults={"person_id": None})
@bp.route("/agenda/<int:person_id>")
@login_required
def agenda(person_id: int | None):
    person = _agenda_person(person_id)
    past = request.args.get("show") == "past"
    entries = queries.agenda_for(person, past=past)
    own = current_user.person_id == person.id
    if pdf.wants_pdf():
        return printables.agenda_pdf(person, own=own, past=past)
    if not past and own:  # one's own agenda opens at the hall's gate
        keep_offline(kept_until_end_of(today_local() + timedelta(days=1)))
    return render_template("meetings/agenda.html", person=person, entries=entries, past=past,
                           feed_url=feed_url(person), confirm_form=ConfirmForm(), own=own)


@bp.route("/agenda/sessions/<int:session_id>", defaults={"person_id": None})
@bp.route("/agenda/<int:person_id>/sessions/<int:session_id>")
@login_required
def agenda_session(person_id: int | None, session_id: int):
    """One session of a person's agenda (e.g. a district president's one-to-one slot): when, where, with
    whom, the agenda, the pass and the calendar file. Only a session the person is invited to."""
    person = _agenda_person(person_id)
    entry = queries.agenda_entry(person, session_id)
    if entry is None:
        abort(404)
    day = to_local(entry.session.starts_at).date()
    if current_user.person_id == person.id and today_or_tomorrow(day):
        keep_offline(kept_until_end_of(day))
    return render_template("meetings/agenda_session.html", person=person, entry=entry,
                           own=current_user.person_id == person.id)


# --- planning ----------------------------------------------------------------------------------


def _plan_input(form: PlanForm) -> planning.PlanInput:
    extra = list(form.extra_roles.data or []) + planning.parse_codes(form.extra_people.data or "")
    return planning.PlanInput(
        division_codes=list(form.divisions.data or []), start=form.start.data, days=form.days.data,
        per_day=form.per_day.data, pins=form.pins_by_date(), window=(form.window_start.data, form.window_end.data),
        group_minutes=form.group_minutes.data, one_to_one_minutes=form.one_to_one_minutes.data,
        gap_minutes=form.gap_minutes.data or 0, extra_reviewers=extra, one_to_ones=form.one_to_ones.data,
        one_to_one_dates=sorted({entry.data for entry in form.one_to_one_dates if entry.data}),
        unavailable=rows_unavailable(form.unavailable), breaks=form.breaks(),
    )


def _csrf_ok(form) -> bool:
    """The CSRF check alone (an add-row button re-shows the form without validating the rest)."""
    return not form.meta.csrf or form.csrf_token.validate(form)


# Buttons that add an empty row to one of the plan form's pickers (they work without JavaScript).
ADD_ROW_ACTIONS = {"add_pin": "pins", "add_unavailable": "unavailable", "add_one_to_one_date": "one_to_one_dates"}


def _plan_form_choices(form: PlanForm, plan=None, context=None) -> None:
    from tracker.i18n import localized

    divisions = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION,
                                                         Unit.is_archived.is_(False)).order_by(Unit.name_en))
    form.set_division_choices([(u.code, localized(u)) for u in divisions])
    form.campaign_id.choices = [("", "—")] + [(c.id, localized(c)) for c in active_campaigns()]
    if plan is not None and context is not None:
        form.move_district.choices = [(sl.district, localized(context.units[sl.district]))
                                      for day in plan.days for sl in day.one_to_ones]
        dates = [(d.isoformat(), fmt_date(d, "EEE, d MMMM y")) for d in context.request.dates]
        form.swap_a.choices = dates
        form.swap_b.choices = dates


def _adjust(form: PlanForm, plan, context):
    action = request.form.get("action")
    if action == "move" and form.move_district.data and form.move_time.data:
        return move_slot(plan, context.request, form.move_district.data, form.move_time.data,
                         new_date=form.move_date.data or None)
    if action == "swap" and form.swap_a.data and form.swap_b.data:
        return swap_days(plan, context.request, planning.parse_date(form.swap_a.data),
                         planning.parse_date(form.swap_b.data))
    return plan


@bp.route("/meetings/plan", methods=["GET", "POST"])
@login_required
def plan_meeting():
    """Plan form → proposed timetable → adjust (move a slot, swap days) → save as draft. Input the
    planner cannot read answers 400 with its reason; anything else that goes wrong is a bug (500)."""
    policy.require(current_user, "meetings.plan")
    form = PlanForm()
    _plan_form_choices(form)
    if request.method == "GET":
        form.divisions.data = [code for code, _label in form.divisions.choices]
        form.start.data = today_local() + timedelta(days=7)
        return render_template("meetings/plan.html", form=form, plan=None, context=None, problems=[])
    action = request.form.get("action", "plan")
    if action in ADD_ROW_ACTIONS:
        if not _csrf_ok(form):
            abort(400)
        getattr(form, ADD_ROW_ACTIONS[action]).append_entry()
        _plan_form_choices(form)
        return render_template("meetings/plan.html", form=form, plan=None, context=None, problems=[],
                               focus=ADD_ROW_ACTIONS[action])
    if not form.validate_on_submit():
        return render_template("meetings/plan.html", form=form, plan=None, context=None, problems=[]), 422
    refusals_go_to(lambda exc: (render_template("meetings/plan.html", form=form, plan=None, context=None,
                                                problems=[exc.message]), 422))
    problems: list[str] = []
    context = None
    try:
        inp = _plan_input(form)
        if action != "plan" and form.plan_json.data:
            context = planning.build_request(inp)
            plan = planning.plan_from_json(form.plan_json.data)
            adjusted = _adjust(form, plan, context)
            problems = [plan_messages.problem_message(p, context) for p in adjusted.problems]
            plan = adjusted if not adjusted.problems else plan
        else:
            context, plan = planning.make_plan(inp)
            problems = [plan_messages.problem_message(p, context) for p in plan.problems]
    except PlanRequestError as exc:
        message = plan_messages.request_error_message(exc, context)
        return render_template("meetings/plan.html", form=form, plan=None, context=None, problems=[message]), 400
    if action == "save" and not problems:
        return _save_plan(form, plan, context)
    return _proposed_plan_page(form, plan, context, problems)


def _proposed_plan_page(form: PlanForm, plan, context, problems: list[str]):
    _plan_form_choices(form, plan, context)
    form.plan_json.data = json.dumps(planning.plan_to_dict(plan, context)) if plan.days else ""
    return render_template("meetings/plan.html", form=form, plan=plan if plan.days else None, context=context,
                           problems=problems), (422 if problems and not plan.days else 200)


def _save_plan(form: PlanForm, plan, context):
    """Save the plan as a draft meeting and go to it; a refusal shows the proposed plan again, with why."""
    title_en = (form.title_en.data or "").strip()
    title_hi = (form.title_hi.data or "").strip()
    if not (title_en or title_hi):
        message = _("Give the meeting a title (in Hindi or English).")
        form.title_hi.errors = [*form.title_hi.errors, message]
        return _proposed_plan_page(form, plan, context, [message])
    refusals_go_to(lambda exc: _proposed_plan_page(form, plan, context, [exc.message]))
    meeting = planning.save_plan(plan, context, {
        "title_en": title_en, "title_hi": title_hi, "venue": form.venue.data or "",
        "campaign_id": form.campaign_id.data, "purpose": "review"})
    flash(_("The plan was saved as a draft meeting. Check it, then publish it."), "success")
    return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/replan", methods=["GET", "POST"])
@login_required
def replan(meeting_id: int):
    """Plan a saved meeting again after a change; shows what moves and who is affected, then applies."""
    policy.require(current_user, "meetings.plan")
    meeting = _meeting(meeting_id)
    form = ReplanForm()
    result = None
    if request.form.get("action") == "add_unavailable":
        if not _csrf_ok(form):
            abort(400)
        form.unavailable.append_entry()
        return render_template("meetings/replan.html", meeting=meeting, form=form, result=None, adding=True)
    if form.validate_on_submit():
        with refusals_shown():  # the message flashed, the page again
            context, plan, moves, affected = planning.replan_meeting(meeting, rows_unavailable(form.unavailable))
            if plan.problems:
                raise ops.MeetingError(" ".join(plan_messages.problem_message(p, context) for p in plan.problems))
            if request.form.get("action") == "apply":
                planning.apply_plan(meeting, plan, context)
                flash(_("The meeting was re-planned; the people affected are told."), "success")
                return redirect(url_for("meetings.timetable", meeting_id=meeting.id))
            people = queries.people_by_id(affected)
            result = {"moves": [plan_messages.move_message(m, context) for m in moves],
                      "affected": sorted(people.values(), key=lambda p: p.name_en)}
    return render_template("meetings/replan.html", meeting=meeting, form=form, result=result)


def _settings_section(user) -> dict | None:
    """The settings page's calendar subscription, for a login linked to a person (one query)."""
    if user.person is None:
        return None
    return {"person": user.person, "feed_url": feed_url(user.person)}


def init_app(app) -> None:
    from tracker.core.links import register_page_panel
    from tracker.core.nav import register_nav
    from tracker.meetings import reply_list_views, reply_views, share
    from tracker.meetings.history import register_fields

    reply_views.register(bp)
    reply_list_views.register(bp)
    share.register(bp, app)
    register_fields()
    app.register_blueprint(bp)
    register_nav("meetings.list_meetings", _l("Meetings"), "meetings.view", order=30)
    register_nav("meetings.plan_meeting", _l("Plan a meeting"), "meetings.plan", order=31)
    register_nav("meetings.agenda", _l("My agenda"), "agenda.own", order=20)
    register_page_panel("auth.settings", "meetings/_settings.html", _settings_section, order=30)
    from tracker.meetings import home

    home.register()

    app.jinja_env.filters["session_label"] = ops.session_label
    app.jinja_env.filters["room_label"] = room_label
    app.jinja_env.filters["webcal"] = webcal_url
