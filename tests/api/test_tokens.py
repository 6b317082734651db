"""Tokens from the command line and from the settings page."""

from __future__ import annotations

import re

from flask_babel import force_locale

from tests.factories import make_user
from tracker.api import operations as token_ops
from tracker.api.models import ApiToken
from tracker.extensions import db


def test_cli_create_prints_the_token_alone_on_its_last_line(runner, client):
    make_user("office", "clerk")
    result = runner.invoke(args=["tokens", "create", "clerk", "--name", "spreadsheet"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"trk_[A-Za-z0-9_\-]{43}", secret)
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.name == "spreadsheet" and token.token_hash == token_ops.hash_token(secret)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).get_json()["username"] == "clerk"


def test_cli_list_and_revoke_by_prefix(runner, client):
    user = make_user("office", "clerk")
    token, secret = token_ops.create_token(user, "bot")
    db.session.commit()
    with force_locale("en"):
        listed = runner.invoke(args=["tokens", "list"])
    assert token.prefix in listed.output and "clerk" in listed.output and "active" in listed.output
    result = runner.invoke(args=["tokens", "revoke", token.prefix])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "रद्द" in runner.invoke(args=["tokens", "list"]).output  # in the default language


def test_cli_revoke_by_id_and_unknown(runner):
    user = make_user("office", "clerk")
    token, _secret = token_ops.create_token(user, "bot")
    db.session.commit()
    assert runner.invoke(args=["tokens", "revoke", str(token.id)]).exit_code == 0
    assert runner.invoke(args=["tokens", "revoke", "trk_nothing"]).exit_code != 0
    assert runner.invoke(args=["tokens", "create", "nobody"]).exit_code != 0


def test_settings_page_creates_shows_once_lists_and_revokes(client, auth):
    make_user("president", "pres")
    auth.login("pres")
    page = client.get("/settings")
    assert page.status_code == 200 and 'id="api-tokens"' in page.get_data(as_text=True)
    created = client.post("/settings/api-tokens", data={"name": "WhatsApp bot"})
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    secret = re.search(r"trk_[A-Za-z0-9_\-]{43}", created.get_data(as_text=True)).group(0)
    listing = client.get("/settings").get_data(as_text=True)
    assert "WhatsApp bot" in listing and secret not in listing  # shown once, then only its prefix
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.prefix in listing
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.post(f"/settings/api-tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_settings_cannot_revoke_someone_elses_token(client, auth):
    other = make_user("admin", "boss")
    token, secret = token_ops.create_token(other, "boss tool")
    db.session.commit()
    make_user("president", "pres")
    auth.login("pres")
    client.post(f"/settings/api-tokens/{token.id}/revoke")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_token_pages_need_a_login(client):
    response = client.post("/settings/api-tokens", data={"name": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_token_needs_a_name(client, auth):
    make_user("office", "clerk")
    auth.login("clerk")
    client.post("/settings/api-tokens", data={"name": "  "})
    assert db.session.scalars(db.select(ApiToken)).all() == []
