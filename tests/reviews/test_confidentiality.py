"""Acceptance 1: who reaches a review note, by every way there is.

Readers of a note: its reviewers, the organization in-charge, the state in-charge, admins, and office
staff with the ``reviews.read`` grant. Everyone else gets 404 for anything about one note (existence is
not revealed), 403 for pages their role may not open at all, and the login page when anonymous.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.reviews.conftest import SECRET, SECRET_REMARK
from tracker.audit.models import AuditEntry
from tracker.extensions import db

READERS = {"admin", "office_granted", "reviewer", "org", "state_incharge"}
WRITERS = {"admin", "reviewer"}
LISTERS = {"admin", "office", "office_granted", "reviewer", "org", "state_incharge", "unrelated"}
ROLES = ["admin", "office", "office_granted", "coordinator", "reviewer", "org", "state_incharge", "unrelated",
         "president", "other_president", None]

NOTE_URLS = {
    "page": "/reviews/notes/{id}",
    "versions": "/reviews/notes/{id}/versions",
    "version": "/reviews/notes/{id}/versions/1",
    "diff": "/reviews/notes/{id}/diff?from=1&to=2",
    "district_history": "/reviews/districts/{district}/history",
}


def _login(auth, role):
    if role is not None:
        auth.login(f"u_{role}")


def _assert_hidden(response, role):
    body = response.get_data(as_text=True)
    assert SECRET not in body and SECRET_REMARK not in body
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def _assert_missing(response, role):
    """Hidden, and to a logged-in user the note does not exist (404: its existence is not revealed)."""
    _assert_hidden(response, role)
    if role is not None:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("way", sorted(NOTE_URLS))
def test_note_urls(client, auth, world, signed_note, role, way):
    _login(auth, role)
    url = NOTE_URLS[way].format(id=signed_note.id, district=world.district.id)
    response = client.get(url)
    if role in READERS:
        assert response.status_code == 200
        if way in ("page", "district_history", "version"):
            assert SECRET in response.get_data(as_text=True)
    else:
        _assert_missing(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_guessed_ids_look_like_missing_notes(client, auth, world, signed_note, role):
    """A note that exists and one that does not answer the same to those who may not read."""
    _login(auth, role)
    existing = client.get(f"/reviews/notes/{signed_note.id}")
    missing = client.get(f"/reviews/notes/{signed_note.id + 1000}")
    if role in READERS:
        assert existing.status_code == 200 and missing.status_code == 404
    else:
        assert existing.status_code == missing.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("way", ["edit", "autosave", "sign_off", "new_item"])
def test_writing_needs_to_be_a_reviewer(client, auth, world, signed_note, role, way):
    _login(auth, role)
    if way == "edit":
        response = client.get(f"/reviews/notes/{signed_note.id}/edit")
    elif way == "new_item":
        response = client.get(f"/reviews/items/new?note={signed_note.id}")
    else:
        response = client.post(f"/reviews/notes/{signed_note.id}/{way.replace('_', '-')}", data={"challenges": "x"})
    if role in WRITERS:
        assert response.status_code in (200, 302, 409)
    else:
        _assert_missing(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_search(client, auth, world, signed_note, role):
    """Everyone who may list reviews sees that it happened; only readers find it by its words."""
    _login(auth, role)
    listing = client.get("/reviews/")
    search = client.get("/reviews/?q=secret-strategy-42")
    if role is None:
        _assert_hidden(listing, role)
        return
    if role not in LISTERS:
        assert listing.status_code == 403 and search.status_code == 403
        return
    body = listing.get_data(as_text=True)
    assert listing.status_code == 200 and ("Rajgarh" in body or "राजगढ़" in body)
    assert SECRET not in body
    found = search.get_data(as_text=True)
    assert SECRET not in found
    assert (f"/reviews/notes/{signed_note.id}" in found) == (role in READERS)
    assert (f"/reviews/notes/{signed_note.id}" in body) == (role in READERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/reviews/export.csv", "/reviews/campaigns/{campaign}/progress.csv",
                                 "/reviews/campaigns/{campaign}/progress"])
def test_exports_carry_no_content(client, auth, world, signed_note, role, url):
    _login(auth, role)
    response = client.get(url.format(campaign=world.campaign.id))
    _assert_hidden(response, role)
    if role in ("coordinator", "president", "other_president"):
        assert response.status_code == 403
    elif role is not None:
        assert response.status_code == 200


def test_audit_trail_holds_no_content(world, signed_note):
    """The note is audited (who signed off, new versions) but the words never reach the trail."""
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "review_notes")).all()
    assert {e.action for e in entries} >= {"create", "sign_off", "new_version"}
    dumped = repr([e.changes for e in entries])
    assert SECRET not in dumped and SECRET_REMARK not in dumped and "Factionalism" not in dumped


@pytest.mark.parametrize("role", ROLES)
def test_action_item_of_the_note(client, auth, world, signed_note, role):
    """The district president sees the item assigned to them and nothing else of the note."""
    item = signed_note.action_items[0]
    _login(auth, role)
    response = client.get(f"/reviews/items/{item.id}")
    body = response.get_data(as_text=True)
    _assert_hidden(response, role)
    visible = READERS | {"office", "president"}
    if role in visible:
        assert response.status_code == 200 and "Form booth committees" in body
        assert (f"/reviews/notes/{signed_note.id}" in body) == (role in READERS)
    elif role is not None:
        assert response.status_code == 404
    if role == "president":
        mine = client.get("/reviews/items/mine").get_data(as_text=True)
        assert "Form booth committees" in mine and SECRET not in mine
    if role in ("other_president", "coordinator", "unrelated"):
        district = client.get(f"/reviews/districts/{world.district.id}/items").get_data(as_text=True)
        assert "Form booth committees" not in district


def test_nav_entries_by_role(client, auth, world):
    auth.login("u_president")
    body = client.get("/reviews/items/mine").get_data(as_text=True)
    assert "/reviews/items/mine" in body and 'href="/reviews/"' not in body and "/reviews/items/overdue" not in body
    auth.logout()
    auth.login("u_office")
    body = client.get("/reviews/").get_data(as_text=True)
    assert 'href="/reviews/"' in body and "/reviews/items/overdue" in body and "/reviews/progress" in body


def test_the_read_grant_is_given_and_taken_by_the_cli(runner, client, auth, world, signed_note):
    assert runner.invoke(args=["reviews", "grant-read", "u_office"]).exit_code == 0
    auth.login("u_office")
    assert client.get(f"/reviews/notes/{signed_note.id}").status_code == 200
    assert runner.invoke(args=["reviews", "revoke-read", "u_office"]).exit_code == 0
    assert client.get(f"/reviews/notes/{signed_note.id}").status_code == 404
    assert runner.invoke(args=["reviews", "grant-read", "nobody"]).exit_code != 0
