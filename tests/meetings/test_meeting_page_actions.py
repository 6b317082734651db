"""The meeting page leads to its next step: a draft's Publish button is the solid, full-size one, and the
row of links between the meeting's pages marks the page shown (issue 11's office journey)."""

from __future__ import annotations

import re

from tests.meetings.conftest import group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops

EN = {"Accept-Language": "en"}


def _button(page: str, label: str) -> str:
    match = re.search(r'<button type="submit" class="([^"]*)">' + re.escape(label) + "</button>", page)
    assert match, f"no {label!r} button"
    return match.group(1)


def test_a_drafts_publish_button_is_the_pages_main_action(world, office, client):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}", headers=EN).get_data(as_text=True)
    assert _button(page, "Publish") == ""  # solid, normal size
    assert _button(page, "Cancel the meeting") == "danger"
    assert f'href="/meetings/{meeting.id}" aria-current="page">Meeting</a>' in page
    assert f'href="/meetings/{meeting.id}/timetable">Timetable</a>' in page

    timetable = client.get(f"/meetings/{meeting.id}/timetable", headers=EN).get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}/timetable" aria-current="page">Timetable</a>' in timetable
    assert f'href="/meetings/{meeting.id}">Meeting</a>' in timetable


def test_buttons_in_table_rows_stay_compact(world, office, client):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.add_agenda_item(session, {"title_en": "Welcome"})
    ops.add_agenda_item(session, {"title_en": "Thanks"})
    db.session.commit()
    page = client.get(f"/meetings/sessions/{session.id}", headers=EN).get_data(as_text=True)
    assert _button(page, "Down") == "outline small"
    assert _button(page, "Delete") == "danger small"
