from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_person
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.extensions import db

S = AttendanceStatus
HX = {"HX-Request": "true"}


def _status(world, person):
    return db.session.scalar(sa.select(Attendance.status).where(
        Attendance.session_id == world.session.id, Attendance.person_id == person.id))


def _mark_url(world, person, action="mark"):
    return f"/attendance/sessions/{world.session.id}/people/{person.id}/{action}"


def _english(client):
    client.post("/locale", data={"locale": "en"})


def test_roster_groups_by_division_and_district_with_counts(client, auth, world, coordinator):
    auth.login("coord")
    html = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert "6 में से 0 उपस्थित" in html and "अध्यक्ष 6" in html
    _english(client)
    html = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert "Present 0 of 6" in html and "President 6" in html
    division = html.index("Division 1")
    assert division < html.index("District 1") < html.index("President 1") < html.index("Division 2")


def test_one_tap_marks_present_and_returns_the_saved_row(client, auth, world, coordinator):
    auth.login("coord")
    person = world.people[0]
    response = client.post(_mark_url(world, person), data={"status": "present"}, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="att-{person.id}"' in html and "save-status saved" in html and 'hx-swap-oob="true"' in html
    assert _status(world, person) == S.PRESENT
    # a retried POST (lost response) is harmless
    assert client.post(_mark_url(world, person), data={"status": "present"}, headers=HX).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1


def test_late_with_time_excused_absent_and_represented(client, auth, world, coordinator):
    auth.login("coord")
    p = world.people
    client.post(_mark_url(world, p[0]), data={"status": "late", "late_time": "11:20"}, headers=HX)
    client.post(_mark_url(world, p[1]), data={"status": "excused"}, headers=HX)
    client.post(_mark_url(world, p[2]), data={"status": "absent"})
    deputy = make_person(name_en="Deputy Person")
    client.post(_mark_url(world, p[3]), data={"status": "represented", "represented_by_person_id": deputy.id},
                headers=HX)
    client.post(_mark_url(world, p[4]), data={"status": "represented", "represented_by_name": "Typed Name"},
                headers=HX)
    assert [_status(world, x) for x in p[:5]] == [S.LATE, S.EXCUSED, S.ABSENT, S.REPRESENTED, S.REPRESENTED]
    late = db.session.scalar(sa.select(Attendance).where(Attendance.person_id == p[0].id))
    from tracker.timeutil import to_local
    assert to_local(late.late_at).strftime("%H:%M") == "11:20"


def test_undo_through_the_page(client, auth, world, coordinator):
    auth.login("coord")
    person = world.people[0]
    client.post(_mark_url(world, person), data={"status": "present"}, headers=HX)
    client.post(_mark_url(world, person), data={"status": "absent"}, headers=HX)
    version = db.session.scalar(sa.select(Attendance.version).where(Attendance.person_id == person.id))
    response = client.post(_mark_url(world, person, "undo"), data={"version": version}, headers=HX)
    assert response.status_code == 200 and _status(world, person) == S.PRESENT


def test_a_locked_session_refuses_marks_with_a_message(client, auth, world, office, admin):
    auth.login("officer")
    _english(client)
    assert client.post(f"/attendance/sessions/{world.session.id}/lock").status_code == 302
    response = client.post(_mark_url(world, world.people[0]), data={"status": "present"}, headers=HX)
    assert response.status_code == 200 and "closed" in response.get_data(as_text=True)
    assert _status(world, world.people[0]) is None
    scan = client.post(f"/attendance/sessions/{world.session.id}/scan",
                       data={"code": world.invitations[0].pass_token}, headers=HX).get_data(as_text=True)
    assert "is-error" in scan and "closed" in scan and _status(world, world.people[0]) is None
    assert client.post(f"/attendance/sessions/{world.session.id}/reopen").status_code == 403
    auth.logout()
    auth.login("boss")
    assert client.post(f"/attendance/sessions/{world.session.id}/reopen").status_code == 302
    client.post(_mark_url(world, world.people[0]), data={"status": "present"}, headers=HX)
    assert _status(world, world.people[0]) == S.PRESENT


def test_scan_success_repeat_wrong_session_forged_and_revoked(client, auth, world, coordinator):
    from tests.attendance.conftest import build_world
    from tracker.timeutil import now_utc

    other = build_world(n_people=1, prefix="Other ")
    auth.login("coord")
    url = f"/attendance/sessions/{world.session.id}/scan"
    inv = world.invitations[0]
    first = client.post(url, data={"code": f"http://localhost/attendance/pass/{inv.pass_token}"}, headers=HX)
    assert "att-scan-message is-ok" in first.get_data(as_text=True)
    assert _status(world, world.people[0]) == S.PRESENT
    again = client.post(url, data={"code": inv.pass_token}, headers=HX).get_data(as_text=True)
    assert "is-repeat" in again
    wrong = client.post(url, data={"code": other.invitations[0].pass_token}, headers=HX).get_data(as_text=True)
    assert "is-error" in wrong and _status(other, other.people[0]) is None
    forged = client.post(url, data={"code": "not-a-real-token"}, headers=HX).get_data(as_text=True)
    assert "is-error" in forged
    world.invitations[1].pass_revoked_at = now_utc()
    db.session.commit()
    revoked = client.post(url, data={"code": world.invitations[1].pass_token}, headers=HX).get_data(as_text=True)
    assert "is-error" in revoked and _status(world, world.people[1]) is None
    as_json = client.post(url, data={"code": "forged"}, headers={"Accept": "application/json"})
    assert as_json.status_code == 409 and as_json.get_json()["ok"] is False


def test_walk_in_from_the_directory_and_new(client, auth, world, coordinator):
    auth.login("coord")
    known = make_person(name_en="Known Walkin")
    response = client.post(f"/attendance/sessions/{world.session.id}/walk-in/pick", data={"person_id": known.id})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Attendance.is_walk_in).where(Attendance.person_id == known.id))
    response = client.post(f"/attendance/sessions/{world.session.id}/walk-in",
                           data={"new-name": "Naya Vyakti", "new-mobile": "9876543210"})
    assert response.status_code == 302
    from tracker.directory.models import Person

    new = db.session.scalar(sa.select(Person).where(Person.name_en == "Naya Vyakti"))
    assert new.mobile == "+919876543210"
    roster = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert f'id="att-{known.id}"' in roster and f'id="att-{new.id}"' in roster
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(Attendance.is_walk_in)) == 2


def test_pages_render(client, auth, world, coordinator, office):
    auth.login("officer")
    for url in ["/attendance/", f"/attendance/sessions/{world.session.id}",
                f"/attendance/sessions/{world.session.id}?q=President 2",
                f"/attendance/sessions/{world.session.id}/people/{world.people[0].id}",
                f"/attendance/sessions/{world.session.id}/walk-in?q=President",
                f"/attendance/sessions/{world.session.id}/representatives?q=Pres&for={world.people[0].id}",
                f"/attendance/sessions/{world.session.id}/passes",
                f"/attendance/invitations/{world.invitations[0].id}/pass",
                f"/attendance/pass/{world.invitations[0].pass_token}"]:
        response = client.get(url)
        assert response.status_code == 200, url
