"""Minutes of meetings, under the same policy as the pages: the minutes' PDF for those who may read them
(``minutes.view``: the office, and the invitees of approved minutes); anyone else's is "not found"."""

from __future__ import annotations

from flask.views import MethodView

from tracker import policy
from tracker.api.common import MAX_ID
from tracker.api.framework import api_user, pdf_responses, resource_blueprint
from tracker.api.problems import ApiError
from tracker.minutes import printables
from tracker.minutes import queries as q

minutes = resource_blueprint("Minutes", "Minutes of meetings (कार्यवृत्त): the approved record, as a PDF.")


@minutes.route("/minutes/<int:minutes_id>.pdf")
class MinutesPdf(MethodView):
    @minutes.doc(responses=pdf_responses())
    def get(self, minutes_id):
        """The minutes as a PDF on A4 (as the minutes page's "Download PDF"): the letterhead, the reference,
        the chair's signature block; named in the reader's language, e.g. ``कार्यवृत्त-MPCC-2025-001.pdf``.
        Those who may read the minutes; for anyone else they are not found (404)."""
        found = q.minutes_or_none(minutes_id) if 0 < minutes_id <= MAX_ID else None
        if found is None or not policy.can(api_user(), "minutes.view", found):
            raise ApiError(404)
        return printables.minutes_pdf(found)
