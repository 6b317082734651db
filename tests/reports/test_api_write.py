"""Issue 19: ``POST /api/v1/reports`` writes a programme report with its photos (multipart: the form's fields
and its files) under the form's rules and operation, idempotent by ``client_key``; ``/api/v1/files/{key}``
gives a token the files it may see. Hostile and denied requests store nothing."""

from __future__ import annotations

import io

import sqlalchemy as sa

from tests.reports.test_api import _token
from tests.uploads import samples
from tracker.extensions import db
from tracker.reports.models import ProgrammeReport
from tracker.timeutil import today_local
from tracker.uploads.models import StoredFile


def _form(world, **kw) -> dict:
    data = {"district_unit_id": str(world.district.id), "kind_id": str(world.kinds["rally"].id),
            "held_on": today_local().isoformat(), "place": "ब्यावरा बस स्टैंड", "participants": "320",
            "account": "महँगाई के विरोध में रैली।", "links": "https://example.org/news/1",
            "unit_ids": [str(world.blocks[0].id)], "client_key": "phone-1-report-1"}
    data.update(kw)
    return data


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_president_posts_a_report_with_photos_once(client, world):
    president = _token(world.users["president"])
    body = _form(world, files=[(io.BytesIO(samples.jpeg(3000, 2000)), "IMG_1.jpg"),
                               (io.BytesIO(samples.jpeg(1200, 900, gps=False)), "IMG_2.jpg")])
    created = client.post("/api/v1/reports", data=body, headers=president, content_type="multipart/form-data")
    assert created.status_code == 201, created.get_json()
    report = created.get_json()
    assert (report["place"], report["participants"], report["district_unit_id"]) == (
        "ब्यावरा बस स्टैंड", 320, world.district.id)
    assert report["unit_ids"] == [world.blocks[0].id] and len(report["files"]) == 2
    assert _count(ProgrammeReport) == 1 and _count(StoredFile) == 2

    # Sent again with the same key (the phone did not hear the answer): the same report, nothing added.
    again = client.post("/api/v1/reports", headers=president, content_type="multipart/form-data",
                        data=_form(world, files=[(io.BytesIO(samples.jpeg(800, 600)), "IMG_1.jpg")]))
    assert again.status_code == 200 and again.get_json()["id"] == report["id"]
    assert _count(ProgrammeReport) == 1 and _count(StoredFile) == 2

    # The token fetches the photo it may see, re-encoded; another district's president may not.
    key = report["files"][0]["key"]
    photo = client.get(f"/api/v1/files/{key}", headers=president)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and photo.data[:2] == b"\xff\xd8"
    assert client.get(f"/api/v1/files/{key}", headers=_token(world.users["other_president"])).status_code == 404
    assert client.get(f"/api/v1/files/{key}", headers=_token(world.users["office"])).status_code == 200
    assert client.get(f"/api/v1/files/{key}").status_code == 401
    assert client.get("/api/v1/files/not-a-key", headers=president).status_code == 404


def test_hostile_and_denied_reports_store_nothing(client, world):
    president = _token(world.users["president"])
    other = _token(world.users["other_president"])

    def post(token, **kw):
        return client.post("/api/v1/reports", headers=token, content_type="multipart/form-data",
                           data=_form(world, **kw))

    # Another district's president may not write for this district, nor reuse this district's key.
    assert post(other, client_key="other-key").status_code == 422
    assert post(president).status_code == 201
    assert post(other).status_code == 409
    assert post(_token(world.users["coordinator"]), client_key="coord").status_code == 403
    assert _count(ProgrammeReport) == 1
    # A zip bomb named .jpg, a file that is not what its name says, a block of another district, a bad date:
    # refused with a message, nothing stored.
    for kw in ({"files": [(io.BytesIO(samples.zip_bomb()), "photo.jpg")]},
               {"files": [(io.BytesIO(b"#!/bin/sh\nrm -rf /\n" * 50), "photo.jpg")]},
               {"unit_ids": ["999999"]},
               {"held_on": "0001-01-01"},
               {"participants": "-5"},
               {"place": ""}):
        refused = post(president, client_key=f"k-{len(str(kw))}", **kw)
        assert refused.status_code in (400, 422), (kw, refused.status_code)
        assert refused.get_json().get("detail") or refused.get_json().get("errors"), kw
    assert _count(ProgrammeReport) == 1 and _count(StoredFile) == 0
    assert client.post("/api/v1/reports", data=_form(world), content_type="multipart/form-data").status_code == 401
