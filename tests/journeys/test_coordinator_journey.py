"""Journey 2 of issue 11: the coordinator, on a phone in Hindi, on the meeting's first day.

From /login (typed) then only by clicking and tapping: the home page leads to today's roster in one
click; the coordinator marks one person present, one late, one represented (the representative found
in the directory by typing, then refining the query) and one excused, checking the database after
each tap; reloads and sees the marks; checks in another invitee by typing the short code printed on
their pass. Acceptance 3: today's, a coming and a past session's rosters are each reached in at most
three clicks from the home page (the navigation leads back home between them).

Keyboard-only marking (focus kept on the row) is tested in tests/attendance/test_browser_keyboard.py;
this journey uses taps. Every page visited gets check_page (screenshot, required-on-hidden, axe-core).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_meeting, make_person, make_session, make_user
from tests.journeys.helpers import ClickCounter, check_page, htmx_ready, journey_page, login, shot
from tests.worlds import make_region, make_searchable
from tracker.attendance import passcodes
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import local_to_utc

pytestmark = pytest.mark.browser

NOW = "2025-09-22T10:00:00+05:30"  # the meeting's first day, 10:00 in Bhopal


def ist(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of ``hour:minute`` on ``day`` in the app's time zone (Asia/Kolkata), as UTC."""
    return local_to_utc(day, time(hour, minute))


# District presidents: (English, Hindi). The last has no Hindi name (shown in Latin letters).
PRESIDENTS = [("Pravin Saxena", "प्रवीण सक्सेना"), ("Anil Verma", "अनिल वर्मा"), ("Beena Rao", "बीना राव"),
              ("Harish Chaudhary", "हरीश चौधरी"), ("Joseph D'Souza", "")]
REPRESENTATIVES = [("Ramesh Verma", "रमेश वर्मा"), ("Ramesh Yadav", "रमेश यादव"), ("Ramesh Vyas", "रमेश व्यास")]


def _seed() -> dict:
    region = make_region([{"name_en": f"{en} district", "name_hi": f"{hi} जिला"}
                          for en, hi in (("Bhopal", "भोपाल"), ("Sehore", "सीहोर"), ("Raisen", "रायसेन"),
                                         ("Vidisha", "विदिशा"), ("Rajgarh", "राजगढ़"))],
                         [{"name_en": en, "name_hi": hi} for en, hi in PRESIDENTS],
                         divisions=[{"name_en": "Bhopal division", "name_hi": "भोपाल संभाग"}],
                         searchable=True)
    people = region.presidents
    reps = [make_searchable(make_person(name_en=en, name_hi=hi, commit=False)) for en, hi in REPRESENTATIVES]

    first_day = date(2025, 9, 22)
    meeting = make_meeting(title_en="District presidents' meeting", title_hi="जिला अध्यक्षों की बैठक",
                           starts_on=first_day, ends_on=date(2025, 9, 24), status="published",
                           published_at=ist(date(2025, 9, 10), 12), commit=False)
    today = make_session(meeting, starts_at=ist(first_day, 11), minutes=150, title_en="Bhopal division",
                         title_hi="भोपाल संभाग के जिला अध्यक्ष", room="सभागार", commit=False)
    coming = make_session(meeting, starts_at=ist(date(2025, 9, 23), 11), minutes=150, title_en="Campaign review",
                          title_hi="अभियान की समीक्षा", room="सभागार", commit=False)
    earlier = make_meeting(title_en="Training meeting", title_hi="प्रशिक्षण बैठक", starts_on=date(2025, 9, 8),
                           status="published", published_at=ist(date(2025, 9, 1), 12), commit=False)
    past = make_session(earlier, starts_at=ist(date(2025, 9, 8), 11), minutes=120, title_en="Training",
                        title_hi="संगठन सृजन प्रशिक्षण", room="कक्ष 2", commit=False)
    invited_today = region.invite(today)
    region.invite(coming)
    region.invite(past)
    db.session.commit()
    code = passcodes.assign([invited_today[4].id])[invited_today[4].id]
    make_user(Role.COORDINATOR, "coord", full_name="समन्वयक", locale="hi")
    db.session.commit()
    return {"people": [p.id for p in people], "names": [p.name_hi or p.name_en for p in people],
            "reps": [r.id for r in reps], "today": today.id, "coming": coming.id, "past": past.id,
            "code": code}


