"""GET /api/v1/me/agenda answers what "my agenda" shows; sessions and meetings follow the invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import make_invitation, make_meeting, make_session
from tracker.extensions import db
from tracker.meetings import queries as meeting_queries
from tracker.timeutil import to_local


def test_agenda_lists_the_presidents_upcoming_sessions(client, world):
    response = client.get("/api/v1/me/agenda", headers=world.headers("president"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["person_id"] == world.president_a.id
    [entry] = body["items"]
    assert entry["session"]["id"] == world.session.id
    assert entry["meeting"]["id"] == world.meeting.id
    # only their own invitation; who else comes is in companions
    assert [inv["person_id"] for inv in entry["session"]["invitations"]] == [world.president_a.id]
    expected = meeting_queries.agenda_for(world.president_a)
    assert [e.session.id for e in expected] == [item["session"]["id"] for item in body["items"]]
    assert {c["person_id"] for c in entry["companions"]} == {c.person_id for c in expected[0].companions}


def test_agenda_leaves_out_unpublished_and_past_meetings(client, world):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    draft = make_session(make_meeting(starts_on=soon.date(), status="draft"), starts_at=soon)
    make_invitation(draft, world.president_a)
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
    old = make_session(make_meeting(starts_on=past.date(), status="completed", published_at=past), starts_at=past)
    make_invitation(old, world.president_a)
    body = client.get("/api/v1/me/agenda", headers=world.headers("president")).get_json()
    assert [item["session"]["id"] for item in body["items"]] == [world.session.id]


def test_users_without_a_person_have_an_empty_agenda(client, world):
    body = client.get("/api/v1/me/agenda", headers=world.headers("admin")).get_json()
    assert body == {"person_id": None, "items": []}


def test_president_sees_only_sessions_and_meetings_they_are_invited_to(client, world):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=6)
    other = make_session(make_meeting(starts_on=soon.date(), status="published", published_at=soon), starts_at=soon)
    make_invitation(other, world.president_b)
    db.session.commit()
    sessions = client.get("/api/v1/sessions", headers=world.headers("president")).get_json()
    assert [s["id"] for s in sessions["items"]] == [world.session.id]
    assert client.get(f"/api/v1/sessions/{other.id}", headers=world.headers("president")).status_code == 404
    meetings = client.get("/api/v1/meetings", headers=world.headers("president")).get_json()
    assert [m["id"] for m in meetings["items"]] == [world.meeting.id]
    assert client.get(f"/api/v1/meetings/{other.meeting_id}", headers=world.headers("president")).status_code == 404
    # staff see every session, with every invitation
    all_sessions = client.get("/api/v1/sessions", headers=world.headers("office")).get_json()
    assert all_sessions["total"] == 2
    mine = next(s for s in all_sessions["items"] if s["id"] == world.session.id)
    assert len(mine["invitations"]) == 3


def test_session_filters(client, world):
    headers = world.headers("office")
    by_unit = client.get(f"/api/v1/sessions?unit_id={world.division.id}", headers=headers).get_json()
    assert [s["id"] for s in by_unit["items"]] == [world.session.id]
    day = to_local(world.session.starts_at).date().isoformat()  # dates are Asia/Kolkata dates
    assert client.get(f"/api/v1/sessions?from={day}&to={day}", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/sessions?to=2000-01-01", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/sessions?kind=one_to_one", headers=headers).get_json()["total"] == 0
