"""The outbox page (office): see, filter, retry, cancel, pause all sending; the "could not notify" list."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core.form_views import form_page
from tracker.core.nav import register_nav
from tracker.core.pagination import Page, paginate, requested_page
from tracker.core.transaction import refusals_go_to
from tracker.core.views import safe_next
from tracker.extensions import db
from tracker.i18n import _, _l, ngettext
from tracker.meetings.models import Meeting
from tracker.reminders import errors, message_templates, queries
from tracker.reminders import operations as ops
from tracker.reminders.forms import OutboxFilterForm, ReminderTimesForm
from tracker.reminders.models import NotifyProblem, OutboxMessage
from tracker.timeutil import now_utc

bp = Blueprint("reminders", __name__, url_prefix="/outbox")


def _page(stmt, endpoint: str, args: dict) -> Page:
    return paginate(stmt, requested_page(), current_app.config["PAGE_SIZE"]).linked(endpoint, **args)


def _filter_from(form: OutboxFilterForm) -> queries.OutboxFilter:
    if not form.validate():
        return queries.OutboxFilter()
    return queries.OutboxFilter(state=form.state.data or "", kind=form.kind.data or "",
                                channel=form.channel.data or "", day=form.day.data, q=(form.q.data or "").strip())


@bp.route("/")
@login_required
def index():
    policy.require(current_user, "outbox.view")
    form = OutboxFilterForm(request.args)
    flt = _filter_from(form)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    page = _page(queries.outbox_select(flt), "reminders.index", args)
    return render_template(
        "reminders/outbox.html", form=form, page=page, counts=queries.state_counts(),
        paused=ops.sending_paused(), open_problems=db.session.scalar(
            db.select(db.func.count()).select_from(queries.problems_select().subquery())),
    )


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/<int:message_id>")
@login_required
def show(message_id: int):
    policy.require(current_user, "outbox.view")
    message = _message_or_404(message_id)
    template_id = message_templates.template_id(message.template, message.locale) if message.template else ""
    return render_template("reminders/message.html", message=message, template_id=template_id,
                           error=errors.explain(message.last_error))


def _act(message_id: int, action, done: str):
    policy.require(current_user, "outbox.manage")
    message = _message_or_404(message_id)
    back = safe_next(request.form.get("next"), url_for("reminders.show", message_id=message_id))
    refusals_go_to(back)
    action(message)
    flash(done, "success")
    return redirect(back)


@bp.route("/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id: int):
    return _act(message_id, lambda m: ops.retry(m, now_utc()), _("The message will be sent again."))


@bp.route("/<int:message_id>/cancel", methods=["POST"])
@login_required
def cancel(message_id: int):
    return _act(message_id, ops.cancel, _("The message was cancelled."))


@bp.route("/pause", methods=["POST"])
@login_required
def pause():
    policy.require(current_user, "outbox.manage")
    paused = request.form.get("paused") == "1"
    ops.set_paused(paused, current_user, now_utc())
    flash(_("All sending is paused.") if paused else _("Sending has resumed."), "success")
    return redirect(url_for("reminders.index"))


@bp.route("/problems")
@login_required
def problems():
    policy.require(current_user, "outbox.view")
    page = _page(queries.problems_select(), "reminders.problems", {})
    items = list(page.items)
    return render_template("reminders/problems.html", page=page, problems=items,
                           meetings=queries.problem_meetings(items), users=queries.problem_users(items))


@bp.route("/problems/<int:problem_id>/resolve", methods=["POST"])
@login_required
def resolve_problem(problem_id: int):
    policy.require(current_user, "outbox.manage")
    problem = db.get_or_404(NotifyProblem, problem_id)
    ops.resolve_problem(problem, now_utc())
    flash(_("Removed from the list."), "success")
    return redirect(url_for("reminders.problems"))


@bp.route("/meetings/<int:meeting_id>/reminders", methods=["GET", "POST"])
@login_required
def reminder_times(meeting_id: int):
    policy.require(current_user, "outbox.manage")
    meeting = db.get_or_404(Meeting, meeting_id)
    setting = ops.reminder_setting(meeting.id)
    form = ReminderTimesForm(data={"day_before_hours": setting.day_before_minutes // 60,
                                   "same_day_minutes": setting.same_day_minutes})
    return form_page(form, "reminders/reminder_times.html", lambda: ops.set_reminder_offsets(
        meeting, form.day_before_hours.data * 60, form.same_day_minutes.data, now_utc()),
        target=url_for("reminders.reminder_times", meeting_id=meeting.id),
        message=lambda replaced: ngettext("Reminder times saved. %(num)d waiting reminder was replaced.",
                                          "Reminder times saved. %(num)d waiting reminders were replaced.", replaced),
        meeting=meeting)


def init_app(app: Flask) -> None:
    from tracker.reminders.link_views import init_app as init_link_views

    app.register_blueprint(bp)
    init_link_views(app)
    register_nav("reminders.index", _l("Outbox"), "outbox.view", order=70)
    from tracker.reminders import home

    home.register()
