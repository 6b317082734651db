"""The meetings pages in Hindi show no English UI text, and dates in Hindi."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.i18n_support import english_leaks
from tests.meetings.conftest import group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops


@pytest.fixture
def meeting(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, what_to_bring_hi="संगठन की सूची",
                                                  what_to_bring_en="The list of office-bearers"))
    ops.add_agenda_item(session, {"title_hi": "स्वागत", "title_en": "Welcome", "minutes": 10})
    ops.add_session(meeting, {"kind": "one_to_one", "day": meeting.starts_on, "start": group_data(world)["end"],
                              "end": group_data(world, start=(13, 15))["start"], "district_unit_id": world.a1.id,
                              "reviewer_person_ids": [world.ci.id]})
    ops.publish_meeting(meeting)
    db.session.commit()
    return meeting


def _hindi(client):
    client.post("/locale", data={"locale": "hi"})


def test_office_pages_in_hindi(world, meeting, client, auth):
    make_user("office", "office_hi", locale="hi")
    auth.login("office_hi")
    _hindi(client)
    session = meeting.sessions[0]
    urls = ["/meetings/", f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/timetable",
            f"/meetings/{meeting.id}/invitations", f"/meetings/{meeting.id}/days/2025-09-22",
            f"/meetings/sessions/{session.id}", f"/meetings/sessions/{session.id}/edit",
            f"/meetings/{meeting.id}/edit", "/meetings/new", "/meetings/plan", f"/meetings/{meeting.id}/replan"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert english_leaks(body) == [], (url, english_leaks(body))
    assert "22 सितंबर 2025" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    proposed = client.post("/meetings/plan", data={
        "divisions": ["div_a", "div_b"], "start": "2025-09-25", "days": "2", "per_day": "1", "window_start": "11:00",
        "window_end": "17:00", "group_minutes": "120", "one_to_one_minutes": "15", "gap_minutes": "0",
        "one_to_ones": "same_day", "action": "plan"})
    body = proposed.get_data(as_text=True)
    assert english_leaks(body) == []
    assert "कक्ष 1" in body


def test_president_agenda_in_hindi(world, meeting, client, auth, clock):
    make_user("president", "pa1_hi", person=world.pa1, locale="hi")
    auth.login("pa1_hi")
    _hindi(client)
    body = client.get("/agenda").get_data(as_text=True)
    assert english_leaks(body) == []
    assert "संगठन की सूची" in body and "स्वागत" in body and "संजय दत्त" in body
    assert "22 सितंबर 2025" in body


def test_the_invited_message_names_the_person_in_the_users_language(world, meeting, client, auth):
    make_user("office", "office_hi", locale="hi")
    auth.login("office_hi")
    session = meeting.sessions[0]
    client.post(f"/meetings/sessions/{session.id}/invite", data={"person": f"#{world.guest.id}", "kind": "guest"})
    with client.session_transaction() as state:
        flashed = [message for _category, message in state["_flashes"]]
    assert any("अतिथि" in message for message in flashed), flashed
    assert not any("Guest Person" in message for message in flashed)


def test_a_calendar_feed_without_a_preferred_language_uses_the_configured_default(world, meeting, client, app,
                                                                                  monkeypatch):
    from tracker.meetings import calendar
    from tracker.meetings.models import Invitation

    invitation = db.session.scalars(db.select(Invitation).where(Invitation.session_id == meeting.sessions[0].id)).first()
    person = invitation.person
    person.preferred_locale = ""
    token = calendar.feed_token(calendar.rotate_feed(person))
    db.session.commit()
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "en")
    body = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert f"X-WR-CALNAME:{person.name_en}" in body and person.name_hi not in body
