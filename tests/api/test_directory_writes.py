"""Office staff write the directory through the API, by the directory's own operations."""

from __future__ import annotations

from datetime import date

from tracker.directory.models import Post, Unit
from tracker.extensions import db


def test_create_unit_and_refusal_reasons(client, world):
    headers = world.headers("office", **{"Accept-Language": "en"})
    created = client.post("/api/v1/units", headers=headers,
                          json={"code": "raisen", "level": "district", "parent_id": world.division.id,
                                "name_en": "Raisen"})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["name_hi"] and body["district_kind"] == "whole" and created.headers["ETag"]
    duplicate = client.post("/api/v1/units", headers=headers,
                            json={"code": "raisen", "level": "district", "parent_id": world.division.id,
                                  "name_en": "Raisen again"})
    assert duplicate.status_code == 422
    assert "raisen" in duplicate.get_json()["detail"]
    orphan = client.post("/api/v1/units", headers=headers, json={"code": "lost", "level": "block", "name_en": "Lost"})
    assert orphan.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Unit)) == 5  # the world's four and Raisen


def test_appoint_replaces_the_president_and_ends_the_old_term(client, world):
    newcomer = client.post("/api/v1/people", headers=world.headers("admin"),
                           json={"name_hi": "अनीता शर्मा", "mobile": "+91 98260 12345"}).get_json()
    response = client.post("/api/v1/posts", headers=world.headers("admin"),
                           json={"person_id": newcomer["id"], "unit_id": world.district_a.id,
                                 "role_code": "district_president", "start_date": "2026-01-01"})
    assert response.status_code == 201, response.get_data(as_text=True)
    old = db.session.scalars(db.select(Post).where(Post.person_id == world.president_a.id)).one()
    assert old.end_date == date(2025, 12, 31)
    current = client.get(f"/api/v1/posts?unit_id={world.district_a.id}&current_on=2026-02-01",
                         headers=world.headers("office")).get_json()
    assert [p["person_id"] for p in current["items"]] == [newcomer["id"]]
    unknown = client.post("/api/v1/posts", headers=world.headers("admin"),
                          json={"person_id": 999999, "unit_id": world.district_a.id,
                                "role_code": "district_president", "start_date": "2026-01-01"})
    assert unknown.status_code == 422 and "person_id" in unknown.get_json()["errors"]


def test_filters_on_people_and_units(client, world):
    headers = world.headers("office")
    people = client.get(f"/api/v1/people?unit_id={world.district_b.id}", headers=headers).get_json()
    assert [p["id"] for p in people["items"]] == [world.president_b.id]
    found = client.get("/api/v1/people?q=praveen", headers=headers).get_json()
    assert [p["id"] for p in found["items"]] == [world.president_a.id]
    districts = client.get(f"/api/v1/units?level=district&parent_id={world.division.id}", headers=headers).get_json()
    assert {u["code"] for u in districts["items"]} == {"bhopal_city", "sehore"}


def test_president_reads_only_their_own_person_and_posts(client, world):
    headers = world.headers("president")
    assert client.get(f"/api/v1/people/{world.president_a.id}", headers=headers).status_code == 200
    # Another district's person or post answers as a missing one (issue 17).
    assert client.get(f"/api/v1/people/{world.president_b.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/people/999999", headers=headers).status_code == 404
    other_post = world.president_b.posts[0].id
    assert client.get(f"/api/v1/posts/{other_post}", headers=headers).status_code == 404
    assert client.get("/api/v1/posts/999999", headers=headers).status_code == 404
    assert client.get(f"/api/v1/posts/{world.president_a.posts[0].id}", headers=headers).status_code == 200
    listed = client.get("/api/v1/people", headers=headers).get_json()
    assert [p["id"] for p in listed["items"]] == [world.president_a.id]
    posts = client.get("/api/v1/posts", headers=headers).get_json()
    assert {p["person_id"] for p in posts["items"]} == {world.president_a.id}


def test_a_name_whose_transliteration_does_not_fit_is_kept_within_the_column(client, world):
    # 60 Latin letters transliterate into more Devanagari characters than the column holds: the
    # directory keeps the suggested other-script name within it (on both databases, never a 500).
    response = client.post("/api/v1/people", headers=world.headers("admin"),
                           json={"name_en": "x" * 60, "preferred_channel": "none"})
    assert response.status_code == 201
    assert 0 < len(response.get_json()["name_hi"]) <= 200
    # A name typed too long is refused with a reason.
    response = client.post("/api/v1/people", headers=world.headers("admin"),
                           json={"name_en": "y" * 201, "preferred_channel": "none"})
    assert response.status_code == 422 and response.get_json()["detail"]
