"""Issue 11 in the meetings domain, through the app: the plan form's division chooser and pickers,
breaks, the proposal agreeing with the draft, the publish warning, the day sheet's print button and
the calendar link page. (The same journey in a real browser: test_browser.py.)"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from tests.meetings.conftest import START, group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import planning, queries
from tracker.meetings.models import Meeting, MeetingStatus, SessionKind
from tracker.timeutil import to_local

EN = {"Accept-Language": "en"}

FORM = {"divisions": ["div_a", "div_b"], "start": "2025-09-22", "days": "2", "per_day": "1",
        "pins-0-day": "", "window_start": "11:00", "window_end": "17:00", "group_minutes": "120",
        "one_to_one_minutes": "15", "gap_minutes": "0", "one_to_ones": "same_day",
        "lunch_start": "13:30", "lunch_end": "14:15", "tea_start": "16:00", "tea_end": "16:15"}


def _post(client, **extra):
    return client.post("/meetings/plan", data={**FORM, **extra}, headers=EN)


def _plan_json(page: str) -> dict:
    return json.loads(html.unescape(re.search(r'name="plan_json" type="hidden" value="([^"]*)"', page).group(1)))


def _required_inputs(page: str) -> list[str]:
    """Every input/select/textarea that carries the HTML required attribute."""
    return [tag for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
            if re.search(r"\srequired(?:[\s=>/]|$)", tag)]


def _error_after(page: str, field_id: str) -> str:
    """The message the macro puts next to a field (``<small id="FIELD-error">``)."""
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</small>', page, re.S)
    return html.unescape(match.group(1).strip()) if match else ""


# --- nothing hidden blocks a submit ---------------------------------------------------------------


def test_no_meetings_form_carries_html_required(world, office, client):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    db.session.commit()
    proposal = _post(client, action="plan").get_data(as_text=True)
    assert 'name="plan_json"' in proposal
    pages = {
        "plan": client.get("/meetings/plan").get_data(as_text=True),
        "proposal": proposal,
        "new meeting": client.get("/meetings/new").get_data(as_text=True),
        "edit meeting": client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True),
        "new session": client.get(f"/meetings/{meeting.id}/sessions/new").get_data(as_text=True),
        "edit session": client.get(f"/meetings/sessions/{session.id}/edit").get_data(as_text=True),
        "session": client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True),
        "replan": client.get(f"/meetings/{meeting.id}/replan").get_data(as_text=True),
    }
    for name, page in pages.items():
        assert _required_inputs(page) == [], name
    assert '<form method="post" action="/meetings/plan" class="plan-form" novalidate>' in pages["proposal"]


def test_no_division_is_refused_with_the_message_next_to_the_chooser(world, office, client):
    response = _post(client, action="plan", divisions=[])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_after(page, "divisions") == "Choose at least one division."
    assert "<details open>" in page  # the chooser is shown, not hidden in a collapsed section
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_missing_required_value_is_reported_next_to_its_field(world, office, client):
    page = _post(client, action="plan", start="").get_data(as_text=True)
    assert _error_after(page, "start")


# --- pickers --------------------------------------------------------------------------------------


def test_pin_picker_pins_a_division_to_a_date(world, office, client):
    for day, first in (("2025-09-22", "div_b"), ("2025-09-23", "div_a")):
        page = _post(client, action="plan", **{"pins-0-day": day, "pins-0-divisions": ["div_b"]}).get_data(as_text=True)
        plan = _plan_json(page)
        assert plan["days"][0]["divisions"] == [first]
        assert {d["date"]: d["divisions"] for d in plan["days"]}[day] == ["div_b"]


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"pins-0-day": "2025-09-22"}, "pins-0-divisions", "Tick the divisions for this date."),
    ({"pins-0-divisions": ["div_a"]}, "pins-0-day", "Choose the date."),
    ({"pins-0-day": "2025-10-30", "pins-0-divisions": ["div_a"]}, "pins-0-day",
     "This date is not one of the meeting's days."),
    ({"pins-0-day": "2025-09-22", "pins-0-divisions": ["div_b"], "divisions": ["div_a"]}, "pins-0-divisions",
     "Not chosen above: Beta."),
    ({"unavailable-0-person": "Praveen Saxena"}, "unavailable-0-day", "Choose the date."),
    ({"unavailable-0-day": "2025-09-22"}, "unavailable-0-person", "Name the person."),
    ({"unavailable-0-person": "Nobody Known", "unavailable-0-day": "2025-09-22"}, "unavailable-0-person",
     "Nobody in the directory matches “Nobody Known”."),
    ({"lunch_end": ""}, "lunch_end", "Give both times of the break, or neither."),
    ({"tea_start": "16:30", "tea_end": "16:15"}, "tea_end", "A break must end after it starts."),
    ({"one_to_ones": "other_dates"}, "one_to_one_dates-0", "Choose the dates of the one-to-ones."),
])
def test_picker_rows_are_checked_on_the_server(world, office, client, row, field, message):
    response = _post(client, action="plan", **row)
    assert response.status_code == 422
    assert _error_after(response.get_data(as_text=True), field) == message


def test_add_row_buttons_add_an_empty_row_without_validating(world, office, client):
    for action, name in (("add_pin", "pins-1-day"), ("add_unavailable", "unavailable-1-person"),
                         ("add_one_to_one_date", "one_to_one_dates-1")):
        response = _post(client, action=action, divisions=[])
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f'name="{name}"' in page
        assert "field-errors" not in page  # nothing was validated yet
    kept = _post(client, action="add_pin", **{"pins-0-day": "2025-09-23", "pins-0-divisions": ["div_a"]})
    page = kept.get_data(as_text=True)
    assert 'name="pins-0-day" type="date" value="2025-09-23"' in page and 'name="pins-1-day"' in page


def test_add_row_needs_the_csrf_token(app, world, office, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _post(client, action="add_pin").status_code == 400


def test_unavailable_picker_keeps_the_person_free(world, office, client):
    plan = _plan_json(_post(client, action="plan", **{
        "unavailable-0-person": f"#{world.pa1.id}", "unavailable-0-day": "2025-09-22"}).get_data(as_text=True))
    assert {d["date"]: d["divisions"] for d in plan["days"]}["2025-09-23"] == ["div_a"]


def test_one_to_one_date_picker(world, office, client):
    plan = _plan_json(_post(client, action="plan", one_to_ones="other_dates",
                            **{"one_to_one_dates-0": "2025-09-25"}).get_data(as_text=True))
    assert {s["start"][:10] for d in plan["days"] for s in d["one_to_ones"]} == {"2025-09-25"}


# --- breaks ---------------------------------------------------------------------------------------


def _crosses(start: str, end: str, a: time, b: time) -> bool:
    s, e = time.fromisoformat(start[11:]), time.fromisoformat(end[11:])
    return s < b and a < e


def test_one_to_ones_pause_for_lunch_and_tea_by_default(world, office, client):
    page = client.get("/meetings/plan").get_data(as_text=True)
    assert 'name="lunch_start" type="time" value="13:30"' in page and 'value="14:15"' in page
    plan = _plan_json(_post(client, action="plan", one_to_one_minutes="20").get_data(as_text=True))
    slots = [s for d in plan["days"] for s in d["one_to_ones"]]
    assert slots and all(not _crosses(s["start"], s["end"], *planning.LUNCH) for s in slots)
    # 13:00-13:20 fits before lunch; the next one waits for the end of lunch.
    day_a = next(d for d in plan["days"] if d["divisions"] == ["div_a"])
    assert [s["start"][11:] for s in day_a["one_to_ones"]] == ["13:00", "14:15"]


def test_breaks_are_editable_and_removable(world, office, client):
    plan = _plan_json(_post(client, action="plan", one_to_one_minutes="20", lunch_start="", lunch_end="",
                            tea_start="", tea_end="").get_data(as_text=True))
    day_a = next(d for d in plan["days"] if d["divisions"] == ["div_a"])
    assert [s["start"][11:] for s in day_a["one_to_ones"]] == ["13:00", "13:20"]
    plan = _plan_json(_post(client, action="plan", one_to_one_minutes="20", lunch_start="13:00",
                            lunch_end="14:00").get_data(as_text=True))
    day_a = next(d for d in plan["days"] if d["divisions"] == ["div_a"])
    assert [s["start"][11:] for s in day_a["one_to_ones"]] == ["14:00", "14:20"]


def test_moving_a_slot_into_lunch_is_refused(world, office, client):
    plan = _plan_json(_post(client, action="plan").get_data(as_text=True))
    refused = _post(client, action="move", plan_json=json.dumps(plan), move_district="a1", move_time="13:45")
    assert "runs into the break 13:30–14:15" in refused.get_data(as_text=True)


def test_cli_break_option(world, runner):
    base = ["plan", "--divisions", "div_a,div_b", "--start", "2025-09-22", "--days", "2", "--per-day", "1",
            "--one-to-one-minutes", "20", "--format", "json"]

    def starts(*extra):
        result = runner.invoke(args=base + list(extra))
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        return [s["start"][11:] for d in data["days"] for s in d["one_to_ones"] if d["divisions"] == ["div_a"]]

    assert starts() == ["13:00", "14:15"]  # lunch 13:30-14:15 by default
    assert starts("--no-breaks") == ["13:00", "13:20"]
    assert starts("--break", "13:00-13:30", "--break", "13:50-14:00") == ["13:30", "14:00"]
    bad = runner.invoke(args=base + ["--break", "14:00-13:00"])
    assert bad.exit_code == 2 and json.loads(bad.output)["problems"][0]["code"] == "invalid_input"
    assert "14:00-13:00" in bad.output


def test_replan_keeps_the_default_breaks_only_where_the_timetable_left_them_free(world):
    from tracker.meetings.planner import GroupSession, Slot

    at = datetime(2025, 9, 22, 11, 0)
    group = GroupSession(at, at + timedelta(hours=2), "hall", [])
    free = Slot("a1", None, [], at + timedelta(hours=2), at + timedelta(hours=2, minutes=15), "room_1")
    through_lunch = Slot("a2", None, [], datetime(2025, 9, 22, 13, 30), datetime(2025, 9, 22, 13, 45), "room_1")
    assert planning._kept_breaks([group], [free]) == list(planning.DEFAULT_BREAKS)
    assert planning._kept_breaks([group], [free, through_lunch]) == [planning.TEA]


# --- the proposal agrees with the draft -----------------------------------------------------------


def test_proposal_counts_the_chair_like_the_draft(world, office, client):
    proposed = _post(client, action="plan").get_data(as_text=True)
    assert "Chair: <bdi>Harish Chaudhary</bdi>" in proposed
    shown = [int(n) for n in re.findall(r'<span class="invitee-count">(\d+) invitees?</span>', proposed)]
    plan = _plan_json(proposed)
    saved = _post(client, action="save", plan_json=json.dumps(plan), title_en="Review")
    assert saved.status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    groups = [v for v in queries.session_views(queries.meeting_sessions(meeting))
              if v.session.kind == SessionKind.GROUP]
    assert shown == [len(v.invitees) for v in groups]
    assert all(world.si.id in {p.id for _inv, p in v.invitees} for v in groups)
    page = client.get(f"/meetings/{meeting.id}", headers=EN).get_data(as_text=True)
    for count in shown:
        assert f'data-label="Invitees">{count}</td>' in page


def test_save_without_a_title_says_so_next_to_the_title(world, office, client):
    plan = _plan_json(_post(client, action="plan").get_data(as_text=True))
    page = _post(client, action="save", plan_json=json.dumps(plan)).get_data(as_text=True)
    assert _error_after(page, "title_hi") == "Give the meeting a title (in Hindi or English)."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_a_refused_save_shows_the_plan_again_with_why_and_saves_nothing(world, office, client):
    plan = _plan_json(_post(client, action="plan").get_data(as_text=True))
    assert _post(client, action="save", plan_json=json.dumps(plan), title_en="Review").status_code == 302
    again = _post(client, action="save", plan_json=json.dumps(plan), title_en="The same review again")
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "is already invited to" in html.unescape(page)  # everyone would be double-booked with the first save
    assert _plan_json(page) == plan  # the proposal is still there to adjust
    db.session.expire_all()
    assert db.session.scalars(sa.select(Meeting.title_en)).all() == ["Review"]


def test_planner_input_the_directory_refuses_is_a_422_that_says_why(world, office, client):
    refused = _post(client, action="plan", extra_people="999999")
    assert refused.status_code == 422
    assert "There is no person with the number 999999 in the directory." in html.unescape(
        refused.get_data(as_text=True))
    assert 'name="plan_json" type="hidden" value=""' in refused.get_data(as_text=True)  # no proposal


# --- publishing a meeting that is too near --------------------------------------------------------


def _draft(world) -> Meeting:
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))  # 22 September 2025, 11:00-13:00 in Bhopal
    db.session.commit()
    return meeting


@pytest.fixture
def now_is(fixed_now):
    """Fixes the whole app's clock (the NOW setting) at an aware datetime."""
    return fixed_now


