"""Pages of circulars: the office's list, the compose form (with a confirmation of how many districts
receive it), the sender's status table (its reminders and export), and the president's page of one
circular (read, acknowledge, answer), signed in or from the personal link of their messages.

A circular the user may not see answers 404 (its existence is not told); role-gated pages answer 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import CombinedMultiDict

from tracker import policy
from tracker.circulars import operations as ops
from tracker.circulars import queries as q
from tracker.circulars.forms import (
    AcknowledgeForm,
    ComposeForm,
    FileAnswerForm,
    NumberAnswerForm,
    RemindForm,
    ReportAnswerForm,
    TextAnswerForm,
)
from tracker.circulars.models import AnswerKind, Circular, RecipientScope, RecipientState
from tracker.core import exports
from tracker.core.pagination import requested_page
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.db import mark_request_writes
from tracker.extensions import db
from tracker.i18n import _, fmt_date, fmt_datetime, localized, ngettext, pgettext
from tracker.reports import queries as report_queries
from tracker.timeutil import now_utc, today_local

bp = Blueprint("circulars", __name__, url_prefix="/circulars")


# --- the office's side --------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    policy.require(current_user, "circulars.list")
    page = q.circulars_page(current_user, requested_page()).linked("circulars.index")
    progress = q.progress_of([c.id for c in page.items])
    return render_template("circulars/index.html", page=page, progress=progress, today=today_local())


def _compose_form() -> ComposeForm:
    reach = policy.circular_reach_select(current_user)
    return ComposeForm(divisions=q.divisions(within=reach), districts=q.districts(within=reach))


def _draft(form: ComposeForm) -> ops.Draft:
    return ops.Draft(title=form.title.data or "", body=form.body.data or "",
                     answer_kind=AnswerKind(form.answer_kind.data), due_on=form.due_on.data,
                     scope=RecipientScope(form.scope.data), division_id=form.division.data or None,
                     district_ids=tuple(form.districts.data or ()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Compose; a valid post shows the confirmation (how many districts), a confirmed one sends."""
    policy.require(current_user, "circular.send")
    form = _compose_form()
    confirm = None
    if form.validate_on_submit():
        with refusals_shown(on=form):
            draft = _draft(form)
            if form.confirmed.data == "yes":
                circular = ops.send_circular(current_user, draft, now_utc(), today_local())
                flash(ngettext("The circular was sent to %(num)d district.",
                               "The circular was sent to %(num)d districts.", len(circular.recipients)), "success")
                return redirect(url_for("circulars.status", circular_id=circular.id))
            confirm = ops.recipients_of(current_user, draft)
            form.confirmed.data = "yes"
    return render_template("circulars/new.html", form=form, confirm=confirm)


def _circular_for_sender(circular_id: int) -> Circular:
    circular = db.session.get(Circular, circular_id)
    if circular is None:
        abort(404)
    policy.require(current_user, "circular.status", circular, hidden=True)
    return circular


@bp.route("/<int:circular_id>/status")
@login_required
def status(circular_id: int):
    circular = _circular_for_sender(circular_id)
    table = q.status_page(circular, today_local(), requested_page())
    table.page.linked("circulars.status", circular_id=circular.id)
    return render_template("circulars/status.html", circular=circular, table=table, today=today_local(),
                           remind_form=RemindForm(), states=RecipientState, formats=exports.FORMATS)


@bp.route("/<int:circular_id>/remind", methods=["POST"])
@login_required
def remind(circular_id: int):
    circular = _circular_for_sender(circular_id)
    if not RemindForm().validate_on_submit():
        abort(400)
    count = ops.remind_pending(circular, now_utc(), today_local())
    if count:
        flash(ngettext("A reminder was sent to %(num)d district that had neither acknowledged nor answered.",
                       "A reminder was sent to %(num)d districts that had neither acknowledged nor answered.",
                       count), "success")
    else:
        flash(_("Every district with a president has acknowledged or answered: nobody to remind."), "info")
    return redirect(url_for("circulars.status", circular_id=circular.id))


def answers_table(table: q.StatusTable) -> list[list]:
    rows = [[_("District"), _("President"), _("Mobile"), pgettext("status", "State"), _("Answer"), _("Read"), _("Acknowledged"),
             _("Answered"), _("Reminders")]]
    for row in table.rows:
        rows.append([
            localized(row.district), localized(row.president) if row.president else "",
            exports.phone(row.president.mobile) if row.president else "", row.state.title,
            row.answer_number if row.answer_number is not None else row.answer_text,
            fmt_datetime(row.read_at, "short") if row.read_at else "",
            fmt_datetime(row.acknowledged_at, "short") if row.acknowledged_at else "",
            fmt_datetime(row.answered_at, "short") if row.answered_at else "", row.remind_count,
        ])
    return rows


