"""Pages of programme reports: the list (office, in-charges, a president's own district), writing a report
(phone-first: reports.js shrinks photos and queues the report offline), a report with its photos, verifying
it or asking a question back, and the office's list of kinds.

A report the viewer may not read answers the 404 of a missing one (ids cannot be probed)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core.pagination import paginate, requested_page
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.i18n import _, localized
from tracker.reports import operations as ops
from tracker.reports import queries as q
from tracker.reports.forms import AnswerForm, KindForm, QuestionForm, ReportForm
from tracker.reports.models import ReportKind, ReportStatus
from tracker.timeutil import today_local

bp = Blueprint("reports", __name__, url_prefix="/reports")

PER_PAGE = 25
UPLOAD_REQUEST_MB = 200  # a report with its photos and videos (each file is limited by the uploads' settings)


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


@bp.route("/")
@login_required
def index():
    """The reports the viewer may read, by district, kind, period and status."""
    policy.require(current_user, "report.index")
    own = q.presided_district(current_user.person_id)
    filters = q.ReportFilters(request.args.get("district", type=int), request.args.get("kind", type=int),
                              _date_arg("since"), _date_arg("until"), request.args.get("status") or None,
                              division_id=request.args.get("division", type=int))
    if filters.district_id and not filters.division_id:  # a district asked for by link: show its division
        district = db.session.get(Unit, filters.district_id)
        filters.division_id = district.parent_id if district is not None else None
    page = paginate(q.reports_query(current_user, filters), requested_page(), PER_PAGE).linked(
        "reports.index", **request.args.to_dict())
    readers = policy.can(current_user, "report.list")
    return render_template("reports/index.html", page=page, filters=filters, kinds=q.kinds(True),
                           divisions=q.divisions() if readers else [],
                           districts=q.districts(filters.division_id) if readers and filters.division_id else [],
                           statuses=list(ReportStatus), own=own)


def _new_form(district: Unit | None, any_district: bool) -> ReportForm:
    form = ReportForm()
    if any_district and district is None:
        form.district_id.choices = [(d.id, localized(d)) for d in q.districts()]
    else:
        form.district_id.choices = [(district.id, localized(district))] if district else []
    form.kind_id.choices = [(k.id, localized(k)) for k in q.kinds()]
    form.unit_ids.choices = [(b.id, localized(b)) for b in q.blocks_of(district)] if district else []
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a report: a president for their district; the office for any district (``?district=`` shows
    that district's blocks)."""
    request.max_content_length = UPLOAD_REQUEST_MB * 1024 * 1024
    policy.require(current_user, "report.create")
    own = q.presided_district(current_user.person_id)
    chosen = own
    any_district = policy.can(current_user, "report.create_any")
    if any_district:  # the office writes for any district
        wanted = request.args.get("district", type=int) or request.form.get("district_id", type=int)
        chosen = db.session.get(Unit, wanted) if wanted else None
    form = _new_form(chosen, any_district)
    if request.method == "GET":
        form.held_on.data = today_local()
        if chosen is not None:
            form.district_id.data = chosen.id
    wants_json = request.accept_mimetypes.best == "application/json"
    if form.validate_on_submit():
        district = db.session.get(Unit, form.district_id.data)
        policy.require(current_user, "report.create", district)
        files = [(f.read(), f.filename or "") for f in request.files.getlist(form.files.name) if f and f.filename]
        data = ops.ReportData(form.kind_id.data, form.held_on.data, form.place.data, form.participants.data,
                              form.account.data or "", form.links.data or "", list(form.unit_ids.data or []))
        uploaded = (form.uploaded_files.data or "").split()
        if wants_json:
            refusals_go_to(lambda exc: (jsonify(error=exc.message, field=exc.field), 422))
            report = ops.submit_report(current_user, district, data, files, form.client_key.data, uploaded)
            return jsonify(id=report.id, url=url_for("reports.report", report_id=report.id)), 201
        with refusals_shown(on=form):
            report = ops.submit_report(current_user, district, data, files, form.client_key.data, uploaded)
            flash(_("The report was sent."), "success")
            return redirect(url_for("reports.report", report_id=report.id))
    if wants_json and request.method == "POST":
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return jsonify(error=_("The report could not be sent: check the form."), fields=errors), 400
    return render_template("reports/new.html", form=form, district=chosen, own=own)


