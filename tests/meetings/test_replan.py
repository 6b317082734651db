"""Re-planning a published meeting after a change moves as little as possible, lists the people
affected, and the invitations follow."""

from __future__ import annotations

import html
import json
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from tests.meetings.conftest import START
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import planning, queries, signals
from tracker.meetings.models import (
    Invitation,
    Meeting,
    MeetingSession,
    MeetingStatus,
    SessionKind,
    SessionStatus,
)


def _saved(world):
    inp = planning.PlanInput(division_codes=["div_a", "div_b"], start=START, days=3, per_day=1,
                             pins={START: ["div_b"], date(2025, 9, 23): ["div_a"]}, window=(time(11), time(17)))
    context, plan = planning.make_plan(inp)
    assert plan.ok, plan.problems
    meeting = planning.save_plan(plan, context, {"title_en": "Review", "title_hi": "समीक्षा", "purpose": "review"})
    ops.publish_meeting(meeting)
    db.session.commit()
    return meeting


def _group_on(meeting, day):
    return next(s for s in meeting.sessions if s.kind == SessionKind.GROUP and queries.session_date(s) == day
                and s.status == SessionStatus.SCHEDULED)


def test_plan_from_meeting_round_trips(world):
    meeting = _saved(world)
    plan = planning.plan_from_meeting(meeting)
    assert [d.divisions for d in plan.days] == [["div_b"], ["div_a"]]
    assert {s.district for d in plan.days for s in d.one_to_ones} == {"a1", "a2", "b1"}
    inp = planning.input_from_meeting(meeting)
    assert inp.days == 3 and inp.per_day == 1 and inp.group_minutes == 120 and inp.one_to_one_minutes == 15


def test_replan_moves_only_the_division_whose_president_is_away(world):
    meeting = _saved(world)
    day_b = _group_on(meeting, START)
    b_sequence = day_b.sequence
    context, new, moves, affected = planning.replan_meeting(meeting, {world.pa1.id: {date(2025, 9, 23)}})
    assert new.ok, new.problems
    moved_divisions = {m.code for m in moves if m.kind == "division"}
    assert moved_divisions == {"div_a"}
    assert world.pa1.id in affected and world.pb1.id not in affected
    changed = []

    def receiver(sender, **kw):
        changed.append(sender)

    signals.session_changed.connect(receiver, weak=False)
    try:
        planning.apply_plan(meeting, new, context)
        db.session.commit()
    finally:
        signals.session_changed.disconnect(receiver)  # leave the app's own receivers connected
    assert day_b.sequence == b_sequence  # Beta's day did not move
    new_day = next(d.date for d in new.days if d.divisions == ["div_a"])
    alpha = _group_on(meeting, new_day)
    invited = {i.person_id for i in db.session.scalars(sa.select(Invitation).where(Invitation.session_id == alpha.id))}
    assert {world.pa1.id, world.pa2.id, world.ci.id} <= invited
    assert all(queries.session_date(s) == new_day for s in db.session.scalars(
        sa.select(MeetingSession).where(MeetingSession.district_unit_id.in_([world.a1.id, world.a2.id]),
                                        MeetingSession.status == SessionStatus.SCHEDULED)))
    assert changed  # the invitees of moved sessions are told
    assert queries.find_clashes(meeting.sessions) == []


def test_replan_page_previews_then_applies(world, office, client):
    meeting = _saved(world)
    unavailable = {"unavailable-0-person": f"#{world.pa1.id}", "unavailable-0-day": "2025-09-23"}
    preview = client.post(f"/meetings/{meeting.id}/replan", data={**unavailable, "action": "preview"},
                          headers={"Accept-Language": "en"})
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Alpha division: 23 September 2025" in body and "Praveen Saxena" in body
    assert _group_on(meeting, date(2025, 9, 23)) is not None  # nothing applied yet
    applied = client.post(f"/meetings/{meeting.id}/replan", data={**unavailable, "action": "apply"})
    assert applied.status_code == 302
    db.session.expire_all()
    days = {queries.session_date(s) for s in meeting.sessions
            if s.kind == SessionKind.GROUP and s.status == SessionStatus.SCHEDULED}
    assert date(2025, 9, 23) not in days and len(days) == 2


