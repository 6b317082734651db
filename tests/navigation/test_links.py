"""The registry of links and home panels (tracker/core/links.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_session, make_user
from tracker.auth.models import Role
from tracker.core import links


@pytest.fixture
def scratch_slot():
    yield "test.scratch"
    links._LINKS.pop("test.scratch", None)


def test_links_of_a_slot_follow_the_policy_and_the_condition(app, scratch_slot):
    session = make_session(make_meeting())
    links.register_link(scratch_slot, "Roster", "attendance.roster", "attendance.mark",
                        lambda s: {"session_id": s.id}, order=2)
    links.register_link(scratch_slot, "Report", "attendance_reports.session_report", "attendance.reports",
                        lambda s: {"session_id": s.id}, when=lambda s: s.id > 0, order=1)
    links.register_link(scratch_slot, "Never", "attendance.passes", "attendance.roster",
                        lambda s: {"session_id": s.id}, when=lambda s: False)
    coordinator, incharge, president = (make_user(role) for role in (Role.COORDINATOR, Role.INCHARGE,
                                                                      Role.PRESIDENT))
    with app.test_request_context():
        assert [link.label for link in links.links_for(scratch_slot, session, coordinator)] == ["Report", "Roster"]
        assert [link.label for link in links.links_for(scratch_slot, session, incharge)] == ["Report"]
        assert links.links_for(scratch_slot, session, president) == []
        assert links.links_for("no.such.slot", session, coordinator) == []
        assert links.links_for(scratch_slot, session, coordinator)[1].url == f"/attendance/sessions/{session.id}"


def test_registering_again_replaces(scratch_slot):
    for label in ("One", "Two"):
        links.register_link(scratch_slot, label, "attendance.roster", "attendance.mark", lambda s: {})
    assert [entry.label for entry in links.registered_slots()[scratch_slot]] == ["Two"]


def test_the_session_slot_is_filled_by_the_attendance_domain(app):
    endpoints = [entry.endpoint for entry in links.registered_slots()["meetings.session"]]
    assert endpoints == ["attendance.roster", "attendance.passes", "attendance_reports.session_report"]


def test_panels_are_shown_only_to_those_the_policy_allows(app):
    office, coordinator, incharge = (make_user(role) for role in (Role.OFFICE, Role.COORDINATOR, Role.INCHARGE))
    with app.test_request_context():
        def keys(user):
            return [p.key for p in links.panels_for(user)]

        assert keys(coordinator) == ["attendance-sessions"]
        assert "attendance-sessions" in keys(office)  # the office also keeps rosters; nothing else to attend to
        assert keys(incharge) == []  # no person in the directory: no slots
