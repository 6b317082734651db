"""The History sections of the meeting and session pages speak the page's language (issue 11's office
journey found raw field names, enum values and ISO timestamps on a Hindi page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.meetings.conftest import group_data, new_meeting
from tracker.audit.queries import history
from tracker.extensions import db
from tracker.meetings import operations as ops

HI = {"Accept-Language": "hi"}


def _history_section(page: str) -> str:
    match = re.search(r'<section class="history".*?</section>', page, re.S)
    assert match, "no History section"
    return match.group(0)


def test_meeting_history_shows_labels_titles_and_dates_in_hindi(world, office, client):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    db.session.commit()

    section = _history_section(client.get(f"/meetings/{meeting.id}", headers=HI).get_data(as_text=True))
    with force_locale("hi"):
        wanted = [_("First date"), _("Last date"), _("Status"), _("Purpose"), _("Draft"), _("Published"),
                  _("Review"), _("Venue"), "22 सितंबर 2025"]
    for text in wanted:
        assert text in section, text
    for raw in ("starts_on", "published_at", "status", ">draft<", ">review<", "2025-09-22", "+00:00"):
        assert raw not in section, raw


def test_session_history_shows_kind_times_and_chair_in_hindi(world, office, client):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    db.session.commit()

    section = _history_section(client.get(f"/meetings/sessions/{session.id}", headers=HI).get_data(as_text=True))
    with force_locale("hi"):
        wanted = [_("Kind"), _("Group session"), _("Starts at"), _("Chair"), _("Scheduled"), world.si.name_hi,
                  "22 सितंबर 2025, 11:00"]
    for text in wanted:
        assert text in section, text
    for raw in ("chair_person_id", "starts_at", ">group<", ">scheduled<", "T05:30", "+00:00"):
        assert raw not in section, raw


@pytest.mark.usefixtures("world")
def test_history_shows_recorded_dates_times_and_booleans_in_the_house_style(app):
    from tracker.audit.fields import DATE, DATETIME, TEXT, TIME, YES_NO

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert DATE("2026-01-09") == "9 January 2026"
        assert TIME("13:30:00") == "13:30"
        assert DATETIME(datetime(2025, 9, 22, 5, 30, tzinfo=UTC).isoformat()) == "22 September 2025, 11:00"
        assert YES_NO(True) == "Yes" and YES_NO(False) == "No"
        assert DATE("2025-13-45") == "2025-13-45"  # not a date: as recorded
        assert TEXT("Hall 2") == "Hall 2"


def test_the_session_history_names_the_meeting_and_the_room(world, app):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        changes = {field: new for entry in history("meeting_sessions", session.id) for field, _old, new in entry.changes}
    assert changes["Meeting"] == meeting.title_en
    assert changes["Kind"] == "Group session"
