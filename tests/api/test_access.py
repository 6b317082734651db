"""Acceptance 2 and 3: a token acts with exactly its user's rights; stale If-Match changes nothing."""

from __future__ import annotations

import pytest

from tracker.api import operations as token_ops
from tracker.api.models import ApiToken
from tracker.api.problems import PROBLEM_MIMETYPE
from tracker.attendance.models import Attendance
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.reviews.models import ActionItem, ItemStatus

# --- review notes: the pages' confidentiality ----------------------------------------------------


def test_president_cannot_read_another_districts_review_note(client, world):
    response = client.get(f"/api/v1/review-notes/{world.note_b.id}", headers=world.headers("president"))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM_MIMETYPE
    assert "Confidential" not in response.get_data(as_text=True)


def test_president_cannot_read_their_own_districts_note_content(client, world):
    response = client.get(f"/api/v1/review-notes/{world.note_a.id}", headers=world.headers("president"))
    assert response.status_code == 404
    listing = client.get("/api/v1/review-notes", headers=world.headers("president"))
    assert listing.status_code == 403


def test_president_sees_only_their_own_action_items(client, world):
    response = client.get("/api/v1/action-items", headers=world.headers("president"))
    assert response.status_code == 200
    assert [item["id"] for item in response.get_json()["items"]] == [world.item_a.id]
    other = client.get(f"/api/v1/action-items/{world.item_b.id}", headers=world.headers("president"))
    assert other.status_code == 404


def test_reviewer_and_admin_read_the_note(client, world):
    for who in ("incharge", "admin"):
        response = client.get(f"/api/v1/review-notes/{world.note_b.id}", headers=world.headers(who))
        assert response.status_code == 200, who
        assert response.get_json()["private_remark"] == "Confidential remark"


def test_office_staff_learn_that_a_review_happened_not_its_content(client, world):
    listing = client.get("/api/v1/review-notes", headers=world.headers("office"))
    assert listing.status_code == 200
    assert listing.get_json()["total"] == 2
    assert "private_remark" not in listing.get_json()["items"][0]
    assert client.get(f"/api/v1/review-notes/{world.note_a.id}", headers=world.headers("office")).status_code == 404


def test_owner_updates_their_action_items_status(client, world):
    response = client.patch(f"/api/v1/action-items/{world.item_a.id}", headers=world.headers("president"),
                            json={"status": "in_progress", "progress_note": "Ward 12 done"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.get(ActionItem, world.item_a.id).status == ItemStatus.IN_PROGRESS
    other = client.patch(f"/api/v1/action-items/{world.item_b.id}", headers=world.headers("president"),
                         json={"status": "done"})
    assert other.status_code == 404
    assert db.session.get(ActionItem, world.item_b.id).status == ItemStatus.OPEN


# --- attendance ------------------------------------------------------------------------------------


def _mark(client, world, who, person, **body):
    return client.put(f"/api/v1/sessions/{world.session.id}/attendance/{person.id}", headers=world.headers(who),
                      json=body or {"status": "present"})


def _records():
    return db.session.scalars(db.select(Attendance)).all()


def test_president_cannot_change_attendance(client, world):
    for person in (world.president_a, world.president_b):
        response = _mark(client, world, "president", person)
        assert response.status_code == 403
        assert response.mimetype == PROBLEM_MIMETYPE
    assert _records() == []


def test_coordinator_marks_attendance(client, world, in_session):
    response = _mark(client, world, "coordinator", world.president_b)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "present" and body["person_id"] == world.president_b.id
    assert response.headers["ETag"]
    late = _mark(client, world, "coordinator", world.president_b, status="late")
    assert late.status_code == 422 and "late_at" not in late.get_json().get("errors", {})
    [record] = _records()
    assert record.status.value == "present"


def test_marking_someone_not_invited_is_refused(client, world):
    outsider = Person(name_en="Walk In", name_hi="वॉक इन")
    db.session.add(outsider)
    db.session.commit()
    response = _mark(client, world, "coordinator", outsider)
    assert response.status_code == 422
    assert _records() == []


def test_president_reads_only_their_own_attendance(client, world, in_session):
    assert _mark(client, world, "coordinator", world.president_a).status_code == 200
    assert _mark(client, world, "coordinator", world.president_b).status_code == 200
    mine = client.get("/api/v1/attendance", headers=world.headers("president")).get_json()
    assert [r["person_id"] for r in mine["items"]] == [world.president_a.id]
    theirs = client.get(f"/api/v1/sessions/{world.session.id}/attendance/{world.president_b.id}",
                        headers=world.headers("president"))
    assert theirs.status_code == 404  # as a missing record: the answer tells nothing (issue 17)


# --- tokens --------------------------------------------------------------------------------------


def test_revoked_token_gets_401(client, world):
    assert client.get("/api/v1/me", headers=world.headers("admin")).status_code == 200
    token = token_ops.resolve(world.tokens["admin"])
    token_ops.revoke_token(token)
    db.session.commit()
    response = client.get("/api/v1/me", headers=world.headers("admin"))
    assert response.status_code == 401
    assert response.mimetype == PROBLEM_MIMETYPE
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer trk_not-a-token", "Basic YWRtaW46cGFzcw==",
                                    "Token trk_x"])
