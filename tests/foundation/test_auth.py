import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD, make_user
from tracker.auth.models import LoginThrottle, Role
from tracker.extensions import db


def test_anonymous_root_leads_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_login_and_logout(client, auth):
    make_user(Role.OFFICE, "asha")
    auth.login("asha")
    page = client.get("/home")
    assert page.status_code == 200
    assert "asha" in page.get_data(as_text=True)
    auth.logout()
    assert client.get("/home").status_code == 302


def test_wrong_password_is_refused_in_the_users_language(client):
    make_user(Role.OFFICE, "asha")
    response = client.post("/login", data={"username": "asha", "password": "wrong"}, headers={"Accept-Language": "hi"})
    assert response.status_code == 401
    assert "उपयोगकर्ता नाम या पासवर्ड सही नहीं है" in response.get_data(as_text=True)


def test_logout_ends_this_session_only_and_signing_out_everywhere_ends_the_others(app, client, auth):
    """Issue 12: signing out on one phone does not sign out the others unless asked."""
    make_user(Role.OFFICE, "asha")
    other = app.test_client()
    Auth = type(auth)
    Auth(other).login("asha")
    auth.login("asha")
    assert other.get("/home").status_code == 200
    auth.logout()
    assert client.get("/home").status_code == 302
    assert other.get("/home").status_code == 200
    auth.login("asha")
    client.post("/logout/everywhere")
    assert other.get("/home").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, auth):
    make_user(Role.OFFICE, "asha")
    other = app.test_client()
    type(auth)(other).login("asha")
    auth.login("asha")
    response = client.post("/settings", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "a-new-password-1", "confirm": "a-new-password-1"})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert other.get("/home").status_code == 302


def test_password_is_hashed(app):
    user = make_user(Role.OFFICE, "asha")
    assert DEFAULT_PASSWORD not in user.password_hash
    assert user.check_password(DEFAULT_PASSWORD)


def test_post_without_csrf_token_is_refused(app, client):
    make_user(Role.OFFICE, "asha")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"username": "asha", "password": DEFAULT_PASSWORD})
        assert response.status_code == 400
        response = client.post("/locale", data={"locale": "en"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("role", list(Role))
def test_users_page_denied_to_all_but_admin(role):
    from tracker import policy

    user = make_user(role)
    assert policy.can(user, "users.manage") is (role == Role.ADMIN)


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_session_cookie_flags(client):
    make_user(Role.OFFICE, "asha")
    response = client.post("/login", data={"username": "asha", "password": DEFAULT_PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    assert any(cookie.startswith("session=") for cookie in cookies)
    for cookie in cookies:  # the session's and the known-device cookie
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_users_cli(runner):
    result = runner.invoke(args=["users", "create", "ravi", "--role", "coordinator", "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "set-role", "ravi", "office"])
    assert result.exit_code == 0
    result = runner.invoke(args=["users", "list"])
    assert "ravi" in result.output and "office" in result.output
    result = runner.invoke(args=["users", "reset-password", "ravi"])
    assert "पासवर्ड:" in result.output  # the CLI speaks the default language (Hindi)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 0
