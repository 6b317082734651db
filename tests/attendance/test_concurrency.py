"""Many coordinators mark the same roster at once, through the app (acceptance 2).

Each thread has its own test client (each request runs in its own app context, with its own
database connection). Every write carries a unique note, so every write is a real change: at the
end there must be exactly one record per person, its version must count every acknowledged write
(no lost update), the record must hold the write the audit trail lists last (the later mark wins),
and no request may have failed.
"""

from __future__ import annotations

import random
import threading

import sqlalchemy as sa

from tests.factories import make_user
from tracker.attendance.models import Attendance
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role
from tracker.extensions import db

THREADS = 8
ROUNDS = 3
STATES = ("present", "late", "excused", "absent", "represented")


def _payload(thread: int, round_: int, person_id: int) -> dict:
    status = STATES[(thread + round_ + person_id) % len(STATES)]
    data = {"status": status, "note": f"t{thread}-r{round_}-p{person_id}"}
    if status == "late":
        data["late_time"] = "11:15"
    if status == "represented":
        data["represented_by_name"] = f"Deputy {thread}"
    return data


def test_concurrent_marks_leave_one_record_per_person_and_the_last_write(app, world):
    session_id = world.session.id
    person_ids = [p.id for p in world.people]
    clients = []
    for i in range(THREADS):
        make_user(Role.COORDINATOR, f"c{i}")
        client = app.test_client()
        assert client.post("/login", data={"username": f"c{i}", "password": "correct-horse-battery"}).status_code == 302
        clients.append(client)
    failures: list[tuple[int, str]] = []
    acknowledged: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        client, rng = clients[index], random.Random(index)
        start.wait()
        for round_ in range(ROUNDS):
            order = person_ids[:]
            rng.shuffle(order)
            for person_id in order:
                response = client.post(f"/attendance/sessions/{session_id}/people/{person_id}/mark",
                                       data=_payload(index, round_, person_id), headers={"HX-Request": "true"})
                with lock:
                    if response.status_code != 200 or "save-status failed" in response.get_data(as_text=True):
                        failures.append((response.status_code, response.get_data(as_text=True)[:300]))
                    else:
                        acknowledged.append(person_id)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert len(acknowledged) == THREADS * ROUNDS * len(person_ids)
    db.session.expire_all()
    records = db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session_id)).all()
    assert sorted(r.person_id for r in records) == sorted(person_ids)  # exactly one per person
    for record in records:
        assert record.version == THREADS * ROUNDS  # every acknowledged write counted: none lost
        last = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "attendance", AuditEntry.entity_id == record.id)
            .order_by(AuditEntry.id.desc()).limit(1)
        ).one()
        assert last.changes["note"][1] == record.note  # the write committed last is the one kept
        entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.entity_type == "attendance", AuditEntry.entity_id == record.id))
        assert entries == THREADS * ROUNDS
