"""The registry of links, page panels and home panels (tracker/core/links.py)."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_login import login_user
from jinja2 import ChoiceLoader, DictLoader

from tests.factories import make_meeting, make_person, make_session, make_user
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


def test_page_panels_follow_the_policy_the_condition_and_their_context(app):
    """Panels render in order with the page's context, the target and their own; an action the viewer is
    not allowed, a condition that says no or a context of None leave a panel out."""
    slot = "test.page-panels"
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "test/_one.html": "[one {{ target }} {{ page_var }} {{ own }}]",
        "test/_two.html": "[two {{ target }}]",
        "test/_staff.html": "[staff]",
        "test/_never.html": "[never]",
        "test/_none.html": "[none]",
    }), loader])
    try:
        links.register_page_panel(slot, "test/_two.html", order=2)
        links.register_page_panel(slot, "test/_one.html", lambda t: {"own": t * 2}, order=1)
        links.register_page_panel(slot, "test/_staff.html", action="users.manage")
        links.register_page_panel(slot, "test/_never.html", when=lambda t: False)
        links.register_page_panel(slot, "test/_none.html", lambda t: None)
        for role, expected in ((Role.ADMIN, "[one 21 page 42][two 21][staff]"),
                               (Role.OFFICE, "[one 21 page 42][two 21]")):
            user = make_user(role)
            with app.test_request_context():
                login_user(user)
                assert render_template_string("{{ page_panels(slot, 21) }}", slot=slot, page_var="page") == expected
                assert render_template_string("{{ page_panels('no.such.slot', 21) }}") == ""
        links.register_page_panel(slot, "test/_one.html", lambda t: {"own": "again"}, order=1)  # replaces
        assert [p.template for p in links.registered_page_panels()[slot]].count("test/_one.html") == 1
    finally:
        app.jinja_env.loader = loader
        links._PAGE_PANELS.pop(slot, None)


def test_the_domains_fill_the_page_panel_slots(app):
    templates = {slot: [p.template for p in panels] for slot, panels in links.registered_page_panels().items()}
    assert templates["meetings.agenda_entry"] == ["attendance/_agenda_pass.html"]
    assert templates["directory.unit"] == ["flags/_unit.html", "reviews/_district_items.html"]
    assert templates["reviews.progress"] == ["flags/_progress.html"]
    assert templates["reviews.note"] == ["flags/_note.html", "reports/_note.html", "circulars/_note.html"]
    assert templates["directory.person.facts"] == ["auth/_person_login.html", "reminders/link/_person_links.html"]
    assert templates["auth.settings"] == ["meetings/_settings.html", "reminders/link/_settings.html", "api/_settings.html"]


def test_person_page_names_the_login_only_to_those_who_manage_logins(client, auth):
    person = make_person(name_en="Praveen Saxena")
    make_user(Role.PRESIDENT, "praveen", person=person)
    make_user(Role.ADMIN, "boss")
    make_user(Role.OFFICE, "clerk")
    for username, shown in (("boss", True), ("clerk", False)):
        auth.login(username)
        page = client.get(f"/directory/people/{person.id}").get_data(as_text=True)
        assert ("<code>praveen</code>" in page) is shown, username
        auth.logout()


def test_settings_page_has_the_calendar_and_the_token_sections(client, auth):
    make_user(Role.PRESIDENT, "praveen", person=make_person(name_en="Praveen Saxena"))
    auth.login("praveen")
    page = client.get("/settings").get_data(as_text=True)
    assert page.index('id="calendar"') < page.index('id="api-tokens"')


def test_panels_are_shown_only_to_those_the_policy_allows(app):
    office, coordinator, incharge = (make_user(role) for role in (Role.OFFICE, Role.COORDINATOR, Role.INCHARGE))
    with app.test_request_context():
        def keys(user):
            return [p.key for p in links.panels_for(user)]

        assert keys(coordinator) == ["attendance-sessions"]
        assert "attendance-sessions" in keys(office)  # the office also keeps rosters; nothing else to attend to
        assert keys(incharge) == ["reports-waiting"]  # no person in the directory: no slots; reports to review