@bp.route("/<int:circular_id>/answers.<any(csv, xlsx):fmt>")
@login_required
def export(circular_id: int, fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    circular = _circular_for_sender(circular_id)
    rows = answers_table(q.status_table(circular, today_local()))
    filename = f"circular-{circular.id}-answers.{fmt}"
    if fmt == exports.CSV:
        return exports.download(exports.csv_bytes(rows), fmt, filename)
    return exports.download(exports.xlsx_bytes(rows, _("Answers")), fmt, filename)


# --- the president's side -----------------------------------------------------------------------


def _forms(recipient, data=None):
    kind = recipient.circular.answer_kind
    ack = AcknowledgeForm(data, prefix="ack") if recipient.acknowledged_at is None or kind.takes_note else None
    if ack is not None and not kind.takes_note:
        del ack.note
    answer = None
    if kind == AnswerKind.NUMBER:
        answer = NumberAnswerForm(data, prefix="answer")
    elif kind == AnswerKind.TEXT:
        answer = TextAnswerForm(data, prefix="answer")
    elif kind == AnswerKind.PROGRAMME_REPORT:
        answer = ReportAnswerForm(data, prefix="answer")
        answer.report_id.choices = [(r.id, f"{fmt_date(r.held_on, 'medium')} · {localized(r.kind)} · {r.place}")
                                    for r in report_queries.recent_for_district(recipient.district_unit_id, 20)]
        if recipient.answer_report_id and data is None:
            answer.report_id.data = recipient.answer_report_id
    elif kind == AnswerKind.FILE:
        answer = FileAnswerForm(CombinedMultiDict((request.files, data)) if data is not None else None,
                                prefix="answer")
    return ack, answer


def respond(recipient, *, person_id, back: str, template: str, **context):
    """Acknowledge or answer (a POST), or show the circular; shared by the signed-in page and the link."""
    ack_form, answer_form = _forms(recipient, request.form if request.method == "POST" else None)
    refusals_go_to(back)
    if request.method == "POST":
        if request.form.get("ack-submit") is not None and ack_form is not None:
            if ack_form.validate_on_submit():
                note = ack_form.note.data if "note" in ack_form else ""
                ops.acknowledge(recipient, now_utc(), person_id, note=note or "")
                flash(_("Thank you: the state office sees that you acknowledged it."), "success")
                return redirect(back)
        elif answer_form is not None and answer_form.validate_on_submit():
            with refusals_shown(on=answer_form):
                kind = recipient.circular.answer_kind
                if kind == AnswerKind.NUMBER:
                    ops.answer(recipient, now_utc(), person_id, number=answer_form.number.data)
                elif kind == AnswerKind.PROGRAMME_REPORT:
                    ops.answer_with_report(recipient, now_utc(), person_id, answer_form.report_id.data)
                elif kind == AnswerKind.FILE:
                    upload = answer_form.file.data
                    ops.answer_with_file(recipient, now_utc(), person_id, upload.read() if upload else b"",
                                         (upload.filename or "") if upload else "",
                                         current_user if current_user.is_authenticated else None)
                else:
                    ops.answer(recipient, now_utc(), person_id, text=answer_form.text.data)
                flash(_("Thank you: your answer was sent to the state office."), "success")
                return redirect(back)
        elif answer_form is None and ack_form is None:
            abort(400)
    return render_template(template, recipient=recipient, circular=recipient.circular, ack_form=ack_form,
                           answer_form=answer_form, today=today_local(), **context)


@bp.route("/mine")
@login_required
def mine():
    policy.require(current_user, "circulars.mine")
    return render_template("circulars/mine.html", recipients=q.open_recipients(current_user), today=today_local())


@bp.route("/<int:circular_id>", methods=["GET", "POST"])
@login_required
def show(circular_id: int):
    """The president's page of a circular sent to their district; opening it marks it read."""
    if request.method == "GET":
        mark_request_writes()
    recipient = q.recipient_for(current_user, circular_id)
    if recipient is None:
        circular = db.session.get(Circular, circular_id)
        if circular is not None and policy.can(current_user, "circular.status", circular):
            return redirect(url_for("circulars.status", circular_id=circular_id))
        abort(404)
    policy.require(current_user, "circular.respond", recipient, hidden=True)
    ops.mark_read(recipient, now_utc())
    return respond(recipient, person_id=current_user.person_id,
                   back=url_for("circulars.show", circular_id=circular_id), template="circulars/show.html")


# --- from the personal link (no sign-in) --------------------------------------------------------


link_bp = Blueprint("circulars_link", __name__)


@link_bp.route("/p/<token>/circulars/<int:circular_id>", methods=["GET", "POST"])
def link_show(token: str, circular_id: int):
    """A circular from the president's personal link. Opening it (GET) changes nothing (link previews of
    SMS and WhatsApp apps open links by themselves): acknowledging or answering marks it read."""
    from tracker.reminders.link_views import _link_or_refuse

    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    recipient = q.recipient_for_person(link.person_id, circular_id)
    if recipient is None or not policy.circular_link_grants(link.person_id, recipient):
        abort(404)
    return respond(recipient, person_id=link.person_id,
                   back=url_for("circulars_link.link_show", token=token, circular_id=circular_id),
                   template="circulars/show.html", token=token)

