"""Pass tokens are derived (an HMAC of the invitation id under the secret key), never stored."""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode

import sqlalchemy as sa
from flask import current_app

from tests.factories import make_person
from tracker.attendance import operations as ops
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.extensions import db
from tracker.meetings.models import Invitation, invitation_id_of_pass

HX = {"HX-Request": "true"}


def test_the_database_holds_no_pass_token(world):
    columns = {c["name"] for c in sa.inspect(db.session.connection()).get_columns("invitations")}
    assert "pass_token" not in columns and "pass_issued_at" in columns
    token = world.invitations[0].pass_token
    rows = db.session.execute(sa.text("SELECT * FROM invitations")).all()
    assert rows and not any(token in str(value) for row in rows for value in row)
    assert not any(str(value).endswith(token.split(".")[1]) for row in rows for value in row)


def test_a_token_is_the_id_and_its_mac_and_verifies(world):
    inv = world.invitations[0]
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"invitation-pass:{inv.id}".encode(), hashlib.sha256).digest()[:16]
    assert inv.pass_token == f"{inv.id}.{urlsafe_b64encode(mac).decode().rstrip('=')}"
    assert invitation_id_of_pass(inv.pass_token) == inv.id
    assert ops.find_pass(inv.pass_token).id == inv.id


def test_tokens_differ_per_invitation_and_change_with_the_secret_key(app, world):
    tokens = [inv.pass_token for inv in world.invitations]
    assert len(set(tokens)) == len(tokens) == len(world.invitations)
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another secret"
    try:
        again = [inv.pass_token for inv in world.invitations]
        assert not set(again) & set(tokens)
        assert ops.find_pass(tokens[0]) is None  # a pass made under the old key no longer checks in
    finally:
        app.config["SECRET_KEY"] = old_key


def test_a_tampered_or_foreign_token_is_refused(world):
    inv, other = world.invitations[0], world.invitations[1]
    token = inv.pass_token
    ident, mac = token.split(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    refused = [f"{ident}.{flipped}", f"{other.id}.{mac}", f"0{token}", f"{ident}.", f".{mac}", ident, mac,
               f"{ident}.{mac}x", f"{ident}.{mac[:-1]}", "", "१२.abc", f"{ident} .{mac}"]
    for code in refused:
        assert invitation_id_of_pass(code) is None, code
        assert ops.find_pass(code) is None, code


def test_a_walk_in_or_draft_row_has_no_pass_even_with_a_well_made_token(world):
    walk_in = db.session.get(Invitation, world.invitations[0].id)
    token = walk_in.pass_token
    walk_in.pass_issued_at = None
    db.session.commit()
    assert walk_in.pass_token is None
    assert ops.find_pass(token) is None


def test_scan_and_pass_page_with_a_derived_token_and_refusal_of_a_tampered_one(client, auth, world, coordinator):
    auth.login("coord")
    url = f"/attendance/sessions/{world.session.id}/scan"
    inv = world.invitations[0]
    ident, mac = inv.pass_token.split(".")
    tampered = f"{ident}.{mac[::-1]}"
    refused = client.post(url, data={"code": f"http://localhost/attendance/pass/{tampered}"}, headers=HX)
    assert "is-error" in refused.get_data(as_text=True)
    assert client.get(f"/attendance/pass/{tampered}").status_code == 404
    assert db.session.scalar(sa.select(Attendance.status).where(Attendance.person_id == inv.person_id)) is None
    page = client.get(f"/attendance/pass/{inv.pass_token}")
    assert page.status_code == 200
    scanned = client.post(url, data={"code": f"http://localhost/attendance/pass/{inv.pass_token}"}, headers=HX)
    assert "is-ok" in scanned.get_data(as_text=True)
    assert db.session.scalar(sa.select(Attendance.status).where(
        Attendance.session_id == world.session.id, Attendance.person_id == inv.person_id)) == AttendanceStatus.PRESENT


def test_the_badge_prints_the_derived_token_in_its_qr_link(client, auth, world, office):
    auth.login("officer")
    inv = world.invitations[0]
    html = client.get(f"/attendance/invitations/{inv.id}/pass").get_data(as_text=True)
    assert inv.pass_token in html
    walk_in = ops.add_walk_in(world.session, make_person(name_en="No Pass"), None)
    assert walk_in is not None
    db.session.commit()
    row = db.session.scalar(sa.select(Invitation).where(Invitation.person.has(name_en="No Pass")))
    assert row.pass_issued_at is None and row.pass_token is None