def test_replanning_an_unchanged_meeting_moves_nobody_not_even_the_chair(world):
    """The saved group sessions invite their chair; the planner counts the chair among the
    invitees too, so an unchanged meeting re-plans to itself."""
    meeting = _saved(world)
    assert all(s.chair_person_id == world.si.id for s in meeting.sessions if s.kind == SessionKind.GROUP)
    _context, new, moves, affected = planning.replan_meeting(meeting)
    assert new.ok, new.problems
    assert moves == [] and affected == set()


def test_a_meeting_saved_in_hindi_replans_in_english_with_nothing_moved(world, office, client):
    with force_locale("hi"):
        meeting = _saved(world)
    assert {s.room for s in meeting.sessions} == {"hall", "room_1"}  # codes, in no language
    with force_locale("en"):
        _context, _new, moves, affected = planning.replan_meeting(meeting)
    assert moves == [] and affected == set()
    page = client.post(f"/meetings/{meeting.id}/replan", data={"action": "preview"}, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Nothing needs to move." in page.get_data(as_text=True)


def test_a_replan_without_a_plan_flashes_why_and_changes_nothing(world, office, client):
    meeting = _saved(world)
    before = sorted((s.id, s.starts_at, s.status) for s in meeting.sessions)
    chair_away = {}
    for i, day in enumerate([date(2025, 9, 22), date(2025, 9, 23), date(2025, 9, 24)]):
        chair_away |= {f"unavailable-{i}-person": f"#{world.si.id}", f"unavailable-{i}-day": day.isoformat()}
    for action in ("preview", "apply"):
        response = client.post(f"/meetings/{meeting.id}/replan", data={**chair_away, "action": action},
                               headers={"Accept-Language": "en"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'class="flash flash-error"' in page and "Harish Chaudhary" in page
        assert "Nothing needs to move." not in page
    db.session.expire_all()
    assert sorted((s.id, s.starts_at, s.status) for s in meeting.sessions) == before


@pytest.mark.parametrize(("saved_in", "replanned_in"), [("hi", "en"), ("en", "hi")])
def test_a_meeting_planned_on_the_page_in_one_language_replans_in_the_other_with_nothing_moved(
        world, office, client, saved_in, replanned_in):
    """Issue 15: the office plans, saves and publishes on the planner's page in one language, then
    previews a re-plan with no change in the other: 0 moves, 0 people affected, the chair not among them."""
    from tests.meetings.test_plan_form import FORM, _plan_json

    saved = {"Accept-Language": saved_in}
    proposal = client.post("/meetings/plan", data={**FORM, "action": "plan"}, headers=saved).get_data(as_text=True)
    answer = client.post("/meetings/plan", headers=saved, data={
        **FORM, "action": "save", "plan_json": json.dumps(_plan_json(proposal)), "title_en": "Review",
        "title_hi": "समीक्षा"})
    assert answer.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting))
    assert client.post(f"/meetings/{meeting.id}/publish", data={"confirmed": "1"}, headers=saved).status_code == 302
    db.session.expire_all()
    assert meeting.status == MeetingStatus.PUBLISHED
    groups = [s for s in meeting.sessions if s.kind == SessionKind.GROUP]
    assert groups and all(s.chair_person_id == world.si.id for s in groups)

    with force_locale(replanned_in):
        _context, new, moves, affected = planning.replan_meeting(meeting)
    assert new.ok, new.problems
    assert moves == [] and affected == set() and world.si.id not in affected

    page = client.post(f"/meetings/{meeting.id}/replan", data={"action": "preview"},
                       headers={"Accept-Language": replanned_in})
    body = html.unescape(page.get_data(as_text=True))
    with force_locale(replanned_in):
        nothing, people_affected = gettext("Nothing needs to move."), gettext("People affected")
    assert page.status_code == 200 and nothing in body and people_affected not in body
    assert world.si.name_en not in body and world.si.name_hi not in body
