"""The pages of programme reports: writing one with photos, reading it, the office verifying it or asking a
question (seen on the president's home), and the denials by typed URL, photos included."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from tests.uploads import samples
from tracker.extensions import db
from tracker.reports.models import ProgrammeReport, ReportStatus
from tracker.timeutil import today_local
from tracker.uploads.models import StoredFile


def _form(world, **kw):
    data = {"district_id": str(world.district.id), "kind_id": str(world.kinds["rally"].id),
            "held_on": today_local().isoformat(), "place": "Biaora", "participants": "250",
            "account": "A rally against price rise.", "links": "https://example.org/a",
            "unit_ids": [str(world.blocks[1].id)], "client_key": "key-123"}
    data.update(kw)
    return data


def _files(n=2):
    return [(io.BytesIO(samples.jpeg(2400, 1800)), f"IMG_{i}.jpg") for i in range(n)]


def test_a_president_reports_from_the_home_page_and_others_are_denied(world, client, auth):
    auth.login("u_president")
    home = client.get("/home", follow_redirects=True)
    assert home.status_code == 200 and 'id="report-a-programme"' in home.get_data(as_text=True)
    page = client.get("/reports/new")
    assert page.status_code == 200 and "Biaora" in page.get_data(as_text=True)
    sent = client.post("/reports/new", data={**_form(world), "files": _files()},
                       content_type="multipart/form-data")
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    report = db.session.scalar(sa.select(ProgrammeReport))
    assert report.participants == 250 and report.district_unit_id == world.district.id
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    keys = re.findall(r'/files/([A-Za-z0-9_-]{32})', page)
    assert len(set(keys)) == 2
    assert client.get(f"/files/{keys[0]}").status_code == 200
    # The same report sent again by the phone's queue (same key) is the same report.
    again = client.post("/reports/new", data={**_form(world), "files": _files()}, content_type="multipart/form-data",
                        headers={"Accept": "application/json"})
    assert again.status_code == 201 and again.json["id"] == report.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 2
    auth.logout()

    auth.login("u_other_president")
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.get(f"/files/{keys[0]}").status_code == 404
    assert client.post(f"/reports/{report.id}/verify").status_code == 404
    listing = client.get("/reports/").get_data(as_text=True)
    assert f"/reports/{report.id}" not in listing
    # Nor may they write a report for another district.
    refused = client.post("/reports/new", data={**_form(world, client_key="k2"), "files": _files(1)},
                          content_type="multipart/form-data")
    assert refused.status_code in (200, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeReport)) == 1
    auth.logout()

    auth.login("u_coordinator")
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.get(f"/files/{keys[0]}").status_code == 404


def test_the_office_verifies_and_an_incharge_asks_a_question_seen_on_the_presidents_home(world, client, auth):
    from tracker.reports import operations as ops

    report = ops.submit_report(world.users["president"], world.district, ops.ReportData(
        world.kinds["training"].id, today_local(), "Rajgarh office", 40), [], None)
    db.session.commit()

    auth.login("u_incharge")
    listing = client.get(f"/reports/?district={world.district.id}&kind={world.kinds['training'].id}&status=submitted")
    assert f"/reports/{report.id}" in listing.get_data(as_text=True)
    assert client.post(f"/reports/{report.id}/question", data={"question": "Who trained them?"}).status_code == 302
    auth.logout()

    auth.login("u_president")
    home = client.get("/home", follow_redirects=True).get_data(as_text=True)
    assert "Who trained them?" in home
    assert client.post(f"/reports/{report.id}/verify").status_code == 403
    auth.logout()

    auth.login("u_office")
    assert client.post(f"/reports/{report.id}/verify").status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeReport, report.id).status == ReportStatus.VERIFIED
    assert client.get("/reports/kinds").status_code == 200
    added = client.post("/reports/kinds", data={"name_hi": "पदयात्रा", "name_en": "Padyatra"})
    assert added.status_code == 302


def test_a_refused_file_is_shown_on_the_form_and_nothing_is_kept(world, client, auth):
    auth.login("u_president")
    bomb = (io.BytesIO(samples.zip_bomb()), "photo.jpg")
    page = client.post("/reports/new", data={**_form(world), "files": [bomb]}, content_type="multipart/form-data")
    assert page.status_code == 200
    assert "photo.jpg" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeReport)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