def test_publishing_in_good_time_needs_no_extra_step(world, office, client, now_is):
    meeting = _draft(world)
    now_is(datetime(2025, 9, 10, 5, 0, tzinfo=UTC))
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED


def test_publishing_the_evening_before_warns_what_will_not_be_sent(world, office, client, now_is):
    meeting = _draft(world)
    now_is(datetime(2025, 9, 21, 14, 0, tzinfo=UTC))  # 19:30 the day before: 15.5 hours ahead
    response = client.post(f"/meetings/{meeting.id}/publish", headers=EN)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "No day-before reminder (the session starts in less than 24 hours)" in page
    assert "No same-day reminder" not in page
    assert "Invitations to 4 people" in page
    assert "Go back without publishing" in page and f'href="/meetings/{meeting.id}"' in page
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DRAFT  # going back leaves it a draft
    assert client.post(f"/meetings/{meeting.id}/publish", data={"confirmed": "1"}).status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED


def test_publishing_a_past_meeting_says_nothing_will_be_sent(world, office, client, now_is):
    meeting = _draft(world)
    now_is(datetime(2025, 10, 1, 5, 0, tzinfo=UTC))
    page = html.unescape(client.post(f"/meetings/{meeting.id}/publish", headers=EN).get_data(as_text=True))
    assert "1 session has already begun or is over" in page
    assert "Nothing: every session has already begun or is over." in page


