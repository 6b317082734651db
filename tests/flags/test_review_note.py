"""Issue 19: the one-to-one review of a district shows its reports, its circulars' answers and its flags since
the last review, so that the in-charge prepares from facts; what came before the previous review is left out."""

from __future__ import annotations

from datetime import date, timedelta

from tests.circulars.conftest import world  # noqa: F401
from tracker.circulars import operations as circular_ops
from tracker.circulars.models import AnswerKind, RecipientScope
from tracker.extensions import db
from tracker.reports import operations as report_ops
from tracker.reports import queries as report_queries
from tracker.reviews import operations as review_ops
from tracker.timeutil import now_utc

TODAY = date(2026, 12, 1)


def test_the_review_note_shows_reports_answers_and_flags_since_the_last_review(client, auth, world):  # noqa: F811
    rajgarh = world.district("rajgarh")
    incharge = world.incharge
    report_ops.add_standard_kinds()
    kind = report_queries.kinds()[0]
    for held_on, place in ((TODAY - timedelta(days=70), "पुराना-स्थान-7070"), (TODAY - timedelta(days=10), "ब्यावरा")):
        report_ops.submit_report(world.office, rajgarh, report_ops.ReportData(kind.id, held_on, place, 85), [])
    draft = circular_ops.Draft("बूथ समितियों की संख्या", "कितनी बनीं?", AnswerKind.NUMBER, TODAY + timedelta(days=5),
                               RecipientScope.DISTRICTS, district_ids=(rajgarh.id,))
    circular = circular_ops.send_circular(incharge, draft, now_utc(), TODAY)
    circular_ops.answer(circular.recipients[0], now_utc(), None, number=37)
    earlier = review_ops.start_standalone_note(incharge, rajgarh, TODAY - timedelta(days=60), None, [])
    note = review_ops.start_standalone_note(incharge, rajgarh, TODAY, None, [])
    db.session.commit()
    assert earlier.id != note.id

    auth.login("sanjay")
    client.post("/locale", data={"locale": "hi"})
    page = client.get(f"/reviews/notes/{note.id}").get_data(as_text=True)
    assert "पिछली समीक्षा" in page  # "since the last review (date)"
    assert "ब्यावरा" in page and "85" in page
    assert "पुराना-स्थान-7070" not in page  # held before the previous review
    assert "बूथ समितियों की संख्या" in page and "37" in page
    assert "आज जिले पर लाल झंडे" in page
