"""The meetings' form pages (tracker/core/form_views.py) and the small forms posted from a session's
page: what is saved, what is flashed, where the browser goes, and what a refusal or an invalid form does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import make_user
from tests.meetings.conftest import START, group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings.models import AgendaItem, Invitation, Meeting


@pytest.fixture
def office(auth):
    make_user("office", "office_en", locale="en")
    auth.login("office_en")
    return auth


def _flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as state:
        return list(state.get("_flashes", []))


def _meeting_form(meeting: Meeting, **changes) -> dict:
    data = {"title_hi": meeting.title_hi, "title_en": meeting.title_en, "purpose": meeting.purpose.value,
            "campaign_id": "", "host_unit_id": "", "venue": meeting.venue or "",
            "starts_on": meeting.starts_on.isoformat(), "ends_on": meeting.ends_on.isoformat(), "description": ""}
    data.update(changes)
    return data


def test_a_new_meeting_is_saved_and_shown(world, office, client, clock):
    meeting = new_meeting()
    db.session.commit()
    response = client.post("/meetings/new", data=_meeting_form(meeting, title_en="Second meeting"))
    created = db.session.scalar(db.select(Meeting).where(Meeting.title_en == "Second meeting"))
    assert created is not None
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{created.id}"
    assert _flashes(client)[-1] == ("success", "The meeting was created as a draft.")


def test_a_refused_edit_shows_the_form_again_with_the_reason_flashed(world, office, client, clock):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world, day=START + timedelta(days=2)))
    db.session.commit()
    response = client.post(f"/meetings/{meeting.id}/edit",
                           data=_meeting_form(meeting, title_en="Renamed", ends_on=START.isoformat()))
    body = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again (the flashed reason on it), not a redirect
    assert 'name="title_en"' in body and "would fall outside the meeting&#39;s dates" in body
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title_en == "Review meeting"  # rolled back

    response = client.post(f"/meetings/{meeting.id}/edit", data=_meeting_form(meeting, title_en="Renamed"))
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{meeting.id}"
    assert _flashes(client)[-1] == ("success", "The meeting was saved.")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title_en == "Renamed"


@pytest.fixture
def draft_session(world):
    session = ops.add_session(new_meeting(), group_data(world))
    db.session.commit()
    return session


def _posted(client, url: str, data: dict, back: str) -> tuple[str, str]:
    """Post, check the browser goes back to ``back``, and return the message flashed last."""
    response = client.post(url, data=data)
    assert response.status_code == 302 and response.headers["Location"] == back
    return _flashes(client)[-1]


def test_an_agenda_item_posted_from_the_session_page(draft_session, office, client, clock):
    url, back = f"/meetings/sessions/{draft_session.id}/agenda", f"/meetings/sessions/{draft_session.id}#agenda"
    assert _posted(client, url, {"title_en": "Budget", "minutes": "0"}, back)[0] == "error"  # the form's errors
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 0
    assert _posted(client, url, {"title_en": "Budget", "minutes": "20"}, back) == ("success",
                                                                                 "The agenda item was added.")
    item = db.session.scalar(db.select(AgendaItem))
    assert item.title_en == "Budget" and item.minutes == 20
    edited = _posted(client, f"/meetings/agenda-items/{item.id}/edit", {"title_en": "Budget 2026", "minutes": "25"},
                     back)
    assert edited == ("success", "The agenda item was saved.")


def test_an_invitation_posted_from_the_session_page(world, draft_session, office, client, clock):
    url, back = f"/meetings/sessions/{draft_session.id}/invite", f"/meetings/sessions/{draft_session.id}#invitees"
    assert _posted(client, url, {"person": "", "kind": "guest"}, back)[0] == "error"
    assert _posted(client, url, {"person": str(world.guest.id), "kind": "guest"}, back)[0] == "success"
    assert db.session.scalar(db.select(Invitation).where(Invitation.session_id == draft_session.id,
                                                         Invitation.person_id == world.guest.id)) is not None


def test_other_users_may_not_post_them(world, draft_session, client, auth, clock):
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    for url, data in ((f"/meetings/sessions/{draft_session.id}/agenda", {"title_en": "x"}),
                      (f"/meetings/sessions/{draft_session.id}/invite", {"person": ""}),
                      ("/meetings/sessions/999999/agenda", {"title_en": "x"})):
        assert client.post(url, data=data).status_code == 403, url
