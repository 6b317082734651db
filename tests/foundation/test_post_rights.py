"""Rights come from the posts held on the day (issue 12): a post-holder's login whose every post has
ended is deactivated (at once when the end is already past, else by the daily expiry), with the reason
in the audit trail; staff roles stay as roles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import (
    make_invitation,
    make_meeting,
    make_person,
    make_post,
    make_session,
    make_unit,
    make_user,
)
from tracker.api import operations as token_ops
from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.directory import operations as directory_ops
from tracker.extensions import db
from tracker.reminders import jobs

TODAY = date(2025, 9, 22)


def _deactivations(user: User) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.entity_type == "users", AuditEntry.entity_id == user.id, AuditEntry.action == "deactivate")))


def _district_with_president(end_date=None):
    district = make_unit("district", "sehore", name_en="Sehore", name_hi="सीहोर")
    president = make_person("Ramesh Verma", "रमेश वर्मा", mobile="+919876543210")
    post = make_post(president, district, "district_president", start_date=date(2024, 1, 1), end_date=end_date)
    return district, president, post



def _today_with_login(app_clock, role: str, username: str):
    """Today (22 September 2025, 08:00 in India): a district with its president's post, and a login of the
    president in ``role``."""
    app_clock.set("2025-09-22T08:00:00+05:30")
    district, president, post = _district_with_president()
    user = make_user(role, username, person=president)
    db.session.commit()
    return district, president, post, user

def test_a_president_whose_term_ended_yesterday_no_longer_sees_todays_agenda(client, auth, app_clock):
    app_clock.set("2025-09-22T08:00:00+05:30")
    district, president, post = _district_with_president(end_date=TODAY - timedelta(days=1))
    meeting = make_meeting(starts_on=TODAY, status="published", published_at=datetime(2025, 9, 20, 10, 0, tzinfo=UTC))
    session = make_session(meeting, starts_at=datetime(2025, 9, 22, 6, 0, tzinfo=UTC))  # 11:30 in India, today
    make_invitation(session, president, unit=district)
    user = make_user("president", "ramesh", person=president)
    _token, secret = token_ops.create_token(user, "phone")
    db.session.commit()
    auth.login("ramesh")
    headers = {"Authorization": f"Bearer {secret}"}
    # The same day, before the daily expiry: the login still signs in, but the rights that came from the post
    # ended with it.
    assert client.get("/agenda").status_code == 403
    assert client.get(f"/agenda/sessions/{session.id}").status_code in (403, 404)
    assert client.get(f"/api/v1/sessions/{session.id}", headers=headers).status_code in (403, 404)
    assert session.id not in [row["id"] for row in client.get("/api/v1/sessions", headers=headers).json["items"]]

    assert jobs.expire_post_logins() == 1  # the daily job (at 00:05) finds the term over

    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_flag is False
    page = client.get("/agenda")
    assert page.status_code in (302, 303) and "/login" in page.headers["Location"]
    api = client.get(f"/api/v1/sessions/{session.id}", headers=headers)
    assert api.status_code == 401
    (entry,) = _deactivations(user)
    assert entry.actor_label == "scheduler"
    assert entry.changes["reason"][1] == "post ended: district_president at sehore on 2025-09-21; no current post left"


def test_the_same_president_saw_the_agenda_while_in_office(client, auth, app_clock):
    """The test above is not vacuous: a day earlier, in office, the same page and API answer."""
    app_clock.set("2025-09-21T08:00:00+05:30")
    district, president, _post = _district_with_president(end_date=TODAY - timedelta(days=1))
    meeting = make_meeting(starts_on=TODAY, status="published", published_at=datetime(2025, 9, 20, 10, 0, tzinfo=UTC))
    session = make_session(meeting, starts_at=datetime(2025, 9, 22, 6, 0, tzinfo=UTC))
    make_invitation(session, president, unit=district)
    user = make_user("president", "ramesh", person=president)
    _token, secret = token_ops.create_token(user, "phone")
    db.session.commit()
    auth.login("ramesh")
    assert client.get("/agenda").status_code == 200
    assert client.get(f"/api/v1/sessions/{session.id}", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert jobs.expire_post_logins() == 0


def test_ending_a_post_in_the_past_deactivates_the_login_at_once(app_clock):
    _district, president, post, user = _today_with_login(app_clock, "president", "ramesh")
    directory_ops.end_post(post, TODAY - timedelta(days=1))
    assert user.is_active_flag is False
    assert "no current post left" in _deactivations(user)[0].changes["reason"][1]


def test_a_term_ending_today_or_later_keeps_the_login_until_it_is_over(app_clock):
    _district, president, post, user = _today_with_login(app_clock, "president", "ramesh")
    directory_ops.end_post(post, TODAY)
    assert user.is_active_flag is True and jobs.expire_post_logins() == 0
    app_clock.set("2025-09-23T08:00:00+05:30")
    assert jobs.expire_post_logins() == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_flag is False


def test_a_replaced_president_who_is_also_co_incharge_keeps_the_login(app_clock):
    app_clock.set("2025-09-22T08:00:00+05:30")
    district, president, _post = _district_with_president()
    make_post(president, make_unit("division", "bhopal_division"), "co_incharge", start_date=date(2024, 1, 1))
    user = make_user("president", "ramesh", person=president)
    successor = make_person("Anil Jain", "अनिल जैन")
    db.session.commit()
    directory_ops.appoint(successor, district, "district_president", TODAY - timedelta(days=2))
    assert user.is_active_flag is True and _deactivations(user) == []
    assert jobs.expire_post_logins() == 0


def test_staff_logins_stay_as_roles(app_clock):
    _district, person, post, user = _today_with_login(app_clock, "coordinator", "coord")
    directory_ops.end_post(post, TODAY - timedelta(days=1))
    assert user.is_active_flag is True and jobs.expire_post_logins() == 0


def test_the_cli_previews_then_deactivates(runner, app_clock):
    app_clock.set("2025-09-22T08:00:00+05:30")
    _district, president, _post = _district_with_president(end_date=TODAY - timedelta(days=3))
    user = make_user("president", "ramesh", person=president)
    db.session.commit()
    with force_locale("en"):
        preview = runner.invoke(args=["users", "expire-posts", "--dry-run"])
    assert "ramesh: would be deactivated" in preview.output and "1 login to deactivate" in preview.output
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_flag is True
    done = runner.invoke(args=["users", "expire-posts"])
    assert done.exit_code == 0 and "1 लॉगिन निष्क्रिय किया गया" in done.output  # the default language
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_flag is False