def test_publish_notice_counts(world):
    meeting = _draft(world)
    start = to_local(meeting.sessions[0].starts_at)
    assert start.date() == START and start.hour == 11
    notice = queries.publish_notice(meeting, meeting.sessions[0].starts_at - timedelta(hours=1))
    assert notice.needs_confirmation and notice.no_day_before and notice.no_same_day and not notice.started
    assert not queries.publish_notice(meeting, meeting.sessions[0].starts_at - timedelta(days=2)).needs_confirmation


# --- day sheet and calendar link ------------------------------------------------------------------


def test_day_sheet_has_a_print_button(world, office, client):
    meeting = _draft(world)
    page = client.get(f"/meetings/{meeting.id}/days/{date(2025, 9, 22).isoformat()}", headers=EN).get_data(as_text=True)
    assert re.search(r'<button type="button" class="print-button" data-print hidden>Print the day sheet</button>', page)
    assert '/static/js/meetings.js' in page and "<script>" not in page


def test_calendar_link_page_mentions_the_old_link_only_when_there_was_one(world, client, auth):
    from tests.factories import make_user

    make_user("president", "pa1_user", person=world.pa1)
    auth.login("pa1_user")
    first = client.post("/agenda/calendar", data={"next": "/agenda"}, headers=EN, follow_redirects=True)
    page = html.unescape(first.get_data(as_text=True))
    assert "old one no longer works" not in page and "Your calendar link was made" in page
    link = re.search(r'id="calendar-feed-url" type="text" readonly value="([^"]+)"', page).group(1)
    assert link.startswith("http://") and link.endswith(".ics")
    assert f'href="webcal://{link.split("://", 1)[1]}"' in page
    assert 'data-copy-target="calendar-feed-url"' in page
    again = html.unescape(client.post("/agenda/calendar", data={"next": "/agenda"}, headers=EN,
                                      follow_redirects=True).get_data(as_text=True))
    assert "the old one no longer works" in again


