"""The lists' filters by equality (tracker.api.common.where_equal) and the directory lists' archived
and text filters: each argument narrows the list to the rows it names, and only those."""

from __future__ import annotations

import pytest

from tracker.directory import operations as directory_ops
from tracker.extensions import db


def _ids(client, world, url: str) -> list[int]:
    response = client.get(url, headers=world.headers("office"))
    assert response.status_code == 200, (url, response.get_json())
    return sorted(item["id"] for item in response.get_json()["items"])


@pytest.mark.parametrize("query, expected", [
    ("status=published", lambda w: [w.meeting.id]),
    ("status=draft", lambda w: []),
    ("unit_id=999999", lambda w: []),
])
def test_meetings_by_status_and_host(client, world, query, expected):
    assert _ids(client, world, f"/api/v1/meetings?{query}") == expected(world)


def test_sessions_by_meeting_and_kind(client, world):
    assert _ids(client, world, f"/api/v1/sessions?meeting_id={world.meeting.id}&kind=group") == [world.session.id]
    assert _ids(client, world, "/api/v1/sessions?meeting_id=999999") == []


def test_action_items_by_owner_and_status(client, world):
    assert _ids(client, world, f"/api/v1/action-items?owner_person_id={world.president_a.id}") == [world.item_a.id]
    assert _ids(client, world, "/api/v1/action-items?status=open") == sorted([world.item_a.id, world.item_b.id])
    assert _ids(client, world, f"/api/v1/action-items?owner_person_id={world.president_b.id}&status=done") == []


def test_posts_by_person_and_role(client, world):
    response = client.get(f"/api/v1/posts?person_id={world.president_a.id}&role_code=district_president",
                          headers=world.headers("office")).get_json()
    assert [(p["person_id"], p["unit_id"]) for p in response["items"]] == [(world.president_a.id, world.district_a.id)]
    assert _ids(client, world, f"/api/v1/posts?person_id={world.president_a.id}&role_code=co_incharge") == []


def test_attendance_by_session_person_and_status(client, world, in_session):
    url = f"/api/v1/sessions/{world.session.id}/attendance"
    for person, status in ((world.president_a, "present"), (world.president_b, "absent")):
        response = client.put(f"{url}/{person.id}", json={"status": status}, headers=world.headers("office"))
        assert response.status_code == 200, response.get_json()

    def people(query: str) -> list[int]:
        body = client.get(f"/api/v1/attendance?{query}", headers=world.headers("office")).get_json()
        return sorted(record["person_id"] for record in body["items"])

    both = sorted([world.president_a.id, world.president_b.id])
    assert people(f"session_id={world.session.id}") == both
    assert people(f"session_id={world.session.id}&status=absent") == [world.president_b.id]
    assert people(f"person_id={world.president_a.id}") == [world.president_a.id]
    assert people("session_id=999999") == []


def test_units_and_people_leave_out_the_archived_unless_asked(client, world):
    person = directory_ops.create_person({"name_en": "Archived Person", "name_hi": "संग्रहीत व्यक्ति"})
    directory_ops.archive_person(person)
    db.session.commit()
    assert person.id not in _ids(client, world, "/api/v1/people?q=archived")
    assert _ids(client, world, "/api/v1/people?q=archived&include_archived=true") == [person.id]
    assert _ids(client, world, "/api/v1/people?q=ARCHIVED+PERSON&include_archived=true") == [person.id]
    districts = _ids(client, world, f"/api/v1/units?level=district&parent_id={world.division.id}")
    assert districts == sorted([world.district_a.id, world.district_b.id])
    assert _ids(client, world, f"/api/v1/units?level=division&parent_id={world.division.id}") == []
