"""Signing out (issue 12): logging out on one phone ends only that phone's sign-in; "sign out on all
phones", after a confirmation, ends every session of the login (the same session version the office's
revocations bump), and the audit trail says so."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_user
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role, User
from tracker.extensions import db

START = "2025-09-22T09:30:00+05:30"
NUMBER = "+919812345678"
EN = {"Accept-Language": "en"}


@pytest.fixture
def president(app, webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    return make_user(Role.PRESIDENT, "ravi", person=make_person("Ravi Kumar", mobile=NUMBER))


def _phone(app, webhook_receiver, address: str):
    """A new phone (its own cookies) signed in with a code sent to the president's number."""
    phone = app.test_client()
    sent = len(webhook_receiver.requests)
    env = {"REMOTE_ADDR": address}
    assert phone.post("/login/mobile", data={"mobile": NUMBER}, environ_base=env, headers=EN).status_code == 302
    text = webhook_receiver.wait_for(sent + 1)[-1].json["text"]
    code = re.search(r"#(\d{6})$", text).group(1)
    assert phone.post("/login/code", data={"code": code}, environ_base=env, headers=EN).status_code == 302
    return phone


def _signed_in(phone) -> bool:
    return phone.get("/settings", headers=EN).status_code == 200


def _forget_session_cookie(phone) -> None:
    """As a phone's browser does when it is closed: the session cookie goes, the remember cookie stays."""
    phone.delete_cookie("session")


def test_logging_out_on_one_phone_leaves_the_other_phones_signed_in(app, president, webhook_receiver, app_clock):
    app_clock.set(START)
    first, second = _phone(app, webhook_receiver, "198.51.100.1"), _phone(app, webhook_receiver, "198.51.100.2")
    assert _signed_in(first) and _signed_in(second)
    assert first.post("/logout", headers=EN).status_code == 302
    assert not _signed_in(first)
    assert _signed_in(second)
    _forget_session_cookie(second)
    assert _signed_in(second)  # the lasting sign-in (remember cookie) of the other phone holds too
    db.session.expire_all()
    assert db.session.get(User, president.id).session_version == 1


def test_sign_out_on_all_phones_asks_first_then_ends_every_session(app, president, webhook_receiver, app_clock):
    app_clock.set(START)
    first, second = _phone(app, webhook_receiver, "198.51.100.1"), _phone(app, webhook_receiver, "198.51.100.2")
    settings = first.get("/settings", headers=EN).get_data(as_text=True)
    assert 'href="/logout/everywhere"' in settings
    confirm = first.get("/logout/everywhere", headers=EN)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "every other phone" in page and 'method="post"' in page
    assert _signed_in(first) and _signed_in(second)  # asking changes nothing
    response = first.post("/logout/everywhere", headers=EN)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not _signed_in(first)
    assert not _signed_in(second)
    _forget_session_cookie(second)
    assert not _signed_in(second)  # the remember cookie carries the old version: refused too
    db.session.expire_all()
    assert db.session.get(User, president.id).session_version == 2
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "signed_out_everywhere"))
    assert entry is not None and entry.entity_id == president.id


def test_sign_out_on_all_phones_needs_a_sign_in_and_a_post(client, app):
    assert client.get("/logout/everywhere").status_code == 302  # to the login page
    assert client.post("/logout/everywhere").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "signed_out_everywhere")) == 0
