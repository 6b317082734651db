"""The Logins pages (issue 12): who may reach them, what the office may not do, the query count."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD, make_person, make_post, make_unit, make_user
from tests.querycount import count_queries
from tracker.auth.models import Role, User
from tracker.extensions import db


def _user(name: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == name))


@pytest.mark.parametrize("role", [Role.PRESIDENT, Role.COORDINATOR, Role.INCHARGE])
def test_the_other_roles_are_refused_every_logins_page(client, auth, role):
    target = make_user(Role.OFFICE, "desk")
    make_user(role, "someone", person=make_person("Some One"))
    auth.login("someone")
    for url in ("/logins/", "/logins/new", "/logins/from-posts", f"/logins/{target.id}",
                f"/logins/{target.id}/reset"):
        assert client.get(url).status_code in (403, 404), url
    for url in (f"/logins/{target.id}/reset", f"/logins/{target.id}/deactivate", "/logins/from-posts",
                f"/logins/{target.id}/role"):
        assert client.post(url, data={"role": "admin"}).status_code in (403, 404), url
    assert _user("desk").is_active and _user("desk").role == Role.OFFICE
    assert "/logins/" not in client.get("/home", follow_redirects=True).get_data(as_text=True)


def test_the_office_cannot_create_or_edit_an_admin(client, auth):
    admin = make_user(Role.ADMIN, "boss")
    make_user(Role.OFFICE, "desk")
    auth.login("desk")
    # An admin's login answers as a missing one (issue 17: no existence oracle).
    assert client.get(f"/logins/{admin.id}").status_code == 404
    assert client.post(f"/logins/{admin.id}/deactivate").status_code == 404
    assert client.post(f"/logins/{admin.id}/reset").status_code == 404
    assert _user("boss").is_active
    new = client.post("/logins/new", data={"username": "sneaky", "role": "admin"})
    assert new.status_code in (200, 403) and _user("sneaky") is None
    pres = make_user(Role.PRESIDENT, "pres")
    assert client.post(f"/logins/{pres.id}/role", data={"role": "admin"}).status_code in (400, 403)
    assert _user("pres").role == Role.PRESIDENT
    assert 'value="admin"' not in client.get("/logins/new").get_data(as_text=True)


def test_the_office_manages_a_login_from_the_list(client, auth):
    make_user(Role.OFFICE, "desk", locale="en")
    person = make_person("Ram Singh")
    auth.login("desk")
    assert "/logins/" in client.get("/home", follow_redirects=True).get_data(as_text=True)
    page = client.post("/logins/new", data={"username": "ram", "role": "president", "person_id": person.id})
    assert page.status_code == 200
    password = re.search(r'class="generated-password">([^<]+)<', page.get_data(as_text=True)).group(1)
    ram = _user("ram")
    assert ram.person_id == person.id and ram.check_password(password)
    assert "ram" in client.get("/logins/?q=Ram+Singh&linked=yes&role=president").get_data(as_text=True)
    assert client.post(f"/logins/{ram.id}/role", data={"role": "coordinator"}).status_code == 302
    assert _user("ram").role == Role.COORDINATOR
    confirm = client.get(f"/logins/{ram.id}/unlink")
    assert confirm.status_code == 200 and _user("ram").person_id == person.id  # asking changes nothing
    client.post(f"/logins/{ram.id}/unlink")
    assert _user("ram").person_id is None
    client.post(f"/logins/{ram.id}/person", data={"person_id": person.id})
    assert _user("ram").person_id == person.id
    client.post(f"/logins/{ram.id}/deactivate")
    assert not _user("ram").is_active
    client.post(f"/logins/{ram.id}/activate")
    assert _user("ram").is_active
    reset = client.post(f"/logins/{ram.id}/reset").get_data(as_text=True)
    new_password = re.search(r'class="generated-password">([^<]+)<', reset).group(1)
    assert _user("ram").check_password(new_password) and not _user("ram").check_password(password)


def test_a_login_without_a_person_keeps_its_own_contact_for_the_digest(client, auth):
    make_user(Role.OFFICE, "desk", locale="en")
    other = make_user(Role.OFFICE, "night")
    auth.login("desk")
    assert "Contact of the login" in client.get(f"/logins/{other.id}").get_data(as_text=True)
    saved = client.post(f"/logins/{other.id}/contact", data={"email": "night@example.org", "mobile": "98765 43210"})
    assert saved.status_code == 302
    assert (_user("night").email, _user("night").mobile) == ("night@example.org", "+919876543210")
    refused = client.post(f"/logins/{other.id}/contact", data={"email": "nobody", "mobile": ""},
                          follow_redirects=True)
    assert "Not an e-mail address" in refused.get_data(as_text=True)
    assert _user("night").email == "night@example.org"  # unchanged


def test_from_posts_previews_then_creates(client, auth):
    make_user(Role.OFFICE, "desk", locale="en")
    state = make_unit("state", "mp")
    division = make_unit("division", "bhopal_division", parent=state)
    make_post(make_person("Ram Singh"), make_unit("district", "bhopal", parent=division))
    auth.login("desk")
    nothing = client.post("/logins/from-posts", data={"kind": "district_president", "confirm": "1"})
    assert "Choose at least one unit." in nothing.get_data(as_text=True) and _user("ram.singh") is None
    data = {"kind": "district_president", "units": [division.id]}
    preview = client.post("/logins/from-posts", data=data)
    assert preview.status_code == 200 and "ram.singh" in preview.get_data(as_text=True)
    assert _user("ram.singh") is None
    done = client.post("/logins/from-posts", data={**data, "confirm": "1"})
    assert done.status_code == 200 and "from-posts-report" in done.get_data(as_text=True)
    assert _user("ram.singh").role == Role.PRESIDENT


def test_the_list_query_count_does_not_grow_with_the_data(client, auth):
    make_user(Role.ADMIN, "boss", locale="en")
    auth.login("boss")
    client.get("/logins/")
    with count_queries() as small:
        assert client.get("/logins/").status_code == 200
    for n in range(30):
        make_user(Role.PRESIDENT, f"p{n}", person=make_person(f"Person {n}", commit=False))
    with count_queries() as large:
        assert client.get("/logins/").status_code == 200
    assert large.count == small.count


def test_nobody_deactivates_or_demotes_their_own_login(client, auth):
    me = make_user(Role.ADMIN, "boss", locale="en")
    auth.login("boss")
    refused = client.post(f"/logins/{me.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own login." in refused.get_data(as_text=True)
    refused = client.post(f"/logins/{me.id}/role", data={"role": "office"}, follow_redirects=True)
    assert "You cannot change the role of your own login." in refused.get_data(as_text=True)
    assert _user("boss").is_active and _user("boss").role == Role.ADMIN


def test_the_office_revokes_sessions_and_tokens_after_a_confirmation(client, auth, app):
    from tracker.api import operations as token_ops
    from tracker.api.models import ApiToken
    from tracker.audit.models import AuditEntry

    make_user(Role.OFFICE, "desk", locale="en")
    target = make_user(Role.PRESIDENT, "pres", person=make_person("Pres Ident"))
    token_ops.create_token(target, "phone app")
    db.session.commit()
    version = target.session_version
    other = app.test_client()  # the president, signed in on their own phone
    assert other.post("/login", data={"username": "pres", "password": DEFAULT_PASSWORD}).status_code == 302
    assert other.get("/settings").status_code == 200

    auth.login("desk")
    assert "/revoke" in client.get(f"/logins/{target.id}").get_data(as_text=True)
    confirm = client.get(f"/logins/{target.id}/revoke")
    assert confirm.status_code == 200 and _user("pres").session_version == version  # asking changes nothing
    assert client.post(f"/logins/{target.id}/revoke").status_code == 302

    pres = _user("pres")
    assert pres.session_version == version + 1 and pres.is_active
    assert db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == pres.id)).revoked_at is not None
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "users",
                                                         AuditEntry.entity_id == pres.id,
                                                         AuditEntry.action == "access_revoked")) is not None
    assert other.get("/settings").status_code == 302  # that phone is signed out (sent to the sign-in page)
