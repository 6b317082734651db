"""A resource calls the operation; the request transaction and the API's handlers turn a refusal
into a 422 problem and a database conflict into a 409 problem, with nothing written."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.api.problems import PROBLEM_MIMETYPE
from tracker.directory import operations as ops
from tracker.directory.models import Unit
from tracker.extensions import db


def _units() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def test_a_refusal_is_a_422_problem_in_the_callers_language(client, world):
    before = _units()
    body = {"code": world.district_a.code, "level": "district", "parent_id": world.division.id, "name_en": "Again"}
    english = client.post("/api/v1/units", headers=world.headers("office", **{"Accept-Language": "en"}), json=body)
    assert english.status_code == 422 and english.mimetype == PROBLEM_MIMETYPE
    problem = english.get_json()
    assert problem["type"] == "urn:tracker:problem:invalid-data" and problem["title"] == "Invalid data"
    assert problem["detail"].startswith(f"The code {world.district_a.code} is already used by")
    hindi = client.post("/api/v1/units", headers=world.headers("office", **{"Accept-Language": "hi"}), json=body)
    assert hindi.status_code == 422 and hindi.get_json()["detail"] != problem["detail"]
    assert _units() == before


def test_a_refusal_that_names_its_field_lists_it_among_the_errors(client, world, monkeypatch):
    create_unit = ops.create_unit

    def refuse(data):
        create_unit({**data, "code": "written-first"})
        raise ops.DirectoryError("Not this parent.", field="parent_id")

    monkeypatch.setattr(ops, "create_unit", refuse)
    before = _units()
    response = client.post("/api/v1/units", headers=world.headers("office"),
                           json={"code": "raisen", "level": "district", "parent_id": world.division.id,
                                 "name_en": "Raisen"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"parent_id": ["Not this parent."]}
    assert _units() == before  # the unit the operation wrote before refusing is rolled back


def test_a_conflict_the_database_reports_is_a_409_problem(client, world, monkeypatch):
    create_unit = ops.create_unit

    def conflict(data):
        create_unit({**data, "code": "written-first"})
        raise sa.exc.IntegrityError("INSERT …", {}, Exception("unique constraint"))

    monkeypatch.setattr(ops, "create_unit", conflict)
    before = _units()
    response = client.post("/api/v1/units", headers=world.headers("office", **{"Accept-Language": "en"}),
                           json={"code": "raisen", "level": "district", "parent_id": world.division.id,
                                 "name_en": "Raisen"})
    assert response.status_code == 409 and response.mimetype == PROBLEM_MIMETYPE
    assert response.get_json()["detail"] == "The change conflicts with other records; nothing was saved."
    assert _units() == before
