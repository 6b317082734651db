"""One date-and-time style per language (24-hour, no seconds), phone numbers in national format:
the formatting helpers, and the main pages rendered in Hindi and English."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.factories import make_user
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.i18n import DATETIME_STYLES, fmt_date, fmt_datetime, fmt_phone, fmt_time

SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
AM_PM = re.compile(r"(?<![\w/.-])(am|pm|a\.m\.|p\.m\.|पूर्वाह्न|अपराह्न)(?![\w/.-])", re.IGNORECASE)
TEXT_ONLY = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


def _visible_text(html: str) -> str:
    return TEXT_ONLY.sub(" ", html)


@pytest.mark.parametrize(("lang", "expected"), [
    ("hi", ("22 सितंबर 2025", "22 सितंबर 2025, 13:00", "13:00", "सोमवार, 22 सितंबर 2025", "सितंबर 2025")),
    ("en", ("22 September 2025", "22 September 2025, 13:00", "13:00", "Monday, 22 September 2025", "September 2025")),
])
def test_one_style_per_language_whatever_the_caller_asks(app, lang, expected):
    at = datetime(2025, 9, 22, 7, 30, 45)  # UTC; 13:00:45 in Bhopal
    with app.test_request_context(headers={"Accept-Language": lang}):
        assert fmt_date(at.date()) == expected[0]
        assert fmt_datetime(at) == expected[1]
        assert fmt_datetime(at.replace(tzinfo=UTC)) == expected[1]
        assert fmt_time(at) == expected[2]
        assert fmt_date(date(2025, 9, 22), "weekday") == expected[3]
        assert fmt_date(date(2025, 9, 1), "month") == expected[4]
        # Babel's names and older patterns all mean the house style: no seconds, no am/pm anywhere.
        for style in ("short", "medium", "long", "full", "HH:mm", "h:mm a"):
            assert fmt_time(at, style) == "13:00"
            assert not SECONDS.search(fmt_datetime(at, style)) and not AM_PM.search(fmt_datetime(at, style))
        assert fmt_date(at.date(), "medium") == fmt_date(at.date(), "d MMMM y") == expected[0]
        assert fmt_time(time(9, 5)) == "09:05"
        assert fmt_date(None) == fmt_time(None) == fmt_datetime(None) == ""


def test_the_style_is_defined_once_per_language():
    assert set(DATETIME_STYLES) == {"hi", "en"}
    for style in DATETIME_STYLES.values():
        assert style.time == "HH:mm"  # 24-hour, no seconds
        assert "s" not in style.time and "a" not in style.time


@pytest.mark.parametrize(("stored", "shown"), [
    ("+919425000001", "094250 00001"),
    ("+917552555555", "0755 255 5555"),  # a Bhopal landline
    ("+14155552671", "+1 415-555-2671"),
    ("not a number", "not a number"),
    (None, ""),
    ("", ""),
])
def test_phone_numbers_in_national_format(stored, shown):
    assert fmt_phone(stored) == shown


# --- the main pages --------------------------------------------------------------------------


@pytest.fixture
def pages_world(fixed_now):
    """A published meeting with a group session and a one-to-one (agenda, timetable, day sheet), and an
    open session with a late mark at hh:mm:45 (roster, person's page, report, pass)."""
    from tests.attendance.conftest import build_world
    from tests.meetings.conftest import START, World, group_data, new_meeting
    from tracker.attendance import operations as att_ops
    from tracker.meetings import operations as ops

    fixed_now("2025-09-20T10:00:00+05:30")
    world = World()
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.add_agenda_item(session, {"title_hi": "स्वागत", "minutes": 30})
    ops.add_session(meeting, {"kind": "one_to_one", "day": meeting.starts_on, "start": group_data(world)["end"],
                              "end": group_data(world, start=(13, 15))["start"], "district_unit_id": world.a1.id,
                              "reviewer_person_ids": [world.ci.id], "room": "कक्ष 1"})
    ops.publish_meeting(meeting)
    db.session.commit()

    open_world = build_world(n_people=3, prefix="F")
    late_at = open_world.session.starts_at + timedelta(minutes=5, seconds=45)
    att_ops.mark(open_world.session, open_world.people[0].id, att_ops.Mark("late", late_at=late_at), None)
    db.session.commit()
    invitation = open_world.invitations[0]
    return {
        "meeting": meeting.id, "day": START.isoformat(), "session": session.id,
        "open_session": open_world.session.id, "person": open_world.people[0].id,
        "invitation": invitation.id, "president": world.pa1.id,
    }


def _main_pages(ids) -> list[str]:
    return [
        "/home",
        "/meetings/",
        f"/meetings/{ids['meeting']}",
        f"/meetings/{ids['meeting']}/timetable",
        f"/meetings/{ids['meeting']}/days/{ids['day']}",
        f"/meetings/sessions/{ids['session']}",
        f"/agenda/{ids['president']}",
        "/attendance/",
        f"/attendance/sessions/{ids['open_session']}",
        f"/attendance/sessions/{ids['open_session']}/people/{ids['person']}",
        f"/attendance/invitations/{ids['invitation']}/pass",
        f"/attendance/reports/sessions/{ids['open_session']}",
        f"/attendance/reports/meetings/{ids['meeting']}",
        "/directory/people",
        f"/directory/people/{ids['president']}",
        "/reminders/",
    ]


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_main_pages_show_no_seconds_and_no_am_pm(client, auth, pages_world, lang):
    make_user(Role.ADMIN, "format_admin", locale=lang)
    auth.login("format_admin")
    checked = 0
    for url in _main_pages(pages_world):
        response = client.get(url)
        if response.status_code == 404 and url == "/reminders/":
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        text = _visible_text(response.get_data(as_text=True))
        assert not SECONDS.search(text), f"{url} shows seconds: {SECONDS.search(text).group(0)}"
        assert not AM_PM.search(text), f"{url} shows am/pm: {AM_PM.search(text).group(0)}"
        checked += 1
    assert checked >= 15


def test_phone_numbers_on_pages_are_national(client, auth, pages_world):
    from tracker.directory.models import Person

    person = db.session.get(Person, pages_world["president"])
    person.mobile = "+919425000001"
    db.session.commit()
    make_user(Role.ADMIN, "phone_admin", locale="hi")
    auth.login("phone_admin")
    for url in (f"/directory/people/{pages_world['president']}", "/directory/people",
                f"/meetings/sessions/{pages_world['session']}",
                f"/meetings/{pages_world['meeting']}/days/{pages_world['day']}"):
        html = client.get(url).get_data(as_text=True)
        assert "094250 00001" in html, url
        assert ">+919425000001<" not in html and " +919425000001 " not in _visible_text(html), url
