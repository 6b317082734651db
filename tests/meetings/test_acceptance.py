"""Acceptance 1: the reference scenario of the glossary, end to end on the demo directory."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from tests.meetings.conftest import REFERENCE_DIVISIONS, START, reference_input
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import planning, queries
from tracker.meetings.models import Invitation, Meeting, MeetingSession, SessionKind


def _save_reference_plan():
    context, plan = planning.make_plan(reference_input())
    assert plan.ok, plan.problems
    meeting = planning.save_plan(plan, context, {"title_en": "District presidents' meeting",
                                                 "title_hi": "जिला अध्यक्षों की 3 दिवसीय बैठक",
                                                 "venue": "Indira Bhawan, Bhopal", "purpose": "review"})
    db.session.commit()
    return context, plan, meeting


def test_reference_plan_covers_every_district_once_and_nobody_is_double_booked(demo):
    context, plan, meeting = _save_reference_plan()
    first = plan.days[0]
    assert first.date == START
    assert set(first.divisions) == {"bhopal_division", "narmadapuram_division"}
    assert [d.date for d in plan.days] == [date(2025, 9, 22), date(2025, 9, 23), date(2025, 9, 24)]
    assert all(len(d.divisions) == 2 for d in plan.days)

    divisions = [demo.division(name) for name in REFERENCE_DIVISIONS]
    districts = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT,
                                                         Unit.parent_id.in_([d.id for d in divisions]))).all()
    one_to_ones = [s for s in meeting.sessions if s.kind == SessionKind.ONE_TO_ONE]
    assert sorted(s.district_unit_id for s in one_to_ones) == sorted(d.id for d in districts)
    bhopal_districts = {d.id for d in districts if d.parent_id in (demo.division("bhopal").id,
                                                                   demo.division("narmadapuram").id)}
    assert {s.district_unit_id for s in one_to_ones if queries.session_date(s) == START} == bhopal_districts

    # Nobody is in two places at once, counting every invitee of every session.
    invitees = queries.effective_invitees(meeting.sessions)
    busy = defaultdict(list)
    for s in meeting.sessions:
        for inv in invitees[s.id]:
            busy[inv.person_id].append((s.starts_at, s.ends_at))
    for spans in busy.values():
        spans.sort()
        for (_a_start, a_end), (b_start, _b_end) in zip(spans, spans[1:], strict=False):
            assert b_start >= a_end
    assert queries.find_clashes(meeting.sessions) == []

    # Day one is chaired by the state in-charge and covers Bhopal and Narmadapuram.
    group = next(s for s in meeting.sessions if s.kind == SessionKind.GROUP and queries.session_date(s) == START)
    assert group.chair.name_en == "Harish Chaudhary"
    assert {u.code for u in group.covered_units} == {"bhopal_division", "narmadapuram_division"}
    assert group.title_en == "Bhopal and Narmadapuram divisions"
    praveen = demo.person("Praveen Saxena")
    assert praveen.id in {i.person_id for i in invitees[group.id]}


def test_hindi_agenda_of_bhopal_city_president_shows_the_date(demo, clock, client, auth):
    _context, _plan, meeting = _save_reference_plan()
    ops.publish_meeting(meeting)
    db.session.commit()
    demo.login(auth, "praveen", locale="hi")
    response = client.get("/agenda")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "22 सितंबर 2025" in html
    assert "भोपाल और नर्मदापुरम संभाग" in html  # the group session's Hindi title
    assert "हरीश चौधरी" in html  # chair, in Devanagari
    assert "संजय दत्त" in html  # his one-to-one reviewer
    assert "भोपाल शहर" in html


def test_ten_divisions_in_three_days_is_refused_with_a_reason(demo):
    all_ten = ["bhopal", "narmadapuram", "indore", "ujjain", "jabalpur", "sagar", "gwalior", "chambal", "rewa",
               "shahdol"]
    _context, plan = planning.make_plan(reference_input(division_codes=all_ten, pins={}))
    assert not plan.ok
    assert plan.problems[0].code == "too_many_divisions"
    assert "10" in planning.problem_message(plan.problems[0])


def test_cli_plans_saves_and_refuses(demo, runner):
    args = ["plan", "--divisions", ",".join(REFERENCE_DIVISIONS), "--start", "2025-09-22", "--days", "3",
            "--pin", "2025-09-22:bhopal,narmadapuram", "--format", "json"]
    result = runner.invoke(args=args + ["--save", "Reference meeting"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["problems"] == []
    assert data["days"][0]["date"] == "2025-09-22"
    assert sorted(data["days"][0]["divisions"]) == ["bhopal_division", "narmadapuram_division"]
    slot = next(s for d in data["days"] for s in d["one_to_ones"] if s["district"] == "bhopal_city")
    assert slot["president"] == demo.person("Praveen Saxena").id
    assert slot["reviewers"] == [demo.person("Sanjay Dutt").id]
    assert data["days"][0]["group_session"]["start"] == "2025-09-22T11:00"
    meeting = db.session.get(Meeting, data["meeting_id"])
    assert meeting.title_en == "Reference meeting"
    divisions = [demo.division(name).id for name in REFERENCE_DIVISIONS]
    districts = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id.in_(divisions)))
    assert sum(len(d["one_to_ones"]) for d in data["days"]) == districts
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSession)
                             .where(MeetingSession.meeting_id == meeting.id)) == 3 + districts

    refused = runner.invoke(args=["plan", "--divisions", "bhopal,narmadapuram,indore,ujjain,jabalpur,sagar,gwalior,"
                                  "chambal,rewa,shahdol", "--start", "2025-09-22", "--days", "3", "--format", "json"])
    assert refused.exit_code == 2
    assert json.loads(refused.output)["problems"][0]["code"] == "too_many_divisions"

    text = runner.invoke(args=["plan", "--divisions", "nowhere", "--start", "2025-09-22", "--days", "1"])
    assert text.exit_code == 2
    assert "nowhere" in text.output


def test_plan_page_refuses_ten_divisions_with_the_reason(demo, office, client):
    codes = [u.code for u in db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION))]
    response = client.post("/meetings/plan", data={
        "divisions": codes, "start": "2025-09-22", "days": "3", "per_day": "2", "window_start": "11:00",
        "window_end": "17:00", "group_minutes": "120", "one_to_one_minutes": "15", "gap_minutes": "0",
        "one_to_ones": "same_day", "action": "plan"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "10 divisions cannot be covered in 3 days" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