@bp.route("/<int:report_id>")
@login_required
def report(report_id: int):
    item = q.report_or_404(report_id, current_user)
    files = ops.files_of([item])[item.id]
    return render_template("reports/report.html", report=item, files=files, question_form=QuestionForm(),
                           answer_form=AnswerForm(data={"answer": item.answer}))


@bp.route("/<int:report_id>/answer", methods=["POST"])
@login_required
def answer(report_id: int):
    """The district president answers the question asked back on their district's report."""
    item = q.report_or_404(report_id, current_user)
    policy.require(current_user, "report.answer", item)
    form = AnswerForm()
    if form.validate_on_submit():
        with refusals_shown(on=form):
            ops.answer_question(item, current_user.person_id, form.answer.data)
            flash(_("Thank you: your answer was sent to the state office."), "success")
            return redirect(url_for("reports.report", report_id=item.id))
    files = ops.files_of([item])[item.id]
    return render_template("reports/report.html", report=item, files=files, question_form=QuestionForm(),
                           answer_form=form), 400


# --- from the personal link (no sign-in) --------------------------------------------------------

link_bp = Blueprint("reports_link", __name__)


@link_bp.route("/p/<token>/reports/<int:report_id>", methods=["GET", "POST"])
def link_report(token: str, report_id: int):
    """A report of the president's district from their personal link (the question asked back reaches them
    by SMS/WhatsApp with it): the question and a form to answer it. Opening it (GET) changes nothing."""
    from tracker.reminders.link_views import _link_or_refuse

    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    item = q.report_for_person(link.person_id, report_id)
    if item is None or not policy.report_link_grants(link.person_id, item):
        abort(404)
    back = url_for("reports_link.link_report", token=token, report_id=item.id)
    answerable = bool(item.question) and item.status != ReportStatus.VERIFIED
    form = (AnswerForm(data={"answer": item.answer}) if request.method == "GET" else AnswerForm()) if answerable else None
    if request.method == "POST":
        if form is None:
            abort(400)
        refusals_go_to(back)
        if form.validate_on_submit():
            with refusals_shown(on=form):
                ops.answer_question(item, link.person_id, form.answer.data)
                flash(_("Thank you: your answer was sent to the state office."), "success")
                return redirect(back)
    return render_template("reports/link_report.html", report=item, answer_form=form, token=token)


@bp.route("/<int:report_id>/verify", methods=["POST"])
@login_required
def verify(report_id: int):
    item = q.report_or_404(report_id, current_user)
    policy.require(current_user, "report.review", item)
    refusals_go_to(url_for("reports.report", report_id=item.id))
    ops.verify_report(item, current_user)
    flash(_("The report is marked verified."), "success")
    return redirect(url_for("reports.report", report_id=item.id))


@bp.route("/<int:report_id>/question", methods=["POST"])
@login_required
def question(report_id: int):
    item = q.report_or_404(report_id, current_user)
    policy.require(current_user, "report.review", item)
    form = QuestionForm()
    if form.validate_on_submit():
        with refusals_shown(on=form):
            ops.ask_question(item, current_user, form.question.data)
            flash(_("The question was sent to the district president."), "success")
            return redirect(url_for("reports.report", report_id=item.id))
    files = ops.files_of([item])[item.id]
    return render_template("reports/report.html", report=item, files=files, question_form=form,
                           answer_form=AnswerForm()), 400


@bp.route("/kinds", methods=["GET", "POST"])
@login_required
def kinds():
    """The kinds of programme the office keeps, in both languages."""
    policy.require(current_user, "report.kinds")
    form = KindForm()
    if form.validate_on_submit():
        with refusals_shown(on=form):
            ops.save_kind(None, form.name_hi.data, form.name_en.data, form.is_archived.data)
            flash(_("The kind was added."), "success")
            return redirect(url_for("reports.kinds"))
    return render_template("reports/kinds.html", form=form, kinds=q.kinds(True))


@bp.route("/kinds/<int:kind_id>", methods=["GET", "POST"])
@login_required
def kind(kind_id: int):
    policy.require(current_user, "report.kinds")
    item = db.session.get(ReportKind, kind_id)
    if item is None:
        abort(404)
    form = KindForm(obj=item)
    if form.validate_on_submit():
        with refusals_shown(on=form):
            ops.save_kind(item, form.name_hi.data, form.name_en.data, form.is_archived.data)
            flash(_("The kind was saved."), "success")
            return redirect(url_for("reports.kinds"))
    return render_template("reports/kind.html", form=form, kind=item)
