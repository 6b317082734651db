"""API tokens expire, end with their user's password or login, note their use, and are rate limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import DEFAULT_PASSWORD, make_user
from tracker.api import operations as token_ops
from tracker.api.models import ApiToken
from tracker.extensions import db

ME = "/api/v1/me"
NOW = "2026-03-10T10:00:20+05:30"


def _bearer(secret: str, **extra) -> dict:
    return {"Authorization": f"Bearer {secret}", **extra}


def _token(user, name: str = "bot", days: int | None = None) -> tuple[ApiToken, str]:
    token, secret = token_ops.create_token(user, name, days)
    db.session.commit()
    return token, secret


def _fresh(token: ApiToken) -> ApiToken:
    db.session.expire_all()
    return db.session.get(ApiToken, token.id)


def test_a_token_expires_after_the_setting_and_then_answers_401_with_a_problem(client, app_clock):
    start = app_clock.set(NOW)
    user = make_user("office", "clerk")
    token, secret = _token(user)
    assert token.expires_at == start + timedelta(days=90)
    app_clock.set(start + timedelta(days=90) - timedelta(seconds=1))
    assert client.get(ME, headers=_bearer(secret)).status_code == 200
    app_clock.set(start + timedelta(days=90))
    refused = client.get(ME, headers=_bearer(secret, **{"Accept-Language": "en"}))
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    problem = refused.get_json()
    assert problem["status"] == 401 and "expired on 8 June 2026" in problem["detail"]
    hindi = client.get(ME, headers=_bearer(secret, **{"Accept-Language": "hi"})).get_json()
    assert "8 जून 2026" in hindi["detail"] and "expired" not in hindi["detail"]


def test_the_expiry_is_a_setting_shown_at_creation_and_in_the_list(client, auth, app, app_clock, monkeypatch):
    app_clock.set(NOW)
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 30)
    make_user("president", "pres")
    auth.login("pres")
    client.post("/locale", data={"locale": "en"})
    created = client.post("/settings/api-tokens", data={"name": "WhatsApp bot"}).get_data(as_text=True)
    assert re.search(r'id="api-token-expires">\s*9 April 2026\s*<', created)
    listing = client.get("/settings").get_data(as_text=True)
    assert "Expires" in listing and "9 April 2026" in listing and "for 30 days" in listing
    app_clock.set("2026-04-09T12:00:00+05:30")
    listing = client.get("/settings").get_data(as_text=True)
    assert ">Expired<" in listing and "/revoke" not in listing  # nothing left to revoke


def test_cli_create_with_days_and_list_show_the_expiry(runner, app_clock):
    app_clock.set(NOW)
    make_user("office", "clerk")
    with force_locale("en"):
        created = runner.invoke(args=["tokens", "create", "clerk", "--days", "7"])
        assert created.exit_code == 0, created.output
        assert "expires 17 March 2026" in created.output  # the house style of dates (issue 15)
        assert "expires 17 March 2026" in runner.invoke(args=["tokens", "list"]).output
        app_clock.set("2026-03-18T10:00:00+05:30")
        assert " expired " in runner.invoke(args=["tokens", "list"]).output
    assert "समाप्ति 17 मार्च 2026" in runner.invoke(args=["tokens", "list"]).output
    assert runner.invoke(args=["tokens", "create", "clerk", "--days", "0"]).exit_code != 0


def test_a_password_change_on_the_settings_page_revokes_the_users_tokens(client, auth):
    user = make_user("president", "pres")
    other = make_user("president", "other")
    _token_a, secret = _token(user)
    _token_b, others = _token(other)
    assert client.get(ME, headers=_bearer(secret)).status_code == 200
    auth.login("pres")
    changed = client.post("/settings", data={"current_password": DEFAULT_PASSWORD, "new_password": "another-pass-2026",
                                              "confirm": "another-pass-2026"})
    assert changed.status_code == 302
    assert client.get(ME, headers=_bearer(secret)).status_code == 401
    assert client.get(ME, headers=_bearer(others)).status_code == 200  # only the user's own tokens
    revoked = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert revoked.revoked_at is not None


def test_a_password_reset_from_the_cli_revokes_the_tokens(client, runner):
    user = make_user("office", "clerk")
    _token_row, secret = _token(user)
    assert runner.invoke(args=["users", "reset-password", "clerk", "--password", "fresh-pass-2026"]).exit_code == 0
    assert client.get(ME, headers=_bearer(secret)).status_code == 401


def test_deactivation_revokes_the_tokens_for_good(client, runner):
    user = make_user("office", "clerk")
    _token_row, secret = _token(user)
    result = runner.invoke(args=["users", "deactivate", "clerk"])
    assert result.exit_code == 0, result.output
    assert client.get(ME, headers=_bearer(secret)).status_code == 401
    assert runner.invoke(args=["users", "activate", "clerk"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(type(user), user.id).is_active
    assert client.get(ME, headers=_bearer(secret)).status_code == 401  # reactivating brings no token back
    with force_locale("en"):
        assert "revoked" in runner.invoke(args=["tokens", "list"]).output


def test_last_use_is_noted_at_most_once_a_minute(client, app_clock):
    start = app_clock.set(NOW)
    token, secret = _token(make_user("office", "clerk"))
    assert token.last_used_at is None
    assert client.get(ME, headers=_bearer(secret)).status_code == 200
    assert _fresh(token).last_used_at == start
    app_clock.set(start + timedelta(seconds=59))
    client.get(ME, headers=_bearer(secret))
    assert _fresh(token).last_used_at == start  # not rewritten within the minute
    later = app_clock.set(start + timedelta(seconds=61))
    client.post("/api/v1/people", json={}, headers=_bearer(secret))  # a writing request (refused) counts too
    assert _fresh(token).last_used_at == later


def test_last_use_without_a_rate_limit(client, app, app_clock, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 0)
    start = app_clock.set(NOW)
    token, secret = _token(make_user("office", "clerk"))
    for _ in range(3):
        assert client.get(ME, headers=_bearer(secret)).status_code == 200
    assert _fresh(token).last_used_at == start and _fresh(token).rate_count == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_rate_limit_answers_429_with_retry_after_until_the_next_minute(client, app, app_clock, monkeypatch,
                                                                           method):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 5)
    start = app_clock.set(NOW)  # 20 seconds into the minute
    user = make_user("office", "clerk")
    _token_row, secret = _token(user)
    _other_row, other = _token(user, "other")

    def call(which=secret):
        if method == "GET":
            return client.get(ME, headers=_bearer(which))
        return client.post("/api/v1/people", json={}, headers=_bearer(which))

    assert all(call().status_code != 429 for _ in range(5))
    limited = call()
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert limited.headers["Retry-After"] == "40"
    assert "5" in limited.get_json()["detail"]
    assert call(other).status_code != 429  # the limit is the token's
    app_clock.set(start + timedelta(seconds=39))
    assert call().status_code == 429
    app_clock.set(start + timedelta(seconds=40))  # the next minute
    assert call().status_code != 429


def test_the_counter_is_one_atomic_statement_shared_by_every_worker(client, app, app_clock, monkeypatch):
    """Counted in the database (not in a worker's memory): a count made elsewhere in the same minute counts."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    now = app_clock.set(NOW)
    token, secret = _token(make_user("office", "clerk"))
    assert [token_ops.count_request(secret, now) for _ in range(3)] == [1, 2, 3]  # as three other workers
    assert client.get(ME, headers=_bearer(secret)).status_code == 429
    assert token_ops.count_request("trk_unknown", now) is None
    token_ops.revoke_token(db.session.get(ApiToken, token.id))
    db.session.commit()
    assert token_ops.count_request(secret, now) is None  # a revoked token is not counted (it gets 401)
    assert client.get(ME, headers=_bearer(secret)).status_code == 401


def test_the_openapi_document_states_expiry_revocation_and_the_rate_limit(client):
    document = client.get("/api/v1/openapi.json").get_json()
    description = document["info"]["description"]
    assert "90 days" in description and "password" in description and "429" in description
    limited = document["components"]["responses"]["TOO_MANY_REQUESTS"]
    assert "Retry-After" in limited["headers"]
    assert all("429" in operation["responses"] for path in document["paths"].values()
               for operation in path.values() if isinstance(operation, dict) and "responses" in operation)


def test_parallel_counts_lose_no_increment(app, app_clock):
    """Eight threads (as eight workers, each on its own connection) count at once: 1 … 40, none lost."""
    import threading

    now = app_clock.set(NOW)
    _token_row, secret = _token(make_user("office", "clerk"))
    counts: list[int] = []
    start = threading.Barrier(8)

    def worker():
        with app.app_context():
            start.wait()
            for _ in range(5):
                counts.append(token_ops.count_request(secret, now))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 41))