def test_missing_or_invalid_token_gets_401(client, world, header):
    response = client.get("/api/v1/units", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_session_cookie_does_not_authenticate_the_api(client, auth, world):
    auth.login("api_admin")
    assert client.get("/settings").status_code == 200
    assert client.get("/api/v1/units").status_code == 401


def test_api_answers_set_no_cookie(client, world):
    response = client.get("/api/v1/me", headers=world.headers("president"))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_disabled_user_token_stops_working(client, world):
    world.users["admin"].is_active_flag = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=world.headers("admin")).status_code == 401


def test_only_a_hash_is_stored(world):
    stored = db.session.scalars(db.select(ApiToken)).all()
    secrets = set(world.tokens.values())
    assert stored and all(t.token_hash not in secrets and len(t.token_hash) == 64 for t in stored)
    assert all(t.prefix == next(s for s in secrets if s.startswith(t.prefix))[:12] for t in stored)


def test_api_writes_need_no_csrf_token(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/api/v1/people", headers=world.headers("admin"),
                           json={"name_en": "Anita Sharma", "mobile": "98765 43210"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["name_hi"]  # transliterated by the directory's operation
    assert response.get_json()["mobile"] == "+919876543210"


# --- If-Match (acceptance 3) -------------------------------------------------------------------------


def test_stale_if_match_gets_412_and_changes_nothing(client, world):
    url = f"/api/v1/people/{world.president_b.id}"
    first = client.get(url, headers=world.headers("admin"))
    etag = first.headers["ETag"]
    changed = client.patch(url, headers=world.headers("admin", **{"If-Match": etag}), json={"note": "First change"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    stale = client.patch(url, headers=world.headers("admin", **{"If-Match": etag}),
                         json={"note": "Overwrites the first", "name_en": "Someone Else"})
    assert stale.status_code == 412
    assert stale.mimetype == PROBLEM_MIMETYPE
    person = db.session.get(Person, world.president_b.id)
    assert person.note == "First change" and person.name_en == "Ramesh Verma"


def test_stale_if_match_on_attendance_changes_nothing(client, world, in_session):
    first = _mark(client, world, "coordinator", world.president_a)
    etag = first.headers["ETag"]
    assert _mark(client, world, "coordinator", world.president_a, status="excused").status_code == 200
    stale = client.put(f"/api/v1/sessions/{world.session.id}/attendance/{world.president_a.id}",
                       headers=world.headers("coordinator", **{"If-Match": etag}), json={"status": "absent"})
    assert stale.status_code == 412
    [record] = _records()
    assert record.status.value == "excused"


def test_matching_if_match_is_accepted_for_units(client, world):
    url = f"/api/v1/units/{world.district_b.id}"
    etag = client.get(url, headers=world.headers("admin")).headers["ETag"]
    response = client.patch(url, headers=world.headers("admin", **{"If-Match": etag}), json={"name_en": "Sehore"})
    assert response.status_code == 200


def test_staff_only_writes(client, world):
    for who in ("president", "coordinator", "incharge"):
        response = client.patch(f"/api/v1/units/{world.district_a.id}", headers=world.headers(who),
                                json={"name_en": "Hijacked"})
        assert response.status_code == 403, who


def test_validation_errors_are_field_problems_in_hindi(client, world):
    response = client.post("/api/v1/units", headers=world.headers("admin", **{"Accept-Language": "hi"}),
                           json={"level": "galaxy"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == 422 and set(body["errors"]) == {"code", "level"}
    assert response.headers["Content-Language"] == "hi"


def test_a_session_one_may_not_see_answers_as_a_missing_one(client, world):
    """Issue 17: no existence oracle through the attendance of a session one is not invited to."""
    from tests.factories import make_meeting, make_session

    hidden = make_session(make_meeting(title_en="Other meeting"))
    me = world.president_a.id
    for session_id in (hidden.id, 999999):
        assert client.get(f"/api/v1/sessions/{session_id}/attendance/{me}",
                          headers=world.headers("president")).status_code == 404
        assert client.put(f"/api/v1/sessions/{session_id}/attendance/{me}", json={"status": "present"},
                          headers=world.headers("president", **{"If-Match": "none"})).status_code == 404
