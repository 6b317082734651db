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
from tracker.circulars.models import CircularRecipient
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
        """Answer a circular with a text or a number, as it asks (answering acknowledges it too)."""
        row = _own_or_404(circular_id)
        ops.answer(row, now_utc(), api_user().person_id, text=data.get("text"), number=data.get("number"))
        return _view(row, today_local())
