"""Administrators and office staff may be required to keep a password (issue 12, STAFF_PASSWORD_REQUIRED).
When they are, a code is never sent to them: asking for one with an administrator's number is answered
exactly as for a number of no login (the page tells nobody whose number it is), a code made before the
setting was switched on no longer signs in, and a login without a password (made from posts) cannot be
made an administrator's or the office's until it has one."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD, make_person, make_post, make_unit, make_user
from tracker.auth import operations as ops
from tracker.auth.models import Role, SignInCode, User
from tracker.auth.operations import AuthError
from tracker.extensions import db

START = "2025-09-22T09:30:00+05:30"
ADMIN_NUMBER = "+919812345601"
PRESIDENT_NUMBER = "+919812345602"
EN = {"Accept-Language": "en"}


@pytest.fixture
def webhook(app, webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    return webhook_receiver


@pytest.fixture
def logins(app):
    admin = make_user(Role.ADMIN, "chief", person=make_person("Chief Admin", mobile=ADMIN_NUMBER))
    president = make_user(Role.PRESIDENT, "ravi", person=make_person("Ravi Kumar", mobile=PRESIDENT_NUMBER))
    return admin, president


def _ask(client, number, address="198.51.100.30"):
    return client.post("/login/mobile", data={"mobile": number}, environ_base={"REMOTE_ADDR": address}, headers=EN)


def _code_page(client, response) -> str:
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    return re.sub(r"\+?91\d{10}|name=\"csrf[_-]token\"[^>]*", "", page)


def test_without_the_setting_an_administrator_may_sign_in_by_code(client, logins, webhook, app_clock):
    app_clock.set(START)
    assert _ask(client, ADMIN_NUMBER).status_code == 302
    assert webhook.wait_for(1)[0].json["to"] == ADMIN_NUMBER


def test_with_the_setting_an_administrators_number_gets_the_answer_of_a_number_of_no_login(
        app, client, logins, webhook, app_clock, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_PASSWORD_REQUIRED", True)
    app_clock.set(START)
    staff = _ask(client, ADMIN_NUMBER)
    staff_page = _code_page(client, staff)
    nobody = _ask(client, "+919800000077", address="192.0.2.77")
    assert staff.status_code == nobody.status_code == 302
    assert staff.headers["Location"] == nobody.headers["Location"]
    assert staff_page == _code_page(client, nobody)
    assert "Administrators and office staff receive no code" in staff_page
    president = _ask(client, PRESIDENT_NUMBER, address="192.0.2.78")  # others still get their code
    assert president.status_code == 302
    assert [r.json["to"] for r in webhook.wait_for(1)] == [PRESIDENT_NUMBER]
    time.sleep(0.3)
    assert len(webhook.requests) == 1  # nothing went to the administrator
    admin = logins[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInCode)
                             .where(SignInCode.user_id == admin.id)) == 0


def test_a_code_made_before_the_setting_no_longer_signs_an_administrator_in(
        app, client, logins, webhook, app_clock, monkeypatch):
    app_clock.set(START)
    _ask(client, ADMIN_NUMBER)
    code = re.search(r"#(\d{6})$", webhook.wait_for(1)[0].json["text"]).group(1)
    monkeypatch.setitem(app.config, "STAFF_PASSWORD_REQUIRED", True)
    response = client.post("/login/code", data={"code": code}, environ_base={"REMOTE_ADDR": "198.51.100.30"},
                           headers=EN)
    assert response.status_code == 401
    assert client.get("/settings").status_code == 302
    # The password still signs the administrator in.
    assert client.post("/login", data={"username": "chief", "password": DEFAULT_PASSWORD}).status_code == 302


def _login_from_posts() -> User:
    district = make_unit("district", "bhopal", parent=make_unit("division", "bhopal_division",
                                                                 parent=make_unit("state", "mp")))
    person = make_person("Sita Devi", mobile="+919812345603")
    make_post(person, district)
    ops.logins_from_posts("district_president", [district.parent_id])
    return db.session.scalar(sa.select(User).where(User.person_id == person.id))


def test_a_login_without_a_password_is_not_made_staff_while_staff_must_keep_one(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_PASSWORD_REQUIRED", True)
    sita = _login_from_posts()
    assert not sita.has_usable_password and not sita.check_password("")
    for role in (Role.ADMIN, Role.OFFICE):
        with pytest.raises(AuthError, match=r"sita\.devi"):  # the message names the login
            ops.change_login_role(None, sita, role)
    assert sita.role == Role.PRESIDENT
    ops.change_login_role(None, sita, Role.INCHARGE)  # other roles need none
    password = ops.reset_password(sita)
    ops.change_login_role(None, sita, Role.OFFICE)
    assert sita.role == Role.OFFICE and sita.check_password(password)


def test_the_logins_page_says_why_the_role_was_not_changed(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_PASSWORD_REQUIRED", True)
    make_user(Role.ADMIN, "admin")
    sita = _login_from_posts()
    db.session.commit()
    auth.login("admin")
    response = client.post(f"/logins/{sita.id}/role", data={"role": "office"}, headers=EN, follow_redirects=True)
    assert "must have a password" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, sita.id).role == Role.PRESIDENT


def test_without_the_setting_a_login_without_a_password_may_become_staff(app):
    sita = _login_from_posts()
    ops.change_login_role(None, sita, Role.OFFICE)
    assert sita.role == Role.OFFICE
