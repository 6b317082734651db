"""The phone's offline queue, replayed through POST /attendance/sessions/<id>/sync (tracker.attendance.sync)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tests.attendance.conftest import build_world, bulk_world
from tracker.attendance.models import Attendance, AttendanceStatus, SyncReceipt
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import now_utc

S = AttendanceStatus


def _url(session):
    return f"/attendance/sessions/{session.id}/sync"


def _mark(person, status="present", at=None, client_id=None):
    return {"client_id": client_id or str(uuid.uuid4()), "kind": "mark", "person_id": person.id, "status": status,
            "marked_at": (at or now_utc()).isoformat()}


def _send(client, session, items):
    return client.post(_url(session), json={"items": items})


def _records(session):
    return db.session.execute(sa.select(Attendance.person_id, Attendance.status, Attendance.marked_at)
                              .where(Attendance.session_id == session.id)).all()


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_replayed_queue_is_written_once(client, auth, world, coordinator):
    auth.login("coord")
    items = [_mark(p) for p in world.people[:3]] + [_mark(world.people[3], "absent")]
    first = _send(client, world.session, items)
    assert first.status_code == 200
    answers = first.get_json()["items"]
    assert [a["client_id"] for a in answers] == [i["client_id"] for i in items]
    assert [a["state"] for a in answers] == ["saved"] * 4
    assert [a["status"] for a in answers] == ["present"] * 3 + ["absent"]
    assert answers[0]["status_title"] == "उपस्थित"
    # a short batch sends back the saved rows as the roster renders them (with the undo) and the counts
    rows = first.get_json()["rows"]
    assert set(rows) == {str(p.id) for p in world.people[:4]}
    assert f'id="att-{world.people[0].id}"' in rows[str(world.people[0].id)] and "att-undo" in rows[str(world.people[0].id)]
    assert "6 में से 3 उपस्थित" in first.get_json()["counts_html"]
    audit_before = _count(AuditEntry)
    # the answer was lost: the whole queue again, twice, with one new item at the end
    again = items + [_mark(world.people[4])]
    for _ in range(2):
        replay = _send(client, world.session, again).get_json()["items"]
        assert [a["state"] for a in replay] == ["saved"] * 5
    assert len(_records(world.session)) == 5
    assert _count(SyncReceipt) == 5
    assert _count(AuditEntry) == audit_before + 1  # only the new item made a history entry


def test_500_queued_marks_in_batches_of_the_page(client, auth, coordinator):
    from tracker.attendance.sync import BATCH_SIZE
    from tracker.meetings.models import Invitation

    world = bulk_world(500, marked_share=0)
    auth.login("coord")

    person_ids = db.session.scalars(sa.select(Invitation.person_id)
                                    .where(Invitation.session_id == world.session.id)).all()
    items = [{"client_id": str(uuid.uuid4()), "kind": "mark", "person_id": pid, "status": "present",
              "marked_at": now_utc().isoformat()} for pid in person_ids]
    for start in range(0, len(items), BATCH_SIZE):
        assert _send(client, world.session, items[start:start + BATCH_SIZE]).status_code == 200
    # a replay of everything in one request changes nothing
    answers = _send(client, world.session, items).get_json()["items"]
    assert len(answers) == 500 and {a["state"] for a in answers} == {"saved"}
    rows = _records(world.session)
    assert len(rows) == 500 and len({r.person_id for r in rows}) == 500
    assert _count(SyncReceipt) == 500


def test_the_later_mark_wins_by_phone_time_clamped_and_history_keeps_both(client, auth, world, coordinator):
    auth.login("coord")
    person = world.people[0]
    now = now_utc()
    # phone B marked absent 5 minutes ago, its queue arrives first
    _send(client, world.session, [_mark(person, "absent", now - timedelta(minutes=5))])
    # phone A marked present 10 minutes ago, arrives later: the earlier mark loses
    answer = _send(client, world.session, [_mark(person, "present", now - timedelta(minutes=10))]).get_json()
    assert answer["items"][0]["state"] == "saved" and answer["items"][0]["superseded"] is True
    assert answer["items"][0]["status"] == "absent"  # both phones show the final state
    ((_pid, status, marked_at),) = _records(world.session)
    assert status == S.ABSENT
    assert abs((marked_at - (now - timedelta(minutes=5))).total_seconds()) < 1
    attendance_id = db.session.scalar(sa.select(Attendance.id).where(Attendance.person_id == person.id))
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type == "attendance", AuditEntry.entity_id == attendance_id).order_by(AuditEntry.id)).all()
    assert actions == ["create", "superseded"]
    history = client.get(f"/attendance/sessions/{world.session.id}/people/{person.id}").get_data(as_text=True)
    assert "दूसरे फ़ोन पर पहले दर्ज" in history  # the History section names the mark that did not stand
    # a phone whose clock runs ahead cannot win every conflict: its time is clamped to its arrival
    _send(client, world.session, [_mark(person, "excused", now + timedelta(days=1))])
    _send(client, world.session, [_mark(person, "present")])  # made (and arriving) after the one above
    assert _records(world.session)[0].status == S.PRESENT
    # nor earlier than the window's start: a phone whose clock is a year behind still counts as marked then
    other = world.people[1]
    _send(client, world.session, [_mark(other, "present", now - timedelta(days=365))])
    from tracker.attendance.sync import window_start

    stored = db.session.scalar(sa.select(Attendance.marked_at).where(Attendance.person_id == other.id))
    assert abs((stored - window_start(world.session)).total_seconds()) < 1


def test_a_mark_made_in_the_window_is_kept_when_it_arrives_after_it_closed(client, auth, coordinator):
    world = build_world(n_people=2, starts_in_minutes=-3 * 24 * 60)  # the session was three days ago
    auth.login("coord")
    made = world.session.starts_at + timedelta(minutes=20)
    answer = _send(client, world.session, [_mark(world.people[0], "present", made)]).get_json()["items"][0]
    assert answer["state"] == "saved"
    ((_pid, status, marked_at),) = _records(world.session)
    assert status == S.PRESENT and abs((marked_at - made).total_seconds()) < 1


def test_refused_items_have_their_reason_in_hindi_and_do_not_stop_the_others(client, auth, world, coordinator):
    from tracker.attendance.operations import lock

    stranger = build_world(n_people=1, prefix="Other ").people[0]
    auth.login("coord")
    items = [_mark(stranger), _mark(world.people[0]),
             {"client_id": str(uuid.uuid4()), "kind": "pass", "code": "ZZZZZZ", "marked_at": now_utc().isoformat()},
             {"client_id": str(uuid.uuid4()), "kind": "pass", "code": world.invitations[1].pass_token}]
    answers = _send(client, world.session, items).get_json()["items"]
    assert [a["state"] for a in answers] == ["refused", "saved", "refused", "saved"]
    assert "रोस्टर" in answers[0]["reason"] or "सूची" in answers[0]["reason"]
    assert "पास" in answers[2]["reason"]
    assert answers[3]["person_id"] == world.people[1].id and answers[3]["status"] == "present"
    assert answers[3]["name"] == "अध्यक्ष 2" and answers[3]["message"] and not answers[3]["already"]
    # the session is locked meanwhile: a new item is refused with the reason; a replay keeps its answer
    lock(world.session)
    db.session.commit()
    late = _mark(world.people[2])
    answers = _send(client, world.session, [*items, late]).get_json()["items"]
    assert [a["state"] for a in answers] == ["refused", "saved", "refused", "saved", "refused"]
    assert "बंद" in answers[4]["reason"]
    assert {r.person_id for r in _records(world.session)} == {world.people[0].id, world.people[1].id}


def test_bad_requests_and_access(client, auth, world, coordinator, log_in_as):
    # signed out: 401 with the sign-in page, the phone keeps its queue
    signed_out = _send(client, world.session, [_mark(world.people[0])])
    assert signed_out.status_code == 401 and "/login" in signed_out.get_json()["login_url"]
    auth.login("coord")
    assert _send(client, world.session, []).status_code == 400
    assert _send(client, world.session, [{"client_id": "not-a-uuid", "kind": "mark"}]).status_code == 400
    same = str(uuid.uuid4())
    assert _send(client, world.session, [_mark(world.people[0], client_id=same),
                                         _mark(world.people[1], client_id=same)]).status_code == 400
    assert _records(world.session) == []
    # a district president may not mark the roster; another's session is not even shown
    auth.logout()
    log_in_as(Role.PRESIDENT, person=world.people[0])
    assert _send(client, world.session, [_mark(world.people[0])]).status_code in (403, 404)
    other = build_world(n_people=1, prefix="Elsewhere ")
    assert _send(client, other.session, [_mark(other.people[0])]).status_code in (403, 404)
    assert _records(world.session) == [] and _records(other.session) == []


def test_the_page_posts_with_the_csrf_header(app, client, auth, world, coordinator):
    """The endpoint is under CSRF protection like every other POST (the page sends X-CSRFToken)."""
    auth.login("coord")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(_url(world.session), json={"items": [_mark(world.people[0])]})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _records(world.session) == []


def test_an_expired_sign_in_is_told_before_the_csrf_token(app, client, world, coordinator):
    """The browser dropped the session cookie (an expired sign-in): the page's CSRF token matches no
    session. The phone must hear 401 "sign in again" (it then tells the coordinator and keeps the queue),
    not the 400 of a stale token."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(_url(world.session), json={"items": [_mark(world.people[0])]},
                               headers={"X-CSRFToken": "a-token-of-a-session-gone"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 401
    assert response.get_json()["login_url"].endswith(f"/login?next=/attendance/sessions/{world.session.id}")
    assert _records(world.session) == []


def test_the_bench_replay_figure_small(client, auth, coordinator):
    """bench.checkin's replay figure, smaller: a queue in the page's batches, then all of it again."""
    from bench.checkin import replay_queue
    from tracker.meetings.models import Invitation

    world = bulk_world(60, marked_share=0, prefix="R")
    auth.login("coord")
    person_ids = db.session.scalars(sa.select(Invitation.person_id)
                                    .where(Invitation.session_id == world.session.id)).all()

    def post(url, json, headers):
        response = client.post(url, json=json, headers=headers)
        return response.status_code, response.get_json()

    figure = replay_queue(post, _url(world.session), "", person_ids, batch=25)
    assert figure["marks"] == figure["confirmed"] == 60 and figure["errors"] == 0
    assert figure["seconds"] < 10
    rows = _records(world.session)
    assert len(rows) == 60 and len({r.person_id for r in rows}) == 60
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                .where(AuditEntry.entity_type == "attendance"))
    assert entries == 60  # one history entry each: nothing written twice


