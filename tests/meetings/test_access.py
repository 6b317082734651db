"""Acceptance 5: a district president sees only their own agenda and invitations; only office staff
and admins edit meetings; anonymous visitors are sent to log in."""

from __future__ import annotations

from tests.factories import make_user


def test_president_sees_own_agenda_only(world, published, client, auth, clock):
    meeting, session = published
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    assert client.get("/agenda").status_code == 200
    assert client.get(f"/agenda/{world.pa1.id}").status_code == 200
    # Another district's president answers as a missing person (issue 17).
    assert client.get(f"/agenda/{world.pa2.id}").status_code == 404
    assert client.post(f"/agenda/{world.pa2.id}/calendar").status_code == 404
    for url in ("/meetings/", f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/timetable",
                f"/meetings/{meeting.id}/invitations", f"/meetings/sessions/{session.id}",
                f"/meetings/{meeting.id}/days/2025-09-22", "/meetings/plan", "/meetings/new"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 403


def test_coordinator_views_but_cannot_edit(world, published, client, auth):
    meeting, session = published
    make_user("coordinator", "coord")
    auth.login("coord")
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.get(f"/meetings/{meeting.id}/timetable").status_code == 200
    for url in ("/meetings/new", f"/meetings/{meeting.id}/edit", f"/meetings/sessions/{session.id}/edit",
                "/meetings/plan", f"/meetings/{meeting.id}/replan", f"/agenda/{world.pa1.id}"):
        assert client.get(url).status_code == 403, url
    for url in (f"/meetings/{meeting.id}/complete", f"/meetings/sessions/{session.id}/cancel",
                f"/meetings/sessions/{session.id}/invite", f"/meetings/sessions/{session.id}/uninvite/{world.pa1.id}"):
        assert client.post(url).status_code == 403, url
    body = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/edit" not in body


def test_office_and_admin_edit_and_see_anyones_agenda(world, published, client, auth, clock):
    meeting, _session = published
    for role in ("office", "admin"):
        make_user(role, f"{role}_x")
        auth.login(f"{role}_x")
        assert client.get(f"/meetings/{meeting.id}/edit").status_code == 200
        assert client.get(f"/agenda/{world.pa1.id}").status_code == 200
        auth.logout()


def test_anonymous_is_sent_to_login(published, client):
    meeting, _session = published
    for url in ("/agenda", f"/meetings/{meeting.id}", "/meetings/plan"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
