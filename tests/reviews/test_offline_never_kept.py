"""Issue 13: a phone keeps only the pages the server marks (tracker/core/offline.py); review notes, their
versions, the district's history and the list of notes are never marked, for any reader, on the day of
the one-to-one, while the same reader's own agenda is (the control: the mark works on this day)."""

from __future__ import annotations

import pytest

from tracker.core.offline import HEADER

NOTE_PAGES = ["/reviews/", "/reviews/notes/{id}", "/reviews/notes/{id}/versions", "/reviews/notes/{id}/versions/1",
              "/reviews/notes/{id}/diff?from=1&to=2", "/reviews/districts/{district}/history",
              "/reviews/notes/{id}/edit"]


@pytest.mark.parametrize("role", ["reviewer", "org", "admin", "office_granted", "state_incharge"])
def test_review_pages_are_never_kept_on_the_phone(client, auth, world, signed_note, fixed_now, role):
    fixed_now("2025-09-22T14:00:00+05:30")  # the day of the one-to-one
    auth.login(f"u_{role}")
    seen = 0
    for page in NOTE_PAGES:
        response = client.get(page.format(id=signed_note.id, district=world.district.id))
        if response.status_code == 200:
            seen += 1
        assert HEADER not in response.headers, page
        assert 'data-served="network"' not in response.get_data(as_text=True), page
        assert "data-service-worker" not in response.get_data(as_text=True), page  # no worker controls them
    assert seen >= 4  # the reader did read the note's pages


def test_the_reviewers_own_agenda_is_kept_on_the_same_day(client, auth, world, fixed_now):
    fixed_now("2025-09-22T14:00:00+05:30")
    auth.login("u_reviewer")
    response = client.get("/agenda")
    assert response.status_code == 200 and HEADER in response.headers
    body = response.get_data(as_text=True)
    assert 'data-served="network"' in body
    # the worker registered from the agenda controls the agenda's pages only
    assert 'data-service-worker="/sw.js?scope=agenda"' in body and 'data-service-worker-scope="/agenda"' in body
