"""Issue 19, red flags: a circular left unanswered past its due date flags the district (with the number and the
oldest due date), on the office's home page and in the digest; answering it clears the reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.circulars.conftest import world  # noqa: F401
from tracker.circulars import operations as circular_ops
from tracker.circulars.models import AnswerKind, CircularRecipient, RecipientScope
from tracker.extensions import db
from tracker.flags import queries as q
from tracker.flags.models import FlagReason
from tracker.timeutil import now_utc

TODAY = date(2026, 12, 1)


@pytest.fixture
def overdue(world):  # noqa: F811
    """A circular to two Bhopal districts, due yesterday; neither has answered."""
    draft = circular_ops.Draft("सदस्यता की संख्या भेजें", "अपने जिले के नए सदस्य कितने हैं?", AnswerKind.NUMBER,
                               TODAY - timedelta(days=1), RecipientScope.DISTRICTS,
                               district_ids=(world.district("raisen").id, world.district("rajgarh").id))
    circular = circular_ops.send_circular(world.office, draft, now_utc() - timedelta(days=3), TODAY - timedelta(days=3))
    db.session.commit()
    return circular


def test_an_unanswered_overdue_circular_flags_the_district_and_an_answer_clears_it(world, overdue):  # noqa: F811
    found = q.flagged_districts(None, TODAY)
    assert {f.district.code for f in found.flags} == {"raisen", "rajgarh"}
    reason = next(r for r in found.flags[0].reasons if r.kind == FlagReason.CIRCULARS_OVERDUE)
    assert reason.count == 1 and reason.since == TODAY - timedelta(days=1)

    recipient = db.session.scalars(sa.select(CircularRecipient).where(
        CircularRecipient.district_unit_id == world.district("raisen").id)).one()
    circular_ops.answer(recipient, now_utc(), recipient.president_person_id, number=412)
    db.session.commit()
    assert {f.district.code for f in q.flagged_districts(None, TODAY).flags} == {"rajgarh"}


def test_the_office_home_page_shows_the_circulars_reason_in_hindi(client, auth, world, overdue):  # noqa: F811
    auth.login("karyalay")
    client.post("/locale", data={"locale": "hi"})
    home = client.get("/home").get_data(as_text=True)
    assert "लाल झंडे वाले जिले" in home and "रायसेन" in home
    assert "1 निर्देश नियत तिथि के बाद भी अनुत्तरित" in home
