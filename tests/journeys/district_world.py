"""The world of journeys 3 and 4 (district president, in-charge): a published two-day meeting with a group
session and a one-to-one slot of one district, its president and its in-charge, all in Hindi.

    world = make_district_world()     # commits; then serve_app(now=NOW)

The clock of both journeys is the meeting's first day, 09:30 in Madhya Pradesh: the group session is at
11:00, the district's one-to-one at 15:00 (its note may be written at any time by its reviewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.factories import make_invitation, make_meeting, make_session, make_user
from tests.worlds import RAJGARH, make_holder, make_region
from tracker.attendance import passcodes
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingSession

NOW = "2025-09-22T09:30:00+05:30"
PUBLISHED_AT = datetime(2025, 9, 15, 6, 0, tzinfo=UTC)
GROUP_AT = datetime(2025, 9, 22, 5, 30, tzinfo=UTC)  # 11:00 IST
ONE_TO_ONE_AT = datetime(2025, 9, 22, 9, 30, tzinfo=UTC)  # 15:00 IST


@dataclass
class DistrictWorld:
    meeting: Meeting
    group: MeetingSession
    slot: MeetingSession  # the district's one-to-one
    district: object
    president: object  # Person
    incharge: object  # Person
    president_user: object
    incharge_user: object
    slot_invitation: object  # the president's invitation to the one-to-one


def make_district_world() -> DistrictWorld:
    region = make_region([RAJGARH], [{"name_en": "Priyavrat Singh", "name_hi": "प्रियव्रत सिंह",
                                      "mobile": "+919425000001", "preferred_locale": "hi"}])
    division, district, president = region.division, region.districts[0], region.presidents[0]
    incharge = make_holder(division, "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त",
                           mobile="+919425000002", preferred_locale="hi")

    meeting = make_meeting(title_en="District presidents' meeting", title_hi="जिला अध्यक्षों की बैठक",
                           starts_on=date(2025, 9, 22), ends_on=date(2025, 9, 23), status="published",
                           published_at=PUBLISHED_AT, commit=False)
    group = make_session(meeting, starts_at=GROUP_AT, minutes=120, title_en="Group session of Bhopal",
                         title_hi="भोपाल संभाग का सामूहिक सत्र", commit=False)
    slot = make_session(meeting, starts_at=ONE_TO_ONE_AT, minutes=15, kind="one_to_one",
                        title_en="One-to-one: Rajgarh", title_hi="वन-टू-वन: राजगढ़",
                        district_unit_id=district.id, room="Room 2", commit=False)
    region.invite(group)
    make_invitation(group, incharge, "dais", unit=division, commit=False)
    (slot_invitation,) = region.invite(slot)
    make_invitation(slot, incharge, "reviewer", unit=district, commit=False)
    db.session.flush()
    # Publishing gives every pass its short code (the attendance domain's signal); the factories bypass it.
    passcodes.assign(inv.id for session in (group, slot) for inv in session.invitations)
    db.session.commit()
    president_user = make_user(Role.PRESIDENT, "adhyaksh", person=president, full_name="प्रियव्रत सिंह",
                               locale="hi")
    incharge_user = make_user(Role.INCHARGE, "prabhari", person=incharge, full_name="संजय दत्त", locale="hi")
    return DistrictWorld(meeting, group, slot, district, president, incharge, president_user, incharge_user,
                         slot_invitation)


def read(served, query):
    """Run ``query()`` on what the server wrote, and end the test's transaction at once (on SQLite an open
    transaction of the test holds the write lock and the server's next write would wait for it).
    ``query`` must return plain values, not ORM objects (they expire with the commit)."""
    served.sync()
    try:
        return query()
    finally:
        db.session.commit()
