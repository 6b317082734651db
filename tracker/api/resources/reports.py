"""Programme reports, under the same policy as the pages: the office and the in-charges read every
district's reports (``report.list``) and verify them (``report.review``); a district president reads their
own district's only (``visible_reports_clause``); anyone else's report is "not found". Each report lists its
photos and videos by their unguessable key (``/files/<key>``, checked against the reader's rights)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from flask.views import MethodView

from tracker import policy
from tracker.api import schemas as s
from tracker.api.common import MAX_ID, in_date_range, page_of, paginate
from tracker.api.framework import api_user, error_responses, guard, resource_blueprint
from tracker.api.problems import ApiError
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.i18n import _
from tracker.reports import operations as ops
from tracker.reports import queries
from tracker.reports.models import ProgrammeReport

reports = resource_blueprint("ProgrammeReports", "Programmes the districts held: what, where, how many, photos.")


def _readable_or_404(report_id: int) -> ProgrammeReport:
    user = api_user()
    report = db.session.get(ProgrammeReport, report_id) if 0 < report_id <= MAX_ID else None
    if report is None or not policy.can(user, "report.view", report):
        raise ApiError(404)
    return report


def _reviewable_or_404(report_id: int) -> ProgrammeReport:
    report = _readable_or_404(report_id)
    if not policy.can(api_user(), "report.review", report):
        raise ApiError(403)
    return report


def _with_files(report: ProgrammeReport) -> ProgrammeReport:
    report.api_files = [{"key": f.key, "kind": f.kind, "content_type": f.content_type,
                         "url": url_for("uploads.file", key=f.key)}
                        for f in ops.files_of([report]).get(report.id, [])]
    return report


@reports.route("/reports")
class ReportList(MethodView):
    @guard("report.index")
    @reports.arguments(s.ReportListArgs, location="query")
    @reports.response(200, page_of(s.ReportSummarySchema))
    @reports.doc(responses=error_responses(422))
    def get(self, args):
        """The reports the token's user may read, newest programme first: by district (or a division above it),
        kind, status and date."""
        status = args["status"].value if args.get("status") else None
        stmt = queries.reports_query(api_user(), queries.ReportFilters(kind_id=args.get("kind_id"), status=status))
        if args.get("unit_id") is not None:
            unit_id = args["unit_id"]
            stmt = stmt.where(ProgrammeReport.district_unit_id.in_(
                sa.select(Unit.id).where(sa.or_(Unit.id == unit_id, Unit.parent_id == unit_id))))
        stmt = stmt.where(*in_date_range(ProgrammeReport.held_on, args))
        return paginate(stmt, args)


    @guard("report.create")
    @reports.arguments(s.ReportCreateForm, location="form", content_type="multipart/form-data")
    @reports.response(201, s.ReportSchema)
    @reports.alt_response(200, schema=s.ReportSchema, description="A report sent again with the same client_key: "
                                                                  "the one recorded the first time.")
    @reports.doc(responses=error_responses(409, 422))
    def post(self, data):
        """Write a programme report with its photos and videos (``multipart/form-data``), with the same rules as
        the page's form; idempotent by ``client_key``."""
        user = api_user()
        earlier = ops.existing_report(data.get("client_key"))
        if earlier is not None:
            if not policy.can(user, "report.view", earlier) or earlier.written_by_id != user.id:
                raise ApiError(409, _("This client_key belongs to another report."))
            return _with_files(earlier), 200
        district = db.session.get(Unit, data["district_unit_id"])
        if district is None or not policy.can(user, "report.create", district):
            raise ApiError(422, errors={"district_unit_id": [_("You may not write a report for this district.")]})
        uploads = [(f.read(), f.filename or "") for f in request.files.getlist("files") if f]
        try:
            report = ops.submit_report(user, district, ops.ReportData(
                data["kind_id"], data["held_on"], data["place"], data["participants"], data.get("account") or "",
                data.get("links") or "", list(data.get("unit_ids") or [])), uploads, data.get("client_key"))
        except ops.ReportError as refused:
            if refused.field != "files":
                raise
            raise ApiError(422, errors={"files": [_("A file was refused: %(reason)s", reason=refused.message)]}) \
                from None
        return _with_files(report), 201


@reports.route("/reports/<int:report_id>")
class ReportItem(MethodView):
    @guard(lambda report_id: _readable_or_404(report_id))
    @reports.response(200, s.ReportSchema)
    @reports.doc(responses=error_responses())
    def get(self, report_id):
        """A report with its blocks, links and files."""
        return _with_files(_readable_or_404(report_id))


@reports.route("/reports/<int:report_id>/review")
class ReviewReport(MethodView):
    @guard(lambda report_id: _reviewable_or_404(report_id))
    @reports.arguments(s.ReportReviewSchema)
    @reports.response(200, s.ReportSchema)
    @reports.doc(responses=error_responses(422))
    def post(self, data, report_id):
        """The office or an in-charge marks the report verified, or (with ``question``) asks the district a
        question back."""
        report = _reviewable_or_404(report_id)
        if data.get("question"):
            ops.ask_question(report, api_user(), data["question"])
        else:
            ops.verify_report(report, api_user())
        return _with_files(report)
