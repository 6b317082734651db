"""A lost or changed phone (issue 12), and mobile numbers of people with a login unique."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_user
from tracker.api import operations as token_ops
from tracker.api.models import ApiToken
from tracker.audit.models import AuditEntry
from tracker.auth import phone as phone_ops
from tracker.auth.models import Role, SignInCode, User
from tracker.auth.operations import AuthError
from tracker.directory import io
from tracker.directory import operations as directory_ops
from tracker.directory.operations import DirectoryError
from tracker.extensions import db
from tracker.timeutil import now_utc

OLD, NEW = "+919876543210", "+919812345678"


def _user(name: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == name))


def _president():
    person = make_person("Ramesh Verma", "रमेश वर्मा", mobile=OLD)
    user = make_user(Role.PRESIDENT, "ramesh", person=person)
    now = now_utc()
    db.session.add(SignInCode(user_id=user.id, code_hash="x" * 64, created_at=now,
                              expires_at=now + timedelta(minutes=10), tries=0))
    token_ops.create_token(user, "phone")
    db.session.commit()
    return person, user


def test_the_office_changes_a_lost_phone_in_one_confirmed_step(client, auth):
    make_user(Role.OFFICE, "desk", locale="en")
    person, user = _president()
    version = user.session_version
    auth.login("desk")
    assert "Lost or changed phone" in client.get(f"/logins/{user.id}").get_data(as_text=True)
    check = client.post(f"/logins/{user.id}/phone", data={"mobile": "98123 45678"})
    assert check.status_code == 200 and NEW in check.get_data(as_text=True)
    assert _user("ramesh").person.mobile == OLD  # the first step only shows what will be done

    done = client.post(f"/logins/{user.id}/phone", data={"mobile": "98123 45678", "confirm": "1"})
    assert done.status_code == 302
    ramesh = _user("ramesh")
    assert ramesh.person.mobile == NEW and ramesh.session_version == version + 1
    assert db.session.scalar(sa.select(SignInCode.ended_at)) is not None
    assert db.session.scalar(sa.select(ApiToken.revoked_at)) is not None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "users",
                                                          AuditEntry.action == "phone_changed"))
    assert entry.changes["mobile"] == [OLD, NEW] and "revoked" in entry.changes["reason"][1]


def test_the_phone_change_refuses_a_number_of_another_login_and_a_login_without_person(client, auth):
    make_user(Role.OFFICE, "desk", locale="en")
    _person, user = _president()
    make_user(Role.PRESIDENT, "anil", person=make_person("Anil Jain", mobile=NEW))
    auth.login("desk")
    page = client.post(f"/logins/{user.id}/phone", data={"mobile": NEW, "confirm": "1"}).get_data(as_text=True)
    assert "already the number of Anil Jain" in page
    assert _user("ramesh").person.mobile == OLD
    with pytest.raises(AuthError, match="unlinked"):  # "… is not linked to a person"
        phone_ops.change_phone(make_user(Role.PRESIDENT, "unlinked"), NEW)


def test_a_second_person_with_the_number_of_a_person_with_a_login_is_refused():
    _president()
    ramesh = db.session.scalar(sa.select(User).where(User.username == "ramesh")).person
    named = f"{OLD}.* (Ramesh Verma|रमेश वर्मा) \\(ID {ramesh.id}\\)".replace("+", "\\+")
    with pytest.raises(DirectoryError, match=named):
        directory_ops.create_person({"name_en": "Copy Cat", "name_hi": "कॉपी", "mobile": OLD})
    other = make_person("Anil Jain", mobile=NEW)
    with pytest.raises(DirectoryError, match=named):
        directory_ops.update_person(other, {"mobile": "98765 43210"})


def test_people_without_a_login_may_share_a_number_until_one_gets_a_login():
    first = directory_ops.create_person({"name_en": "Office Phone", "name_hi": "दफ्तर", "mobile": OLD})
    second = directory_ops.create_person({"name_en": "Same Phone", "name_hi": "वही", "mobile": OLD})
    assert first.mobile == second.mobile == OLD
    make_user(Role.PRESIDENT, "office_phone", person=first)
    with pytest.raises(DirectoryError, match=f"ID {first.id}"):
        directory_ops.create_person({"name_en": "Third Phone", "name_hi": "तीसरा", "mobile": OLD})
    # An existing clash (the migration reports it) does not block other edits of the person.
    directory_ops.update_person(second, {"note": "an edit that keeps the number is not refused"})
    assert second.note.startswith("an edit")


def test_the_message_is_in_hindi_too(app):
    _president()
    with app.test_request_context(headers={"Accept-Language": "hi"}), pytest.raises(DirectoryError) as refused:
        directory_ops.create_person({"name_en": "Copy Cat", "name_hi": "कॉपी", "mobile": OLD})
    assert "लॉगिन" in refused.value.message and "+919876543210" in refused.value.message


def test_an_import_refuses_a_second_person_with_the_number_of_a_login():
    _president()
    other = make_person("Anil Jain", mobile=NEW)
    table = io.Table(io.PEOPLE, "people", [(2, {"id": other.id, "name_en": "Anil Jain", "name_hi": "अनिल जैन",
                                                "mobile": "98765 43210"})])
    report = io.run_import([table], commit=True)
    assert report.has_errors
    errors = " ".join(report.rows[0].errors)
    assert OLD in errors and ("Ramesh Verma" in errors or "रमेश वर्मा" in errors)
    assert db.session.get(type(other), other.id).mobile == NEW


def test_the_migration_reports_the_clashes():
    from importlib import import_module

    migration = import_module("tracker.migrations.versions.20261201_0009_unique_login_mobiles")
    _president()
    make_person("Copy Cat", mobile=OLD)
    make_person("Alone", mobile=NEW)
    lines = migration.clash_lines(db.session.connection())
    assert len(lines) == 2 and all(line.startswith(OLD) for line in lines) and "login ramesh" in lines[0]
