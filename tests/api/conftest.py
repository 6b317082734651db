"""A small world for the API tests: two districts, their presidents, a published meeting with a
session, an attendance mark, a review note of each district with action items, and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_invitation, make_meeting, make_session, make_user
from tests.worlds import SEHORE, make_holder, make_region
from tracker.api import operations as token_ops
from tracker.extensions import db


@dataclass
class World:
    division: object
    district_a: object
    district_b: object
    president_a: object  # person
    president_b: object
    reviewer: object
    meeting: object
    session: object
    note_a: object
    note_b: object
    item_a: object
    item_b: object
    users: dict
    tokens: dict

    def headers(self, who: str, **extra) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}


def token_for(user, name: str = "test") -> str:
    _token, secret = token_ops.create_token(user, name)
    db.session.commit()
    return secret


def _note(district, president, reviewer, reviewed_on):
    from tracker.reviews.models import ReviewNote

    note = ReviewNote(district=district, president=president, reviewed_on=reviewed_on,
                      challenges="Booth committees incomplete", strategy="Visit every block",
                      private_remark="Confidential remark", answers={})
    note.reviewers = [reviewer]
    db.session.add(note)
    db.session.flush()
    return note


def _item(note, owner, title):
    from tracker.reviews.models import ActionItem

    item = ActionItem(title=title, owner=owner, review_note=note, district_unit_id=note.district_unit_id,
                      due_on=date(2025, 10, 15))
    db.session.add(item)
    db.session.flush()
    return item


@pytest.fixture
def world() -> World:
    region = make_region(
        [{"code": "bhopal_city", "name_en": "Bhopal City", "name_hi": "भोपाल शहर", "district_kind": "city"}, SEHORE],
        [{"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना"}, {"name_en": "Ramesh Verma", "name_hi": "रमेश वर्मा"}])
    division, (district_a, district_b), (president_a, president_b) = region.division, region.districts, region.presidents
    reviewer = make_holder(division, "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    meeting = make_meeting(starts_on=starts.date(), status="published", published_at=datetime.now(UTC))
    session = make_session(meeting, starts_at=starts, minutes=120)
    session.covered_units = [division]
    region.invite(session)
    make_invitation(session, reviewer, kind="reviewer", unit=division, commit=False)
    note_a = _note(district_a, president_a, reviewer, date(2025, 9, 22))
    note_b = _note(district_b, president_b, reviewer, date(2025, 9, 22))
    item_a = _item(note_a, president_a, "Form booth committees in ward 12")
    item_b = _item(note_b, president_b, "Find an office in Sehore")
    db.session.commit()
    users = {
        "admin": make_user("admin", "api_admin"),
        "office": make_user("office", "api_office"),
        "coordinator": make_user("coordinator", "api_coordinator"),
        "incharge": make_user("incharge", "api_incharge", person=reviewer),
        "president": make_user("president", "api_president", person=president_a),
        "president_b": make_user("president", "api_president_b", person=president_b),
    }
    tokens = {name: token_for(user) for name, user in users.items()}
    return World(division, district_a, district_b, president_a, president_b, reviewer, meeting, session,
                 note_a, note_b, item_a, item_b, users, tokens)


@pytest.fixture
def in_session(world, fixed_now):
    """The app's clock twenty minutes into the world's session: attendance can be marked (issue 13: marking
    opens two hours before a session and closes at the end of its day)."""
    return fixed_now(world.session.starts_at + timedelta(minutes=20))