def _mark(person_id: int, session_id: int):
    """The stored mark of a person in a session (the server wrote it): (status, late_at, represented_by)."""
    db.session.expire_all()
    row = db.session.execute(
        sa.select(Attendance.status, Attendance.late_at, Attendance.represented_by_person_id)
        .where(Attendance.person_id == person_id, Attendance.session_id == session_id)).first()
    db.session.commit()  # end the read: an open SQLite transaction would keep the server from writing
    return row


def test_coordinator_marks_the_first_days_roster_on_a_phone_in_hindi(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    a, b, c, d, e = seed["people"]
    today, coming, past = seed["today"], seed["coming"], seed["past"]
    with force_locale("hi"):
        home_label, main_menu = _("Home"), _("Main menu")
        present, more, late = _("Present"), _("More"), _("Late")
        excused, represented = _("Excused (informed)"), _("Mark as represented")
        show_sessions, check_in = _("Show its sessions"), _("Check in")

    errors: list[str] = []
    with journey_page(browser, "coordinator-failed", phone=True, locale="hi") as page:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(served.url + "/login")
        assert page.locator("html").get_attribute("lang") == "hi"
        check_page(page, "coordinator-01-login")
        login(page, "coord", DEFAULT_PASSWORD)
        clicks = ClickCounter(page).start()
        check_page(page, "coordinator-02-home")
        nav = page.get_by_role("navigation", name=main_menu)
        # today's, the coming and the recent session are each one link away
        for title in ("भोपाल संभाग के जिला अध्यक्ष", "अभियान की समीक्षा", "संगठन सृजन प्रशिक्षण"):
            assert page.locator("main a.session-line").filter(has_text=title).count() == 1, title

        def go_home() -> None:
            """Back to the home page by the navigation (the menu may be folded on a phone)."""
            link = nav.get_by_role("link", name=home_label, exact=True)
            if not link.is_visible():
                nav.locator("details.site-menu > summary").click()  # the phone menu, then the entry
            link.click()
            page.wait_for_load_state()
            clicks.start()

        # --- acceptance 3: a coming session's roster, then a past one, each within three clicks ---------
        clicks.click(page.locator("main a.session-line").filter(has_text="अभियान की समीक्षा"))
        page.wait_for_url(f"**/attendance/sessions/{coming}")
        check_page(page, "coordinator-03-coming-roster")
        clicks.assert_at_most(3)

        go_home()
        # the past meeting through the finder: choose the meeting (a form field), show its sessions, open
        page.locator("main select[name=meeting]").select_option(label=page.locator(
            "main select[name=meeting] option", has_text="प्रशिक्षण बैठक").first.inner_text())
        clicks.click(page.get_by_role("button", name=show_sessions).first)
        check_page(page, "coordinator-04-past-meeting-sessions")
        clicks.click(page.locator("main a.session-line").filter(has_text="संगठन सृजन प्रशिक्षण"))
        page.wait_for_url(f"**/attendance/sessions/{past}")
        check_page(page, "coordinator-05-past-roster")
        clicks.assert_at_most(3)

        # --- today's roster: one click from the home page ------------------------------------------------
        go_home()
        clicks.click(page.locator("main a.session-line").filter(has_text="भोपाल संभाग के जिला अध्यक्ष"))
        page.wait_for_url(f"**/attendance/sessions/{today}")
        clicks.assert_at_most(1)
        check_page(page, "coordinator-06-today-roster")

        def row(pid):
            return page.locator(f"#att-{pid}")

        def saved(pid):
            row(pid).locator(".save-status.saved").wait_for()

        # present: one tap
        row(a).get_by_role("button", name=f"{present} — {seed['names'][0]}").tap()
        saved(a)
        assert _mark(a, today).status == AttendanceStatus.PRESENT
        check_page(page, "coordinator-07-present")

        # late: "More", then "Late" (the arrival time is prefilled with now)
        row(b).get_by_role("button", name=f"{more} — {seed['names'][1]}").tap()
        row(b).locator(f"#late-{b}").wait_for()
        htmx_ready(page, f"#late-btn-{b}")
        assert row(b).locator(f"#late-{b}").input_value() == "10:00"
        check_page(page, "coordinator-08-more-panel")
        row(b).get_by_role("button", name=f"{late} — {seed['names'][1]}").tap()
        saved(b)
        mark = _mark(b, today)
        assert mark.status == AttendanceStatus.LATE
        assert mark.late_at.replace(tzinfo=UTC) == datetime(2025, 9, 22, 4, 30, tzinfo=UTC)

        # represented: type part of the name, see three, refine, see one, choose it, mark
        row(c).get_by_role("button", name=f"{more} — {seed['names'][2]}").tap()
        search = row(c).locator(f"#rep-q-{c}")
        search.wait_for()
        htmx_ready(page, f"#rep-q-{c}")
        htmx_ready(page, f"#represented-{c}")
        search.tap()
        search.press_sequentially("रमेश", delay=60)
        choices = row(c).locator(f"#reps-{c} input[type=radio]")
        page.wait_for_function(f"() => document.querySelectorAll('#reps-{c} input[type=radio]').length === 3")
        check_page(page, "coordinator-09-representative-search")
        search.press_sequentially(" याद", delay=60)
        page.wait_for_function(f"() => document.querySelectorAll('#reps-{c} input[type=radio]').length === 1")
        assert choices.first.get_attribute("value") == str(seed["reps"][1])
        row(c).get_by_text("रमेश यादव").tap()
        assert choices.first.is_checked()
        check_page(page, "coordinator-10-representative-refined")
        row(c).get_by_role("button", name=f"{represented} — {seed['names'][2]}").tap()
        saved(c)
        mark = _mark(c, today)
        assert mark.status == AttendanceStatus.REPRESENTED and mark.represented_by_person_id == seed["reps"][1]
        assert "रमेश यादव" in row(c).inner_text()

        # excused
        row(d).get_by_role("button", name=f"{more} — {seed['names'][3]}").tap()
        row(d).locator(f"#excused-{d}").wait_for()
        htmx_ready(page, f"#excused-{d}")
        row(d).get_by_role("button", name=f"{excused} — {seed['names'][3]}").tap()
        saved(d)
        assert _mark(d, today).status == AttendanceStatus.EXCUSED
        check_page(page, "coordinator-11-four-marks")

        # reload: the marks are the server's, not the page's
        page.reload()
        assert "is-present" in row(a).get_attribute("class")
        assert "is-late" in row(b).get_attribute("class") and "10:00" in row(b).inner_text()
        assert "is-represented" in row(c).get_attribute("class") and "रमेश यादव" in row(c).inner_text()
        assert "is-excused" in row(d).get_attribute("class")
        assert "is-" not in (row(e).get_attribute("class") or "").replace("att-row", "")
        check_page(page, "coordinator-12-reloaded")
        # the screen a coordinator sees there (README: docs/screenshots/attendance-roster-phone.png)
        page.evaluate("""() => {
          const first = document.querySelector('.att-group');
          const counts = document.getElementById('roster-counts').getBoundingClientRect().height;
          window.scrollTo(0, first.getBoundingClientRect().top + window.scrollY - counts - 8);
        }""")
        shot(page, "coordinator-12b-roster-marks-screen", full_page=False)

        # check in the fifth by the short code on their pass, typed as a person would (small letters)
        assert _mark(e, today) is None
        page.locator("#scan-code").tap()
        page.locator("#scan-code").press_sequentially(passcodes.display(seed["code"]).lower(), delay=40)
        page.get_by_role("button", name=check_in, exact=True).tap()
        page.locator("#scan-result .is-ok").wait_for()
        assert _mark(e, today).status == AttendanceStatus.PRESENT
        # the row is swapped in beside the result; htmx sets its classes when it settles
        expect(row(e)).to_have_class(re.compile(r"\bis-present\b"))
        assert "Joseph D'Souza" in page.locator("#scan-result").inner_text()
        check_page(page, "coordinator-13-checked-in-by-code")

        # nothing was marked in the other sessions, and the page raised no script error
        served.sync()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)
                                 .where(Attendance.session_id != today)) == 0
        assert errors == []
