"""Issue 13: the roll call. The coordinator, on a phone in Hindi, opens today's roster from the home page by
clicking, marks everyone of one division present with one tap (after confirming), and undoes it; the
database is read after each submit. The other division and a mark made before stay as they were."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_meeting, make_session, make_user
from tests.journeys.helpers import check_page, journey_page, login
from tests.worlds import make_region
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import local_to_utc

pytestmark = pytest.mark.browser

NOW = "2025-09-22T11:20:00+05:30"  # twenty minutes into the session: the roll is called
DAY = date(2025, 9, 22)


def _seed() -> dict:
    region = make_region(
        [{"name_en": f"{en} district", "name_hi": f"{hi} जिला", "division": i // 3}
         for i, (en, hi) in enumerate((("Bhopal", "भोपाल"), ("Sehore", "सीहोर"), ("Raisen", "रायसेन"),
                                       ("Hoshangabad", "होशंगाबाद"), ("Harda", "हरदा"), ("Betul", "बैतूल")))],
        [{"name_en": en, "name_hi": hi} for en, hi in (
            ("Pravin Saxena", "प्रवीण सक्सेना"), ("Anil Verma", "अनिल वर्मा"), ("Beena Rao", "बीना राव"),
            ("Harish Patel", "हरीश पटेल"), ("Kamla Devi", "कमला देवी"), ("Suresh Yadav", "सुरेश यादव"))],
        divisions=[{"name_en": "Bhopal division", "name_hi": "भोपाल संभाग"},
                   {"name_en": "Narmadapuram division", "name_hi": "नर्मदापुरम संभाग"}],
        searchable=True)
    meeting = make_meeting(title_en="District presidents' meeting", title_hi="जिला अध्यक्षों की बैठक",
                           starts_on=DAY, ends_on=DAY, status="published",
                           published_at=local_to_utc(date(2025, 9, 10), time(12)), commit=False)
    session = make_session(meeting, starts_at=local_to_utc(DAY, time(11)), minutes=150,
                           title_en="Bhopal and Narmadapuram divisions",
                           title_hi="भोपाल और नर्मदापुरम संभाग", room="सभागार", commit=False)
    region.invite(session)
    db.session.flush()
    # Beena Rao sent word that she cannot come: the roll call leaves her mark alone.
    db.session.add(Attendance(session_id=session.id, person_id=region.presidents[2].id,
                              status=AttendanceStatus.EXCUSED))
    make_user(Role.COORDINATOR, "coord", full_name="समन्वयक", locale="hi")
    db.session.commit()
    return {"session": session.id, "people": [p.id for p in region.presidents],
            "division": region.divisions[0].id}


def _statuses(session_id: int, people: list[int]) -> list:
    db.session.expire_all()
    found = dict(db.session.execute(sa.select(Attendance.person_id, Attendance.status)
                                    .where(Attendance.session_id == session_id)).all())
    db.session.commit()  # end the read: an open SQLite transaction would keep the server from writing
    return [found.get(p) for p in people]


def test_coordinator_marks_a_division_present_and_undoes_it_on_a_phone_in_hindi(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    session, people = seed["session"], seed["people"]
    P, E = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED
    with force_locale("hi"):
        roll_call, undo = _("Mark all of this division present"), _("Undo this roll call")
        back = _("Back to the roster")
    dialogs: list[str] = []
    errors: list[str] = []
    with journey_page(browser, "roll-call-failed", phone=True, locale="hi") as page:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        page.goto(served.url + "/login")
        login(page, "coord", DEFAULT_PASSWORD)
        check_page(page, "roll-call-01-home")
        page.locator("main a.session-line").filter(has_text="भोपाल और नर्मदापुरम संभाग").click()
        page.wait_for_url(f"**/attendance/sessions/{session}")
        assert page.locator("[data-window=open]").count() == 1
        check_page(page, "roll-call-02-roster")
        assert _statuses(session, people) == [None, None, E, None, None, None]

        # one tap for the whole Bhopal division, after the confirmation
        assert page.get_by_role("button", name=roll_call).count() == 2  # one per division
        bhopal = page.locator(f"form[action$='/divisions/{seed['division']}/present']").get_by_role(
            "button", name=roll_call)
        bhopal.tap()
        page.wait_for_url(f"**/attendance/sessions/{session}/divisions/{seed['division']}/present")
        assert dialogs and "भोपाल संभाग" in dialogs[0]
        assert page.locator("[data-roll-call-count]").get_attribute("data-roll-call-count") == "2"
        assert "भोपाल संभाग के 2 लोग उपस्थित दर्ज किए गए" in page.locator("main").inner_text()
        check_page(page, "roll-call-03-marked")
        assert _statuses(session, people) == [P, P, E, None, None, None]

        # a wrong tap: undo it, back on the roster
        page.get_by_role("button", name=undo).tap()
        page.wait_for_url(f"**/attendance/sessions/{session}*")
        assert "2 प्रविष्टियाँ पूर्ववत की गईं" in page.locator("main").inner_text()
        check_page(page, "roll-call-04-undone")
        assert _statuses(session, people) == [None, None, E, None, None, None]
        assert "is-present" not in (page.locator(f"#att-{people[0]}").get_attribute("class") or "")

        # the roll call again, then back to the roster, which shows the marks
        bhopal.tap()
        page.wait_for_url("**/present")
        assert _statuses(session, people) == [P, P, E, None, None, None]
        page.get_by_role("button", name=back).tap()
        page.wait_for_url(f"**/attendance/sessions/{session}")
        assert "is-present" in page.locator(f"#att-{people[0]}").get_attribute("class")
        check_page(page, "roll-call-05-roster-after")
        served.sync()
        assert errors == []