def test_the_same_queue_sent_from_two_tabs_at_once_is_written_once(app, world):
    """Two requests carrying the same ids at the same moment (two tabs, a retry while the first is still
    running): the second waits on the receipts' unique index (or SQLite's writer lock) and finds them."""
    import threading

    from tests.factories import make_user

    make_user(Role.COORDINATOR, "tab")
    clients = []
    for _ in range(4):
        client = app.test_client()
        assert client.post("/login", data={"username": "tab", "password": "correct-horse-battery"}).status_code == 302
        clients.append(client)
    items = [_mark(p, "absent") for p in world.people]
    url = _url(world.session)
    db.session.commit()  # end this thread's read: the requests write
    statuses: list[int] = []
    start = threading.Barrier(len(clients))

    def send(client) -> None:
        start.wait()
        statuses.append(client.post(url, json={"items": items}).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(clients)
    assert len(_records(world.session)) == len(world.people)
    assert _count(SyncReceipt) == len(world.people)
    attendance_entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                           .where(AuditEntry.entity_type == "attendance"))
    assert attendance_entries == len(world.people)  # one history entry per person: nothing written twice


# --- the other states, from the person's panel -------------------------------------------------------


def _state(person, status, **fields):
    return {**_mark(person, status), **fields}


def _stored(session, person):
    db.session.expire_all()
    return db.session.execute(sa.select(Attendance).where(Attendance.session_id == session.id,
                                                          Attendance.person_id == person.id)).scalar_one_or_none()


