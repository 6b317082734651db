"""Acceptance 3: .ics files parse with icalendar, carry the right times and zone; moving a session
changes SEQUENCE and keeps UID. Private calendar feeds: a revoked link answers 404."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from tests.factories import make_user
from tests.meetings.conftest import START, at, group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import calendar
from tracker.meetings import operations as ops
from tracker.meetings.models import CalendarFeed

KOLKATA = ZoneInfo("Asia/Kolkata")


def _event(body: bytes) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def _published_session(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, title_en="Bhopal and Narmadapuram divisions"))
    ops.publish_meeting(meeting)
    db.session.commit()
    return session


def test_session_ics_has_zone_times_uid_and_sequence(world):
    session = _published_session(world)
    body = calendar.session_ics(session)
    cal = icalendar.Calendar.from_ical(body)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Kolkata"]
    event = _event(body)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2025, 9, 22, 11, 0, tzinfo=KOLKATA)
    assert end == datetime(2025, 9, 22, 13, 0, tzinfo=KOLKATA)
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Kolkata"
    assert str(event["UID"]) == f"session-{session.id}@tracker"
    assert int(event["SEQUENCE"]) == 0
    assert b"DTSTART;TZID=Asia/Kolkata:20250922T110000" in body


def test_moving_a_session_bumps_sequence_and_keeps_uid(world):
    session = _published_session(world)
    before = _event(calendar.session_ics(session))
    ops.move_session(session, at(START, 15), at(START, 17), room="Room 2")
    db.session.commit()
    after = _event(calendar.session_ics(session))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == datetime(2025, 9, 22, 15, 0, tzinfo=KOLKATA)
    assert "Room 2" in str(after["LOCATION"])
    ops.cancel_session(session)
    cancelled = _event(calendar.session_ics(session))
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2


def test_session_ics_download_for_an_invitee_and_refused_for_others(world, client, auth):
    session = _published_session(world)
    make_user("president", "pa1", person=world.pa1)
    make_user("president", "pb1", person=world.pb1)
    auth.login("pa1")
    response = client.get(f"/meetings/sessions/{session.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert str(_event(response.data)["UID"]) == f"session-{session.id}@tracker"
    auth.logout()
    auth.login("pb1")
    # A session one is not invited to answers as a missing one (issue 17).
    assert client.get(f"/meetings/sessions/{session.id}.ics").status_code == 404


def test_calendar_feed_lists_sessions_and_revoked_links_stop_working(world, client, auth, clock):
    session = _published_session(world)
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    assert client.post("/agenda/calendar", data={"next": "/agenda"}).status_code == 302
    feed = db.session.query(CalendarFeed).one()
    assert feed.token_hash and len(feed.token_hash) == 64
    token = calendar.feed_token(feed)
    assert token not in feed.token_hash
    page = client.get("/agenda").get_data(as_text=True)
    assert f"/calendar/{token}.ics" in page
    settings = client.get("/settings").get_data(as_text=True)
    assert f"/calendar/{token}.ics" in settings

    auth.logout()
    response = client.get(f"/calendar/{token}.ics")  # a phone calendar: no login
    assert response.status_code == 200
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")]
    assert uids == [f"session-{session.id}@tracker"]
    assert client.get("/calendar/forged-token.ics").status_code == 404

    auth.login("pa1")
    client.post("/agenda/calendar", data={"next": "/settings"})
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    new_feed = db.session.query(CalendarFeed).filter(CalendarFeed.revoked_at.is_(None)).one()
    assert client.get(f"/calendar/{calendar.feed_token(new_feed)}.ics").status_code == 200
