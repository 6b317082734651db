"""The meetings pages through the app: forms, confirmations, timetable, day sheet, planning."""

from __future__ import annotations

import html
import json
import re
from datetime import time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.meetings.conftest import group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings.models import (
    AgendaItem,
    Invitation,
    Meeting,
    MeetingSession,
    MeetingStatus,
    SessionKind,
)

EN = {"Accept-Language": "en"}


def test_create_meeting_add_session_agenda_invite_and_publish(world, office, client):
    response = client.post("/meetings/new", data={
        "title_en": "Training of district presidents", "title_hi": "जिला अध्यक्षों का प्रशिक्षण",
        "purpose": "training", "venue": "State office", "starts_on": "2025-09-22", "ends_on": "2025-09-24",
        "description": ""})
    assert response.status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    response = client.post(f"/meetings/{meeting.id}/sessions/new", data={
        "kind": "group", "title_en": "Day one", "day": "2025-09-22", "start": "11:00", "end": "13:00",
        "room": "Hall", "covered_unit_ids": [str(world.div_a.id)], "chair": f"#{world.si.id}", "dais": "",
        "reviewers": "", "district_unit_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session = db.session.scalars(sa.select(MeetingSession)).one()
    assert session.chair_person_id == world.si.id
    client.post(f"/meetings/sessions/{session.id}/agenda", data={"title_en": "Welcome", "minutes": "10",
                                                                 "presenter": f"Harish Chaudhary (#{world.si.id})"})
    item = db.session.scalars(sa.select(AgendaItem)).one()
    assert item.presenter_person_id == world.si.id
    client.post(f"/meetings/sessions/{session.id}/invite", data={"person": f"#{world.guest.id}", "kind": "guest"})
    assert db.session.scalar(sa.select(Invitation.kind).where(Invitation.person_id == world.guest.id)) == "guest"
    page = client.get(f"/meetings/sessions/{session.id}", headers=EN).get_data(as_text=True)
    assert "Praveen Saxena" in page and "Welcome" in page and "Guest Person" in page
    # The meeting's date is past: publishing first says what will not be sent and waits for a yes.
    warned = client.post(f"/meetings/{meeting.id}/publish", headers=EN)
    assert warned.status_code == 200 and "Publish anyway" in warned.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DRAFT
    assert client.post(f"/meetings/{meeting.id}/publish", data={"confirmed": "1"}).status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED
    invitations = client.get(f"/meetings/{meeting.id}/invitations", headers=EN).get_data(as_text=True)
    assert "Anil Verma" in invitations
    response = client.post(f"/meetings/sessions/{session.id}/uninvite/{world.pa2.id}",
                           data={"next": f"/meetings/{meeting.id}/invitations"})
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/invitations")
    assert world.pa2.id not in {i.person_id for i in db.session.scalars(sa.select(Invitation))}


def test_clash_is_shown_to_the_office(world, office, client):
    first = new_meeting("First")
    ops.add_session(first, group_data(world))
    second = new_meeting("Second")
    db.session.commit()
    response = client.post(f"/meetings/{second.id}/sessions/new", headers=EN, data={
        "kind": "group", "day": "2025-09-22", "start": "12:00", "end": "14:00", "room": "Hall",
        "covered_unit_ids": [str(world.div_a.id)], "chair": "", "dais": "", "reviewers": "",
        "district_unit_id": ""}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Praveen Saxena is already invited to" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSession)) == 1


def test_timetable_day_sheet_and_list(world, office, client):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    ops.add_session(meeting, {"kind": "one_to_one", "day": meeting.starts_on, "start": time(13),
                              "end": time(13, 15), "district_unit_id": world.a1.id,
                              "reviewer_person_ids": [world.ci.id], "room": "Room 1"})
    db.session.commit()
    timetable = client.get(f"/meetings/{meeting.id}/timetable", headers=EN).get_data(as_text=True)
    assert "Sanjay Dutt" in timetable and "A One" in timetable and "13:00" in timetable
    sheet = client.get(f"/meetings/{meeting.id}/days/2025-09-22", headers=EN)
    assert sheet.status_code == 200 and "Praveen Saxena" in sheet.get_data(as_text=True)
    assert client.get(f"/meetings/{meeting.id}/days/2025-10-01").status_code == 404
    listing = client.get("/meetings/?status=draft", headers=EN).get_data(as_text=True)
    assert "Review meeting" in listing
    assert "Review meeting" not in client.get("/meetings/?status=published").get_data(as_text=True)


PLAN_FORM = {"divisions": ["div_a", "div_b"], "start": "2025-09-22", "days": "2", "per_day": "1",
             "pins-0-day": "2025-09-23", "pins-0-divisions": "div_a", "window_start": "11:00", "window_end": "17:00", "group_minutes": "120",
             "one_to_one_minutes": "15", "gap_minutes": "0", "one_to_ones": "same_day"}


NO_PIN = {"pins-0-day": "", "pins-0-divisions": []}


def _plan(client, **extra):
    data = dict(PLAN_FORM, **extra)
    return client.post("/meetings/plan", data=data, headers=EN)


def _plan_json(page: str) -> dict:
    return json.loads(html.unescape(re.search(r'name="plan_json" type="hidden" value="([^"]*)"', page).group(1)))


def test_plan_page_proposes_adjusts_and_saves(world, office, client):
    assert client.get("/meetings/plan").status_code == 200
    proposed = _plan(client, action="plan")
    assert proposed.status_code == 200
    plan = _plan_json(proposed.get_data(as_text=True))
    assert [d["divisions"] for d in plan["days"]] == [["div_b"], ["div_a"]]  # the pin holds
    moved = _plan(client, action="move", plan_json=json.dumps(plan), move_district="a1", move_time="15:00")
    plan = _plan_json(moved.get_data(as_text=True))
    slot = next(s for d in plan["days"] for s in d["one_to_ones"] if s["district"] == "a1")
    assert slot["start"] == "2025-09-23T15:00"
    # Swapping would break the pin: refused with the reason, the plan is kept.
    refused = _plan(client, action="swap", plan_json=json.dumps(plan), swap_a="2025-09-22", swap_b="2025-09-23")
    assert "pinned" in refused.get_data(as_text=True)
    saved = _plan(client, action="save", plan_json=json.dumps(plan), title_en="Two-day review", title_hi="")
    assert saved.status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    assert meeting.status == MeetingStatus.DRAFT and meeting.title_en == "Two-day review"
    kinds = sorted(s.kind.value for s in meeting.sessions)
    assert kinds == ["group", "group", "one_to_one", "one_to_one", "one_to_one"]
    a1 = next(s for s in meeting.sessions if s.kind == SessionKind.ONE_TO_ONE and s.district_unit_id == world.a1.id)
    assert a1.starts_at.astimezone(ZoneInfo("Asia/Kolkata")).hour == 15


def test_plan_page_swaps_days(world, office, client):
    proposed = _plan(client, action="plan", **NO_PIN)
    plan = _plan_json(proposed.get_data(as_text=True))
    first = plan["days"][0]["divisions"]
    swapped = _plan(client, action="swap", **NO_PIN, plan_json=json.dumps(plan), swap_a="2025-09-22",
                    swap_b="2025-09-23")
    assert _plan_json(swapped.get_data(as_text=True))["days"][1]["divisions"] == first


def test_a_successful_post_commits_once_and_a_refused_one_not_at_all(world, office, client):
    from sqlalchemy import event

    meeting = new_meeting()
    first = ops.add_session(meeting, group_data(world))
    second = ops.add_session(meeting, group_data(world, start=(14, 0), end=(15, 0)))
    db.session.commit()
    first_url, second_url = f"/meetings/sessions/{first.id}/cancel", f"/meetings/sessions/{second.id}/cancel"

    def commits_of(url: str) -> tuple[int, list]:
        commits = []

        def count(conn):
            commits.append(1)

        db.session.rollback()  # the test's own transaction is not counted (the client commits it first)
        event.listen(db.engine, "commit", count)
        try:
            return client.post(url).status_code, commits
        finally:
            event.remove(db.engine, "commit", count)

    assert commits_of(first_url) == (302, [1])
    ops.cancel_meeting(meeting)
    db.session.commit()
    assert commits_of(second_url) == (302, [])  # a cancelled meeting is not edited
    with client.session_transaction() as state:
        assert state["_flashes"][-1][0] == "error"
