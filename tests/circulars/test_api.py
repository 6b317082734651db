"""``GET /api/v1/me/circulars`` for a bot, and the acknowledgement and answer through the API."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tracker.api import operations as token_ops
from tracker.circulars import operations as ops
from tracker.circulars.models import AnswerKind, CircularRecipient, RecipientScope
from tracker.extensions import db
from tracker.timeutil import now_utc


def _token(user) -> dict:
    token = token_ops.create_token(user, "bot")[1]
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _send(world, kind=AnswerKind.NUMBER, title="Booth committees"):
    draft = ops.Draft(title=title, body="How many?", answer_kind=kind, due_on=date(2026, 12, 10),
                      scope=RecipientScope.DIVISION, division_id=world.region.divisions[0].id)
    circular = ops.send_circular(world.office, draft, now_utc(), date(2026, 12, 1))
    db.session.commit()
    return circular


def test_a_president_reads_and_answers_their_circulars_through_the_api(client, world):
    number = _send(world)
    ack = _send(world, AnswerKind.ACKNOWLEDGE, "Read the constitution")
    headers = _token(world.president_logins[0])  # Bhopal City
    listed = client.get("/api/v1/me/circulars", headers=headers)
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert [(i["id"], i["answer_kind"], i["due_on"], i["state"]) for i in items] == [
        (number.id, "number", "2026-12-10", "not_read"), (ack.id, "acknowledge", "2026-12-10", "not_read")]

    assert client.post(f"/api/v1/me/circulars/{number.id}/answer", json={"text": "many"},
                       headers=headers).status_code == 422
    answered = client.post(f"/api/v1/me/circulars/{number.id}/answer", json={"number": 17}, headers=headers)
    assert answered.status_code == 200 and answered.get_json()["state"] == "answered"
    assert client.post(f"/api/v1/me/circulars/{ack.id}/acknowledge", json={}, headers=headers).status_code == 200
    rows = db.session.scalars(sa.select(CircularRecipient).where(
        CircularRecipient.district_unit_id == world.district("bhopal_city").id)).all()
    assert sorted((r.answer_number or 0, r.completed_at is not None) for r in rows) == [(0, True), (17, True)]
    assert client.get("/api/v1/me/circulars", headers=headers).get_json()["items"] == []


def test_the_api_refuses_other_districts_and_other_roles(client, world):
    circular = _send(world)
    indore = _token(world.president_logins[-1])  # Indore City: not a recipient
    assert client.get("/api/v1/me/circulars", headers=indore).get_json()["items"] == []
    for path in (f"/api/v1/me/circulars/{circular.id}/answer", "/api/v1/me/circulars/999999/answer"):
        assert client.post(path, json={"number": 1}, headers=indore).status_code == 404
    office = _token(world.office)
    assert client.get("/api/v1/me/circulars", headers=office).status_code == 403
    assert client.post(f"/api/v1/me/circulars/{circular.id}/acknowledge", json={}, headers=office).status_code == 403