def test_replan_page_adds_unavailability_rows(world, office, client):
    meeting = _draft(world)
    added = client.post(f"/meetings/{meeting.id}/replan", data={"action": "add_unavailable",
                                                                 "unavailable-0-person": f"#{world.pa1.id}"})
    page = added.get_data(as_text=True)
    assert added.status_code == 200 and 'name="unavailable-1-person"' in page and "autofocus" in page
    assert f'value="#{world.pa1.id}"' in page and "field-errors" not in page
    refused = client.post(f"/meetings/{meeting.id}/replan", data={"action": "preview",
                                                                   "unavailable-0-person": f"#{world.pa1.id}"},
                          headers=EN)
    assert _error_after(refused.get_data(as_text=True), "unavailable-0-day") == "Choose the date."


# --- what the planner page answers when something goes wrong --------------------------------------


def test_a_planner_bug_is_a_logged_500_not_a_silent_400(app, world, office, client, monkeypatch, caplog):
    from tracker.meetings import planner

    def broken(request):
        raise KeyError("a bug in the planner")

    monkeypatch.setattr(planner, "plan", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = _post(client, action="plan")
    assert response.status_code == 500
    assert any("/meetings/plan" in r.getMessage() and r.exc_info and r.exc_info[0] is KeyError
               for r in caplog.records)


def test_input_the_planner_cannot_read_is_a_400_that_says_why(world, office, client):
    unreadable = _post(client, action="move", plan_json="{not json", move_district="a1", move_time="16:00")
    assert unreadable.status_code == 400
    assert "The proposed timetable sent with the form could not be read" in unreadable.get_data(as_text=True)
    plan = _plan_json(_post(client, action="plan").get_data(as_text=True))
    # the form changed since the proposal: Beta is no longer chosen, but the proposal still has it
    stale = _post(client, action="move", plan_json=json.dumps(plan), divisions=["div_a"], move_district="a1",
                  move_time="16:00")
    assert stale.status_code == 400
    assert "The proposed timetable no longer matches the form (it has “div_b”, which is not chosen)" in (
        html.unescape(stale.get_data(as_text=True)))
