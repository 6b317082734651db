"""Issue 19: the API gains programme reports (``/api/v1/reports``) under the pages' policy: the office and the
in-charges read and verify every district's reports; a president reads their own district's only, and another
district's report is "not found"; each report lists its photos by key."""

from __future__ import annotations

import sqlalchemy as sa

from tests.reports.test_reports import _report
from tests.uploads import samples
from tracker.api import operations as token_ops
from tracker.extensions import db
from tracker.reports.models import ProgrammeReport, ReportStatus


def _token(user) -> dict:
    token = token_ops.create_token(user, "bot")[1]
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_reports_through_the_api_follow_the_pages_rules(client, world):
    own = _report(world, [(samples.jpeg(2000, 1500), "IMG_1.jpg")])
    other = _report(world, district=world.other_district)
    office = _token(world.users["office"])
    listed = client.get("/api/v1/reports", headers=office)
    assert listed.status_code == 200
    assert {i["id"] for i in listed.get_json()["items"]} == {own.id, other.id}
    by_division = client.get(f"/api/v1/reports?unit_id={world.district.parent_id}&status=submitted", headers=office)
    assert by_division.get_json()["total"] == 2
    one = client.get(f"/api/v1/reports/{own.id}", headers=office).get_json()
    assert one["district_unit_id"] == world.district.id and one["unit_ids"] == [world.blocks[0].id]
    (photo,) = one["files"]
    assert photo["content_type"] == "image/jpeg" and photo["url"] == f"/files/{photo['key']}"

    president = _token(world.users["president"])
    assert [i["id"] for i in client.get("/api/v1/reports", headers=president).get_json()["items"]] == [own.id]
    assert client.get(f"/api/v1/reports/{own.id}", headers=president).status_code == 200
    other_president = _token(world.users["other_president"])
    assert client.get(f"/api/v1/reports/{own.id}", headers=other_president).status_code == 404
    assert client.post(f"/api/v1/reports/{own.id}/review", json={}, headers=other_president).status_code == 404
    assert client.post(f"/api/v1/reports/{own.id}/review", json={}, headers=president).status_code == 403
    assert client.get("/api/v1/reports", headers=_token(world.users["coordinator"])).status_code == 403

    asked = client.post(f"/api/v1/reports/{other.id}/review", json={"question": "कितनी महिलाएँ आईं?"}, headers=office)
    assert asked.status_code == 200 and asked.get_json()["status"] == "questioned"
    assert asked.get_json()["question"] == "कितनी महिलाएँ आईं?"
    verified = client.post(f"/api/v1/reports/{own.id}/review", json={}, headers=_token(world.users["incharge"]))
    assert verified.status_code == 200 and verified.get_json()["status"] == "verified"
    db.session.expire_all()
    assert db.session.scalar(sa.select(ProgrammeReport.status).where(ProgrammeReport.id == own.id)) \
        == ReportStatus.VERIFIED
