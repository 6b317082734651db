"""The minutes' world: the Bhopal division with four districts and their presidents, a published meeting on
22 September 2025 with one group session (two agenda items, a chair and the dais), its attendance (one
present, one represented, one excused, one absent), a standalone action item, and a confidential review
note (with an action item of its own) whose text must never reach the minutes; the clock on 23 September."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_invitation, make_meeting, make_person, make_session, make_user
from tests.worlds import make_region
from tracker.extensions import db

NOW = "2025-09-23T10:00:00+05:30"
SECRET = "गुप्त-टिप्पणी-XQ7 confidential-phrase-ZK42"
SECRET_ITEM = "Secret follow-up QW93"

DISTRICTS = [
    {"code": "bhopal_city", "name_en": "Bhopal City", "name_hi": "भोपाल शहर"},
    {"code": "raisen", "name_en": "Raisen", "name_hi": "रायसेन"},
    {"code": "rajgarh", "name_en": "Rajgarh", "name_hi": "राजगढ़"},
    {"code": "sehore", "name_en": "Sehore", "name_hi": "सीहोर"},
    {"code": "vidisha", "name_en": "Vidisha", "name_hi": "विदिशा"},
]
PRESIDENTS = [
    {"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "+919800000001"},
    {"name_en": "Raisen President", "name_hi": "रायसेन अध्यक्ष", "mobile": "+919800000002"},
    {"name_en": "Priyavrat Singh", "name_hi": "प्रियव्रत सिंह", "mobile": "+919800000003"},
    {"name_en": "Sehore President", "name_hi": "सीहोर अध्यक्ष", "mobile": "+919800000004"},
    {"name_en": "Vidisha President", "name_hi": "विदिशा अध्यक्ष", "mobile": "+919800000005"},
]


@dataclass
class MinutesWorld:
    region: object
    meeting: object
    session: object
    items: list
    chair: object
    office: object
    president: object  # Bhopal City's president's login (invited)
    outsider: object  # Vidisha's president's login (not invited)
    chair_login: object
    note: object


def add_invitees(session, region, count: int = 4) -> None:
    for district, president in list(zip(region.districts, region.presidents, strict=True))[:count]:
        make_invitation(session, president, "invitee", unit=district, commit=False)


def mark(session, person, status: str, represented_by=None) -> None:
    from tracker.attendance.models import Attendance, AttendanceStatus

    db.session.add(Attendance(session_id=session.id, person_id=person.id, status=AttendanceStatus(status),
                              represented_by_person_id=represented_by.id if represented_by else None,
                              marked_at=session.starts_at))


@pytest.fixture
def world(fixed_now) -> MinutesWorld:
    fixed_now(NOW)
    from tracker.meetings.models import AgendaItem
    from tracker.reviews.models import ActionItem, ReviewNote

    region = make_region(DISTRICTS, PRESIDENTS)
    meeting = make_meeting(title_en="District presidents' meeting", title_hi="जिला अध्यक्षों की बैठक",
                           starts_on=date(2025, 9, 22), ends_on=date(2025, 9, 22), status="published",
                           published_at=datetime(2025, 9, 1, tzinfo=UTC), venue="PCC office, Bhopal", commit=False)
    chair = make_person("Jitu Patwari", "जीतू पटवारी", mobile="+919800000010", commit=False)
    dais = make_person("Umang Singhar", "उमंग सिंघार", mobile="+919800000011", commit=False)
    session = make_session(meeting, starts_at=datetime(2025, 9, 22, 5, 30, tzinfo=UTC), minutes=180,
                           title_en="Organisation review", title_hi="संगठन समीक्षा", commit=False)
    db.session.flush()
    session.chair_person_id = chair.id
    make_invitation(session, chair, "chair", commit=False)
    make_invitation(session, dais, "dais", commit=False)
    add_invitees(session, region)
    items = [AgendaItem(session=session, position=1, title_en="Booth committees", title_hi="बूथ समितियाँ",
                        presenter_person_id=region.presidents[0].id),
             AgendaItem(session=session, position=2, title_en="Membership drive", title_hi="सदस्यता अभियान")]
    db.session.add_all(items)
    db.session.flush()
    mark(session, region.presidents[0], "present")
    mark(session, region.presidents[1], "represented", represented_by=dais)
    mark(session, region.presidents[2], "excused")
    # Sehore's president: not marked (absent)
    db.session.add(ActionItem(title="Form booth committees in every block", owner=region.presidents[0],
                              district_unit_id=region.districts[0].id, due_on=date(2025, 10, 15),
                              created_at=datetime(2025, 9, 22, 8, 0, tzinfo=UTC)))
    note = ReviewNote(district=region.districts[0], president=region.presidents[0], reviewed_on=date(2025, 9, 22),
                      challenges=SECRET, strategy=SECRET, decisions=SECRET, private_remark=SECRET, answers={})
    db.session.add(note)
    db.session.add(ActionItem(title=SECRET_ITEM, owner=region.presidents[0], review_note=note,
                              district_unit_id=region.districts[0].id, due_on=date(2025, 10, 1),
                              created_at=datetime(2025, 9, 22, 9, 0, tzinfo=UTC)))
    db.session.commit()
    office = make_user("office", "office1")
    president = make_user("president", "praveen", person=region.presidents[0])
    outsider = make_user("president", "vidisha", person=region.presidents[4])
    chair_login = make_user("incharge", "jitu", person=chair)
    return MinutesWorld(region, meeting, session, items, chair, office, president, outsider, chair_login, note)
