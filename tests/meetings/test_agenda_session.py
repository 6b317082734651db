"""One session of a person's agenda (/agenda/sessions/<id>): a district president reaches their
one-to-one slot by clicking its name on the agenda (issue 11, journey 3), and sees only their own."""

from __future__ import annotations

from tests.factories import make_user
from tests.meetings.conftest import group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops


def test_the_agenda_links_each_session_to_its_page(world, published, client, auth, clock):
    _meeting, session = published
    make_user("president", "pa1", person=world.pa1, locale="hi")
    auth.login("pa1")
    agenda = client.get("/agenda").get_data(as_text=True)
    assert f'href="/agenda/sessions/{session.id}"' in agenda

    response = client.get(f"/agenda/sessions/{session.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    label = ops.session_label(session)
    assert f"<h1>{label}</h1>" in body
    assert f"/meetings/sessions/{session.id}.ics" in body  # the calendar file
    assert "/attendance/invitations/" in body  # the pass
    assert "← मेरा एजेंडा" in body


def test_a_session_of_someone_else_is_not_shown(world, published, client, auth, clock):
    _meeting, session = published
    make_user("president", "pb1", person=world.pb1)  # division B: not invited to division A's session
    auth.login("pb1")
    assert client.get(f"/agenda/sessions/{session.id}").status_code == 404
    assert client.get(f"/agenda/{world.pa1.id}/sessions/{session.id}").status_code == 404  # as a missing person
    assert client.get("/agenda/sessions/999999").status_code == 404


def test_a_draft_meetings_session_is_not_on_the_agenda(world, client, auth, clock):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    db.session.commit()
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    assert client.get(f"/agenda/sessions/{session.id}").status_code == 404


def test_office_sees_a_session_of_anyones_agenda(world, published, client, auth, clock):
    _meeting, session = published
    make_user("office", "off")
    auth.login("off")
    response = client.get(f"/agenda/{world.pa1.id}/sessions/{session.id}")
    assert response.status_code == 200
    assert f'href="/agenda/{world.pa1.id}"' in response.get_data(as_text=True)
    assert f'href="/agenda/{world.pa1.id}/sessions/{session.id}"' in client.get(
        f"/agenda/{world.pa1.id}").get_data(as_text=True)


def test_anonymous_is_sent_to_login(published, client):
    _meeting, session = published
    response = client.get(f"/agenda/sessions/{session.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
