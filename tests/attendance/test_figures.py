"""Attendance figures people can trust (issue 13, acceptance 2): the marking window, paper sheets entered
later, rates over sessions held only, the venue code of self check-in, and the roll call of a division."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.attendance.conftest import build_world
from tests.factories import make_session
from tracker.attendance import reports
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.attendance.window import code_for, period_of
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import now_utc

HX = {"HX-Request": "true"}
NOW = "2026-03-10T11:02:30+05:30"


def _status(session, person):
    db.session.expire_all()
    return db.session.scalar(sa.select(Attendance.status).where(
        Attendance.session_id == session.id, Attendance.person_id == person.id))


def _english(client):
    client.post("/locale", data={"locale": "en"})


def _mark(client, world, person, status="present"):
    return client.post(f"/attendance/sessions/{world.session.id}/people/{person.id}/mark",
                       data={"status": status}, headers=HX)


# --- the marking window --------------------------------------------------------------------------


def test_a_mark_three_hours_before_the_session_is_refused_in_hindi_and_english(client, log_in_as, fixed_now):
    fixed_now(NOW)
    world = build_world(starts_in_minutes=180)
    log_in_as(Role.COORDINATOR)
    response = _mark(client, world, world.people[0])
    html = response.get_data(as_text=True)
    assert "सत्र होने से 2 घंटे पहले" in html, html  # Hindi first
    _english(client)
    html = _mark(client, world, world.people[0]).get_data(as_text=True)
    assert "Marking for this session opens at" in html and "2 hours before it starts" in html
    assert _status(world.session, world.people[0]) is None
    # The roster says when marking opens, and shows no buttons yet.
    roster = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert 'data-window="not_yet"' in roster and "Marking opens at" in roster
    assert "/mark" not in roster
    # Two hours before, marking opens.
    fixed_now("2026-03-10T12:03:00+05:30")
    assert _mark(client, world, world.people[0]).status_code == 200
    assert _status(world.session, world.people[0]) == AttendanceStatus.PRESENT


def test_after_the_sessions_day_only_a_paper_sheet_is_taken_recorded_as_entered_later(
        client, log_in_as, fixed_now, app):
    fixed_now(NOW)
    world = build_world()
    fixed_now("2026-03-11T00:00:01+05:30")  # the session's day has ended
    log_in_as(Role.COORDINATOR)
    _english(client)
    html = _mark(client, world, world.people[0]).get_data(as_text=True)
    assert "Marking for this session closed at" in html
    assert _status(world.session, world.people[0]) is None
    sheet = f"/attendance/sessions/{world.session.id}/paper-sheet"
    page = client.get(sheet).get_data(as_text=True)
    assert 'name="status-' in page and "required" in page
    # A coordinator must say why the sheet comes late.
    response = client.post(sheet, data={f"status-{world.people[0].id}": "present"}, follow_redirects=True)
    assert "Say why this paper sheet is entered" in response.get_data(as_text=True)
    assert _status(world.session, world.people[0]) is None
    response = client.post(sheet, data={f"status-{world.people[0].id}": "present",
                                        f"status-{world.people[1].id}": "absent",
                                        f"status-{world.people[2].id}": "",
                                        "reason": "Network was down in the hall"}, follow_redirects=True)
    assert "2 marks recorded as entered later" in response.get_data(as_text=True)
    rows = db.session.execute(sa.select(Attendance.person_id, Attendance.status, Attendance.entered_later,
                                        Attendance.late_entry_reason).order_by(Attendance.person_id)).all()
    assert rows == [(world.people[0].id, AttendanceStatus.PRESENT, True, "Network was down in the hall"),
                    (world.people[1].id, AttendanceStatus.ABSENT, True, "Network was down in the hall")]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "attendance")).first()
    assert entry.changes["entered_later"] == [None, True]
    # The office may enter a sheet without a reason.
    log_in_as(Role.OFFICE)
    client.post(sheet, data={f"status-{world.people[3].id}": "excused"})
    assert _status(world.session, world.people[3]) == AttendanceStatus.EXCUSED


def test_the_window_closes_at_the_end_of_the_sessions_day_said_so(client, log_in_as, fixed_now):
    """Marking closes at midnight after the session's day: said as "until the end of 10 March", not as
    "until 11 March 00:00" (a day the session is not on), in Hindi and English, open and closed."""
    fixed_now(NOW)
    world = build_world()
    log_in_as(Role.COORDINATOR)
    roster_url = f"/attendance/sessions/{world.session.id}"
    roster = client.get(roster_url).get_data(as_text=True)
    assert "उपस्थिति 10 मार्च 2026 का दिन समाप्त होने तक दर्ज की जा सकती है।" in roster
    assert "11 मार्च" not in roster and "00:00" not in roster
    _english(client)
    roster = client.get(roster_url).get_data(as_text=True)
    assert "Marking is open until the end of 10 March 2026." in roster
    assert "11 March" not in roster and "00:00" not in roster
    fixed_now("2026-03-11T00:00:01+05:30")  # the session's day has ended
    roster = client.get(roster_url).get_data(as_text=True)
    assert 'data-window="closed"' in roster and "Marking closed at the end of 10 March 2026, the session" in roster
    refusal = _mark(client, world, world.people[0]).get_data(as_text=True)
    assert "Marking for this session closed at the end of 10 March 2026" in refusal
    assert "11 March" not in roster + refusal and "00:00" not in roster + refusal


def test_a_paper_sheet_waits_for_the_window_to_close(client, log_in_as, world):
    log_in_as(Role.OFFICE)
    _english(client)
    sheet = f"/attendance/sessions/{world.session.id}/paper-sheet"
    assert "mark on the roster" in client.get(sheet).get_data(as_text=True)
    response = client.post(sheet, data={f"status-{world.people[0].id}": "present"}, follow_redirects=True)
    assert "still open" in response.get_data(as_text=True)
    assert _status(world.session, world.people[0]) is None


# --- rates count sessions held only --------------------------------------------------------------


def test_a_persons_rate_counts_only_sessions_that_have_happened(app, client, log_in_as, world):
    person = world.people[0]
    earlier = make_session(world.session.meeting, starts_at=world.session.starts_at - timedelta(days=1))
    coming = make_session(world.session.meeting, starts_at=world.session.starts_at + timedelta(days=2))
    build_world(n_people=1, session=earlier, prefix="E ")
    build_world(n_people=1, session=coming, prefix="C ")
    from tracker.meetings.models import Invitation

    db.session.add_all([Invitation(session_id=earlier.id, person_id=person.id, kind="invitee"),
                        Invitation(session_id=coming.id, person_id=person.id, kind="invitee")])
    db.session.add(Attendance(session_id=world.session.id, person_id=person.id, status=AttendanceStatus.PRESENT))
    db.session.commit()
    with app.test_request_context():
        report = reports.person_report(person)
    assert len(report.rows) == 3  # the coming session is listed …
    assert "2 बार आमंत्रित, 1 बार उपस्थित (50%)" in report.subtitle  # … but neither invited nor missed yet
    log_in_as(Role.OFFICE)
    _english(client)
    html = client.get(f"/attendance/reports/people/{person.id}").get_data(as_text=True)
    assert "Invited 2 times, attended 1 (50%)" in html and "Not held yet" in html


# --- the venue code ------------------------------------------------------------------------------


def test_self_check_in_needs_the_venue_code_of_this_or_the_previous_period(app, client, log_in_as, fixed_now):
    fixed_now(NOW)
    world = build_world()
    world.session.self_checkin_enabled = True
    world.session.meeting.published_at = now_utc()
    db.session.commit()
    president = world.people[0]
    invitation = world.invitations[0]
    url = f"/attendance/invitations/{invitation.id}/checkin"
    with app.app_context():
        period = period_of()
        codes = {age: code_for(world.session.id, period - age) for age in (0, 1, 2)}
    log_in_as(Role.PRESIDENT, person=president)
    _english(client)
    # The agenda asks for the code.
    assert 'name="venue_code"' in client.get("/", follow_redirects=True).get_data(as_text=True)
    refused = client.post(url, data={"venue_code": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Type the venue code shown on the screen" in refused
    old = client.post(url, data={"venue_code": codes[2]}, follow_redirects=True).get_data(as_text=True)
    assert "not the one on the screen now" in old
    assert _status(world.session, president) is None
    # The previous period's code is still taken (typed with a space, as the screen shows it).
    client.post(url, data={"venue_code": f"{codes[1][:3]} {codes[1][3:]}"})
    assert _status(world.session, president) == AttendanceStatus.PRESENT


def test_the_screen_shows_the_current_code_to_whoever_runs_the_hall_only(app, client, log_in_as, world):
    screen = f"/attendance/sessions/{world.session.id}/venue-code"
    log_in_as(Role.COORDINATOR)
    response = client.get(screen)
    with app.app_context():
        code = code_for(world.session.id, period_of())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"{code[:3]} {code[3:]}" in html and 'http-equiv="refresh"' in html
    world.session.meeting.published_at = now_utc()  # the president may see the session …
    db.session.commit()
    log_in_as(Role.PRESIDENT, person=world.people[0])
    assert client.get(f"/meetings/sessions/{world.session.id}").status_code != 404
    assert client.get(screen).status_code == 403  # … but not open the hall's screen or enter a sheet
    assert client.get(f"/attendance/sessions/{world.session.id}/paper-sheet").status_code == 403
    assert client.post(f"/attendance/sessions/{world.session.id}/paper-sheet").status_code == 403
    division = world.divisions[0]
    assert client.post(f"/attendance/sessions/{world.session.id}/divisions/{division.id}/present").status_code == 403


# --- the roll call -------------------------------------------------------------------------------


def test_mark_all_of_a_division_present_and_undo(client, log_in_as, world):
    log_in_as(Role.COORDINATOR)
    _english(client)
    division = world.divisions[0]
    in_division = [p for i, p in enumerate(world.people) if i % 2 == 0]
    others = [p for i, p in enumerate(world.people) if i % 2 == 1]
    _mark(client, world, in_division[0], "excused")  # a mark already made stays
    roster = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert f"/divisions/{division.id}/present" in roster
    response = client.post(f"/attendance/sessions/{world.session.id}/divisions/{division.id}/present")
    html = response.get_data(as_text=True)
    assert "2 people of Division 1 were marked present" in re.sub(r"</?bdi[^>]*>", "", html)  # the name isolated by bdi
    assert [_status(world.session, p) for p in in_division] == [
        AttendanceStatus.EXCUSED, AttendanceStatus.PRESENT, AttendanceStatus.PRESENT]
    assert [_status(world.session, p) for p in others] == [None] * 3
    token = html.split('name="marks" value="')[1].split('"')[0]
    response = client.post(f"/attendance/sessions/{world.session.id}/roll-call/undo", data={"marks": token},
                           follow_redirects=True)
    assert "2 marks were undone" in response.get_data(as_text=True)
    assert [_status(world.session, p) for p in in_division] == [AttendanceStatus.EXCUSED, None, None]


# --- the report per session ----------------------------------------------------------------------


def test_the_session_report_shows_expected_came_represented_and_absent_without_notice(client, log_in_as, world):
    from tracker.meetings.models import InvitationReply, ReplyAnswer

    a, b, c, d, e, f = world.people
    db.session.add(InvitationReply(invitation_id=world.invitations[4].id, answer=ReplyAnswer.NOT_ATTENDING))
    for person, status in ((a, "present"), (b, "late"), (d, "excused"), (f, "absent")):
        db.session.add(Attendance(session_id=world.session.id, person_id=person.id, status=AttendanceStatus(status)))
    db.session.add(Attendance(session_id=world.session.id, person_id=c.id, status=AttendanceStatus.REPRESENTED,
                              represented_by_name="Ramesh"))
    db.session.commit()
    log_in_as(Role.OFFICE)
    _english(client)
    html = client.get(f"/attendance/reports/sessions/{world.session.id}").get_data(as_text=True)
    summary = html.split('id="summary-heading"')[1].split("</section>")[0]
    counts = {key: summary.split(f'data-count="{key}">')[1].split("<")[0]
              for key in ("expected", "came", "represented", "excused", "absent_without_notice")}
    # 6 invited, e replied "not attending": 5 expected; a and b came; c represented; d excused;
    # f marked absent (e gave notice, so only f is absent without notice)
    assert counts == {"expected": "5", "came": "2", "represented": "1", "excused": "1", "absent_without_notice": "1"}
    assert "6 invited, 1 replied they would not come" in summary
    assert f"tel:{f.mobile}" in summary and f"tel:{e.mobile}" not in summary


def test_a_message_to_the_absentees_goes_through_the_reminders_after_confirmation(client, log_in_as, world):
    from tracker.reminders.models import MessageKind, OutboxMessage

    a, b, *_rest = world.people
    db.session.add(Attendance(session_id=world.session.id, person_id=a.id, status=AttendanceStatus.PRESENT))
    db.session.commit()
    log_in_as(Role.PRESIDENT, person=a)
    url = f"/attendance/reports/sessions/{world.session.id}/message-absentees"
    assert client.get(url).status_code == 403
    log_in_as(Role.COORDINATOR)
    _english(client)
    report = client.get(f"/attendance/reports/sessions/{world.session.id}").get_data(as_text=True)
    assert url in report
    confirm = client.get(url).get_data(as_text=True)  # confirmation first: nothing queued yet
    assert "5 people stayed away without notice" in confirm and "Send the messages" in confirm
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    done = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "5 messages were queued" in done
    sent = db.session.execute(sa.select(OutboxMessage.recipient_person_id, OutboxMessage.kind)).all()
    assert sorted(sent) == sorted((p.id, MessageKind.ABSENCE) for p in world.people[1:])
    # a second press soon after sends nothing twice
    assert "0 messages were queued" in client.post(url, follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 5
