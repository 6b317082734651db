"""Review notes and action items, with the pages' confidentiality (the same policy and SQL clauses).

The list of notes says that reviews happened (for those who may know: ``review.list``); a note's
content is answered only to those who may read it (``review.read``), and to anyone else a note is
"not found" (its existence is not revealed by id). A district president sees none of it, only the
action items they own.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView

from tracker.api import schemas as s
from tracker.api.common import (
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
    MAX_ID,
    check_if_match,
    etag_of,
    in_date_range,
    page_of,
    paginate,
    where_equal,
    with_etag,
)
from tracker.api.framework import api_user, error_responses, guard, resource_blueprint
from tracker.api.problems import ApiError
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews import queries as review_queries
from tracker.reviews.models import OPEN_STATUSES, ActionItem, ReviewNote
from tracker.timeutil import today_local

reviews = resource_blueprint("Reviews", "Confidential notes of one-to-one reviews.")
action_items = resource_blueprint("ActionItems", "Follow-ups from reviews: owner, due date, status.")


def _in_unit(column, unit_id: int):
    """The district itself, or any district under the given division."""
    return column.in_(sa.select(Unit.id).where(sa.or_(Unit.id == unit_id, Unit.parent_id == unit_id)))


@reviews.route("/review-notes")
class ReviewNoteList(MethodView):
    @guard("review.list")
    @reviews.arguments(s.ReviewListArgs, location="query")
    @reviews.response(200, page_of(s.ReviewNoteSummarySchema))
    @reviews.doc(responses=error_responses(422))
    def get(self, args):
        """Which reviews happened (not their content): district, date, status, reviewers."""
        stmt = review_queries.notes_query(api_user(), review_queries.NoteFilters(
            status=args["status"].value if args.get("status") else None))
        if args.get("unit_id") is not None:
            stmt = stmt.where(_in_unit(ReviewNote.district_unit_id, args["unit_id"]))
        stmt = stmt.where(*in_date_range(ReviewNote.reviewed_on, args))
        return paginate(stmt, args)


@reviews.route("/review-notes/<int:note_id>")
class ReviewNoteItem(MethodView):
    @reviews.response(200, s.ReviewNoteSchema, headers=ETAG_HEADER)
    @reviews.doc(responses=error_responses())
    def get(self, note_id):
        """A note with its content: for its reviewers, the organization and state in-charges, admins."""
        if note_id > MAX_ID:
            raise ApiError(404)
        note = review_queries.note_or_404(note_id, api_user())
        return with_etag(note)


# --- action items --------------------------------------------------------------------------------


def _item_or_404(item_id: int, action: str, for_update: bool = False) -> ActionItem:
    if item_id > MAX_ID:
        raise ApiError(404)
    if for_update:
        db.session.scalar(sa.select(ActionItem.id).where(ActionItem.id == item_id).with_for_update())
    return review_queries.item_or_404(item_id, api_user(), action)


@action_items.route("/action-items")
class ActionItemList(MethodView):
    @action_items.arguments(s.ActionItemListArgs, location="query")
    @action_items.response(200, page_of(s.ActionItemSchema))
    @action_items.doc(responses=error_responses(422))
    def get(self, args):
        """Action items the user may see (a district president: their own), by due date.

        Filter by district (or division), owner, status, overdue, due-date range.
        """
        stmt = review_queries.items_query(api_user()).order_by(
            ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        if args.get("unit_id") is not None:
            stmt = stmt.where(_in_unit(ActionItem.district_unit_id, args["unit_id"]))
        stmt = where_equal(stmt, args, {"owner_person_id": ActionItem.owner_person_id, "status": ActionItem.status})
        if args.get("overdue"):
            stmt = stmt.where(ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on < today_local())
        stmt = stmt.where(*in_date_range(ActionItem.due_on, args))
        return paginate(stmt, args)


@action_items.route("/action-items/<int:item_id>")
class ActionItemItem(MethodView):
    @action_items.response(200, s.ActionItemSchema, headers=ETAG_HEADER)
    @action_items.doc(responses=error_responses())
    def get(self, item_id):
        """One action item."""
        return with_etag(_item_or_404(item_id, "action_item.view"))

    @guard(lambda item_id: _item_or_404(item_id, "action_item.update"))
    @action_items.arguments(s.ActionItemUpdateSchema)
    @action_items.response(200, s.ActionItemSchema, headers=ETAG_HEADER)
    @action_items.doc(parameters=[IF_MATCH_PARAMETER], responses=error_responses(409, 412, 422))
    def patch(self, data, item_id):
        """Change the status and/or add a progress note (its owner, the note's reviewers, office staff).

        Honours If-Match.
        """
        item = _item_or_404(item_id, "action_item.update", for_update=True)
        check_if_match(etag_of(item))
        ops.update_action_item(item, api_user(), data.get("status"), data.get("progress_note", ""))
        return with_etag(item)


