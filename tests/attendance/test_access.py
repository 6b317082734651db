"""Who may mark, scan, lock, reopen, check in and read reports (acceptance 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.attendance.conftest import build_world
from tests.factories import make_user
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.attendance.window import current_code
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import now_utc


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))


def _writes(world):
    s, p = world.session.id, world.people[0].id
    return [
        (f"/attendance/sessions/{s}/people/{p}/mark", {"status": "present"}),
        (f"/attendance/sessions/{s}/people/{p}/undo", {"version": 1}),
        (f"/attendance/sessions/{s}/scan", {"code": world.invitations[0].pass_token}),
        (f"/attendance/sessions/{s}/walk-in/pick", {"person_id": p}),
        (f"/attendance/sessions/{s}/lock", {}),
        (f"/attendance/sessions/{s}/reopen", {}),
    ]


def test_anonymous_is_sent_to_login(client, world):
    for url, data in _writes(world):
        response = client.post(url, data=data)
        assert response.status_code == 302 and "/login" in response.location, url
    assert client.get(f"/attendance/sessions/{world.session.id}").status_code == 302
    assert client.get("/attendance/reports/").status_code == 302
    assert _count() == 0


@pytest.mark.parametrize("role", [Role.INCHARGE, Role.PRESIDENT])
def test_other_roles_may_not_mark_scan_lock_or_see_the_roster(client, log_in_as, world, role):
    log_in_as(role, person=world.people[1])
    # A published session the president is invited to: they know of it, so a refusal is 403 (a session
    # they may not know of answers 404, as a missing one: tests/foundation/test_existence_oracle.py).
    world.session.meeting.published_at = now_utc()
    db.session.commit()
    for url, data in _writes(world):
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/attendance/sessions/{world.session.id}").status_code == 403
    assert client.get("/attendance/").status_code == 403
    assert _count() == 0


def test_coordinator_may_not_lock_and_office_may_not_reopen(client, log_in_as, world):
    log_in_as(Role.COORDINATOR)
    assert client.post(f"/attendance/sessions/{world.session.id}/lock").status_code == 403
    log_in_as(Role.OFFICE)
    assert client.post(f"/attendance/sessions/{world.session.id}/lock").status_code == 302
    assert client.post(f"/attendance/sessions/{world.session.id}/reopen").status_code == 403


def test_president_reports_are_denied_and_incharge_may_read(client, log_in_as, world):
    log_in_as(Role.PRESIDENT, person=world.people[0])
    assert client.get(f"/attendance/reports/sessions/{world.session.id}").status_code == 403
    log_in_as(Role.INCHARGE)
    assert client.get(f"/attendance/reports/sessions/{world.session.id}").status_code == 200


def _enable_self_checkin(world):
    world.session.self_checkin_enabled = True
    db.session.commit()


def test_president_checks_in_only_themselves_and_only_where_allowed(client, log_in_as, world):
    log_in_as(Role.PRESIDENT, person=world.people[0])
    own, other = world.invitations[0], world.invitations[1]
    assert client.post(f"/attendance/invitations/{own.id}/checkin").status_code == 403  # not enabled
    _enable_self_checkin(world)
    # Someone else's invitation answers as a missing one (issue 17).
    assert client.post(f"/attendance/invitations/{other.id}/checkin").status_code == 404
    assert client.get(f"/attendance/invitations/{other.id}/pass").status_code == 404
    code = {"venue_code": current_code(world.session.id)}
    response = client.post(f"/attendance/invitations/{own.id}/checkin", data=code)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Attendance.status)) == AttendanceStatus.PRESENT
    assert client.post(f"/attendance/invitations/{own.id}/checkin", data=code).status_code == 302  # twice: harmless
    assert _count() == 1
    assert client.get(f"/attendance/invitations/{own.id}/pass").status_code == 200


def test_self_checkin_is_refused_before_the_window_and_after_the_lock(client, log_in_as):
    later = build_world(n_people=1, starts_in_minutes=24 * 60)
    later.session.self_checkin_enabled = True
    db.session.commit()
    log_in_as(Role.PRESIDENT, person=later.people[0])
    assert client.post(f"/attendance/invitations/{later.invitations[0].id}/checkin").status_code == 403
    later.session.starts_at -= timedelta(days=1)
    later.session.ends_at -= timedelta(days=1)
    from tracker.timeutil import now_utc

    later.session.attendance_locked_at = now_utc()
    db.session.commit()
    assert client.post(f"/attendance/invitations/{later.invitations[0].id}/checkin").status_code == 403
    assert _count() == 0


def test_agenda_pass_partial_shows_qr_and_checkin_button(app, world):
    from flask import render_template
    from flask_login import login_user

    user = make_user(Role.PRESIDENT, "pres", person=world.people[0])
    _enable_self_checkin(world)
    with app.test_request_context():
        login_user(user)
        html = render_template("attendance/_agenda_pass.html", invitation=world.invitations[0])
    assert 'src="data:image/svg+xml' in html and "/checkin" in html and "/pass" in html