def _entries(attendance_id):
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type == "attendance", AuditEntry.entity_id == attendance_id)).all()


def test_late_excused_absent_and_represented_are_replayed_like_the_form(client, auth, world, coordinator):
    from datetime import time

    from tracker.timeutil import local_to_utc, to_local

    auth.login("coord")
    late, untimed, excused, absent, by_name, by_person = world.people[:6]
    representative = build_world(n_people=1, prefix="Rep ").people[0]  # someone of the directory, not invited
    made = now_utc() - timedelta(minutes=2)
    items = [_state(late, "late", late_time="09:45"),
             _state(untimed, "late", marked_at=made.isoformat()),
             _state(excused, "excused"), _state(absent, "absent"),
             _state(by_name, "represented", represented_by_name="  रामलाल वर्मा  "),
             _state(by_person, "represented", represented_by_person_id=representative.id)]
    answers = _send(client, world.session, items).get_json()["items"]
    assert [(a["state"], a["status"]) for a in answers] == [
        ("saved", "late"), ("saved", "late"), ("saved", "excused"), ("saved", "absent"),
        ("saved", "represented"), ("saved", "represented")]
    day = to_local(world.session.starts_at).date()
    # the typed time is on the session's (local) day, read as the online form reads it
    assert _stored(world.session, late).late_at == local_to_utc(day, time(9, 45))
    # a late without a time arrived when it was made (clamped)
    assert abs((_stored(world.session, untimed).late_at - made).total_seconds()) < 1
    assert _stored(world.session, excused).status == S.EXCUSED and _stored(world.session, excused).late_at is None
    assert _stored(world.session, absent).status == S.ABSENT
    named = _stored(world.session, by_name)
    assert (named.represented_by_name, named.represented_by_person_id) == ("रामलाल वर्मा", None)
    chosen = _stored(world.session, by_person)
    assert (chosen.represented_by_person_id, chosen.represented_by_name) == (representative.id, "")
    # one history entry each, with what the form would have recorded
    records = [_stored(world.session, p) for p in world.people[:6]]
    assert all(_entries(r.id) == ["create"] for r in records)
    changes = db.session.scalar(sa.select(AuditEntry.changes).where(
        AuditEntry.entity_type == "attendance", AuditEntry.entity_id == named.id))
    assert changes["represented_by_name"][1] == "रामलाल वर्मा"
    # the whole queue again: nothing written twice
    assert {a["state"] for a in _send(client, world.session, items).get_json()["items"]} == {"saved"}
    assert _count(SyncReceipt) == 6
    assert all(_entries(r.id) == ["create"] for r in records)


