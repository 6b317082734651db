"""The NOW setting fixes the app's clock: helpers, model defaults, policy, pages, jobs and the CLI."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_invitation, make_meeting, make_person, make_session, make_user
from tests.harness.server import ServedApp
from tracker import policy
from tracker.auth.models import Role
from tracker.extensions import db

# Monday 22 September 2025, 09:30 in Bhopal (the reference meeting's first day).
MORNING = "2025-09-22T09:30:00+05:30"
SESSION_START = datetime(2025, 9, 22, 5, 30, tzinfo=UTC)  # 11:00 IST


def test_now_and_today_follow_the_setting(fixed_now):
    from tracker.timeutil import now_utc, today_local

    assert fixed_now(MORNING) == datetime(2025, 9, 22, 4, 0, tzinfo=UTC)
    assert now_utc() == datetime(2025, 9, 22, 4, 0, tzinfo=UTC)
    assert today_local() == date(2025, 9, 22)
    # 00:30 in Bhopal is still the previous day in UTC: "today" is the local day.
    fixed_now("2025-09-22T00:30:00+05:30")
    assert now_utc().date() == date(2025, 9, 21) and today_local() == date(2025, 9, 22)
    fixed_now("2025-09-21T19:00:00Z")
    assert today_local() == date(2025, 9, 22)
    fixed_now(None)
    assert abs((now_utc() - datetime.now(UTC)).total_seconds()) < 5


def test_a_running_clock_moves_on_from_the_fixed_instant(fixed_now):
    from tracker.timeutil import now_utc

    fixed_now(MORNING, running_since=time.time() - 90)
    elapsed = (now_utc() - datetime(2025, 9, 22, 4, 0, tzinfo=UTC)).total_seconds()
    assert 89 <= elapsed < 100


def test_a_time_without_offset_is_refused(app, monkeypatch):
    from tracker.timeutil import now_utc

    monkeypatch.setitem(app.config, "NOW", "2025-09-22T09:30:00")
    with pytest.raises(ValueError, match="offset"):
        now_utc()
    monkeypatch.setitem(app.config, "NOW", "next monday")
    with pytest.raises(ValueError, match="ISO 8601"):
        now_utc()


def test_model_timestamps_obey_and_advance_with_the_clock(app, app_clock):
    at = app_clock.set(MORNING)
    person = make_person()
    assert person.created_at == at and person.updated_at == at
    later = app_clock.advance(minutes=5)
    person.name_en = "Renamed"
    db.session.commit()
    assert later == at + timedelta(minutes=5) and person.updated_at == later and person.created_at == at


def test_the_wall_clock_ignores_the_setting(fixed_now):
    """Liveness (the scheduler's lease, the age of an upload) runs in real seconds even under a fixed NOW."""
    from tracker.timeutil import now_utc, wall_now

    fixed_now(MORNING)
    assert now_utc() == datetime(2025, 9, 22, 4, 0, tzinfo=UTC)
    assert abs((wall_now() - datetime.now(UTC)).total_seconds()) < 5


def _self_checkin_world():
    meeting = make_meeting(status="published", commit=False)
    session = make_session(meeting, starts_at=SESSION_START, minutes=120, self_checkin_enabled=True, commit=False)
    person = make_person(commit=False)
    invitation = make_invitation(session, person, commit=False)
    user = make_user(Role.PRESIDENT, person=person)
    return user, invitation


@pytest.mark.parametrize("now, allowed", [
    ("2025-09-22T10:01:00+05:30", True),   # less than an hour before 11:00: open
    ("2025-09-22T09:59:00+05:30", False),  # more than an hour before: too early
    ("2025-09-22T12:59:00+05:30", True),   # still in the session
    ("2025-09-22T13:01:00+05:30", False),  # over
])
def test_the_self_checkin_window_follows_the_clock(fixed_now, now, allowed):
    user, invitation = _self_checkin_world()
    fixed_now(now)
    assert policy.can(user, "attendance.self_checkin", invitation) is allowed


def test_the_attendance_page_lists_the_fixed_days_sessions_as_today(client, auth, fixed_now):
    meeting = make_meeting(status="published", commit=False)
    make_session(meeting, starts_at=SESSION_START, title_en="Fixed-day session")
    make_user(Role.COORDINATOR, "coord", locale="en")
    auth.login("coord")

    def sections(page: str) -> tuple[str, str, str]:
        today, _, rest = page.partition("Coming sessions")
        coming, _, recent = rest.partition("Recent sessions")
        return today, coming, recent

    today, coming, recent = sections(client.get("/attendance/").get_data(as_text=True))
    assert "Fixed-day session" in recent and "Fixed-day session" not in today  # the real today is long after 2025

    fixed_now(MORNING)
    today, coming, recent = sections(client.get("/attendance/").get_data(as_text=True))
    assert "Fixed-day session" in today and "Fixed-day session" not in coming + recent

    fixed_now("2025-09-24T09:30:00+05:30")  # two days later: a recent session, not today's
    today, coming, recent = sections(client.get("/attendance/").get_data(as_text=True))
    assert "Fixed-day session" in recent and "Fixed-day session" not in today + coming

    fixed_now("2025-09-20T09:30:00+05:30")  # two days before: a coming session
    today, coming, recent = sections(client.get("/attendance/").get_data(as_text=True))
    assert "Fixed-day session" in coming and "Fixed-day session" not in today + recent


def test_a_cli_run_obeys_tracker_now(database_url, tmp_path):
    """``TRACKER_NOW=… tracker outbox digest`` queues the digest of the fixed day (a real subprocess)."""
    db.session.commit()
    result = ServedApp(database_url, tmp_path, now=MORNING).cli("outbox", "digest")
    assert "22 सितंबर 2025" in result.stdout  # the day it queued for, in the default language's house style
