"""A district president's circulars, for a bot that answers "what do I have to do?": the open circulars
of the district the token's user presides over today, and the acknowledgement or answer to one (the
operations of tracker/circulars, under the same policy as the pages: ``circulars.mine`` and
``circular.respond``; a circular not sent to the user's district is "not found")."""

from __future__ import annotations

from flask.views import MethodView

from tracker import policy
from tracker.api import schemas as s
from tracker.api.common import MAX_ID
from tracker.api.framework import api_user, error_responses, guard, resource_blueprint
from tracker.api.problems import ApiError
from tracker.circulars import operations as ops
from tracker.circulars import queries
from tracker.circulars.models import AnswerKind, CircularRecipient
from tracker.i18n import _
from tracker.timeutil import now_utc, today_local

circulars = resource_blueprint("Circulars", "Circulars to the token user's district: read, acknowledge, answer.")


def _view(row: CircularRecipient, today) -> dict:
    circular = row.circular
    return {"id": circular.id, "title": circular.title, "body": circular.body, "answer_kind": circular.answer_kind,
            "due_on": circular.due_on, "overdue": row.is_overdue(today), "district_unit_id": row.district_unit_id,
            "state": row.state, "read_at": row.read_at, "acknowledged_at": row.acknowledged_at,
            "answered_at": row.answered_at, "answer_text": row.answer_text, "answer_number": row.answer_number}


def _own_or_404(circular_id: int) -> CircularRecipient:
    user = api_user()
    if not policy.can(user, "circulars.mine"):
        raise ApiError(403)
    row = queries.recipient_for(user, circular_id) if 0 < circular_id <= MAX_ID else None
    if row is None or not policy.can(user, "circular.respond", row):
        raise ApiError(404)
    return row


@circulars.route("/me/circulars")
class MyCirculars(MethodView):
    @guard("circulars.mine")
    @circulars.response(200, s.MyCircularsSchema)
    @circulars.doc(responses=error_responses())
    def get(self):
        """The open circulars of the district the token's user presides over, soonest due first."""
        today = today_local()
        return {"items": [_view(row, today) for row in queries.open_recipients(api_user())]}


@circulars.route("/me/circulars/<int:circular_id>/acknowledge")
class AcknowledgeCircular(MethodView):
    @guard(lambda circular_id: _own_or_404(circular_id))
    @circulars.arguments(s.CircularAcknowledgeSchema)
    @circulars.response(200, s.MyCircularSchema)
    @circulars.doc(responses=error_responses(422))
    def post(self, data, circular_id):
        """Acknowledge a circular (read it and will act); this completes one that asks for no more."""
        row = _own_or_404(circular_id)
        ops.acknowledge(row, now_utc(), api_user().person_id, note=data.get("note", ""))
        return _view(row, today_local())


@circulars.route("/me/circulars/<int:circular_id>/answer")
class AnswerCircular(MethodView):
    @guard(lambda circular_id: _own_or_404(circular_id))
    @circulars.arguments(s.CircularAnswerSchema)
    @circulars.response(200, s.MyCircularSchema)
    @circulars.doc(responses=error_responses(422))
    def post(self, data, circular_id):
        """Answer a circular with a text, a number or (``report_id``) a programme report of the district, as it
        asks (answering acknowledges it too). A circular that asks for a file: ``…/answer-file``."""
        row = _own_or_404(circular_id)
        if row.circular.answer_kind == AnswerKind.PROGRAMME_REPORT:
            ops.answer_with_report(row, now_utc(), api_user().person_id, data.get("report_id"))
        else:
            ops.answer(row, now_utc(), api_user().person_id, text=data.get("text"), number=data.get("number"))
        return _view(row, today_local())


@circulars.route("/me/circulars/<int:circular_id>/answer-file")
class AnswerCircularWithFile(MethodView):
    @guard(lambda circular_id: _own_or_404(circular_id))
    @circulars.arguments(s.CircularFileForm, location="files")
    @circulars.response(200, s.MyCircularSchema)
    @circulars.doc(responses=error_responses(422))
    def post(self, files, circular_id):
        """Answer a circular that asks for a file (``multipart/form-data``): a photo or a short video, checked
        and kept like every upload; it is then served at ``/api/v1/files/{key}`` to those who may see it."""
        row = _own_or_404(circular_id)
        upload = files["file"]
        try:
            ops.answer_with_file(row, now_utc(), api_user().person_id, upload.read(), upload.filename or "",
                                 api_user())
        except ops.CircularError as refused:
            if refused.field != "file" or refused.message == _("Choose the file to send."):
                raise
            raise ApiError(422, errors={"file": [_("A file was refused: %(reason)s", reason=refused.message)]}) \
                from None
        return _view(row, today_local())