def test_the_other_states_are_refused_as_the_form_refuses_them(client, auth, world, coordinator):
    auth.login("coord")
    items = [_state(world.people[0], "represented"),  # nobody named
             _state(world.people[1], "represented", represented_by_name="   "),
             _state(world.people[2], "represented", represented_by_person_id=10**9),  # not in the directory
             _state(world.people[3], "late", late_time="25:70"),
             _state(world.people[4], "late", late_time="quarter past"),
             _state(world.people[5], "excused", late_time="10:00", represented_by_name="ignored")]
    answers = _send(client, world.session, items).get_json()["items"]
    assert [a["state"] for a in answers] == ["refused"] * 5 + ["saved"]
    assert {a["reason"] for a in answers[:3]} == {"प्रतिनिधि को निर्देशिका से चुनें या उनका नाम लिखें।"}
    assert {a["reason"] for a in answers[3:5]} == {"व्यक्ति के पहुँचने का समय लिखें।"}
    assert [r.person_id for r in _records(world.session)] == [world.people[5].id]
    # fields that do not belong to the state are not kept (as Mark drops them)
    kept = _stored(world.session, world.people[5])
    assert (kept.late_at, kept.represented_by_name) == (None, "")
    # a refused item keeps its answer when sent again
    again = _send(client, world.session, items).get_json()["items"]
    assert [a["state"] for a in again] == ["refused"] * 5 + ["saved"]
    assert len(_records(world.session)) == 1


def test_the_later_mark_wins_between_a_panel_state_and_a_tap(client, auth, world, coordinator):
    auth.login("coord")
    person, now = world.people[0], now_utc()
    _send(client, world.session, [_state(person, "represented", represented_by_name="सुरेश",
                                          marked_at=(now - timedelta(minutes=1)).isoformat())])
    answer = _send(client, world.session, [_mark(person, "present", now - timedelta(minutes=3))]).get_json()
    assert answer["items"][0]["superseded"] is True and answer["items"][0]["status"] == "represented"
    stored = _stored(world.session, person)
    assert (stored.status, stored.represented_by_name) == (S.REPRESENTED, "सुरेश")
    # a later late (with its typed time) replaces it, and clears the representative
    _send(client, world.session, [_state(person, "late", late_time="10:05")])
    stored = _stored(world.session, person)
    assert (stored.status, stored.represented_by_name, stored.late_at is not None) == (S.LATE, "", True)
    assert _entries(stored.id) == ["create", "superseded", "update"]


def test_representatives_are_checked_in_one_query_for_the_whole_batch(app, world, coordinator):
    """However many items name a representative from the directory, one read of the directory."""
    from tests.querycount import count_queries
    from tracker.attendance.sync import Item, replay

    reps = build_world(n_people=5, prefix="Rep ").people

    def statements(people, representatives) -> int:
        items = [Item(str(uuid.uuid4()), "mark", now_utc(), person.id, "represented",
                      represented_by_person_id=rep.id) for person, rep in zip(people, representatives, strict=True)]
        with count_queries() as counter:
            answers = replay(world.session, items, coordinator.id)
        assert {a.state for a in answers} == {"saved"}
        db.session.commit()
        return counter.count

    assert statements(world.people[:1], reps[:1]) == statements(world.people[1:6], reps)
