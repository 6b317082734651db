from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_person
from tracker.attendance import operations as ops
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.timeutil import now_utc

S = AttendanceStatus


def _record(world, person):
    return db.session.scalar(sa.select(Attendance).where(Attendance.session_id == world.session.id,
                                                         Attendance.person_id == person.id)
                             .execution_options(populate_existing=True))


def _audits(attendance_id):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "attendance",
                                                          AuditEntry.entity_id == attendance_id)
                              .order_by(AuditEntry.id)).all()


@pytest.mark.parametrize("mark", [
    ops.Mark(S.PRESENT),
    ops.Mark(S.LATE, late_at=now_utc().replace(microsecond=0)),
    ops.Mark(S.EXCUSED, note="Informed by phone"),
    ops.Mark(S.ABSENT),
    ops.Mark(S.REPRESENTED, represented_by_name="Ramesh Verma"),
])
def test_each_state_is_recorded_and_audited(world, coordinator, mark):
    person = world.people[0]
    result = ops.mark(world.session, person.id, mark, coordinator.id)
    db.session.commit()
    record = _record(world, person)
    assert (record.status, record.late_at, record.represented_by_name, record.note) == (
        mark.status, mark.late_at, mark.represented_by_name, mark.note)
    assert record.marked_by_user_id == coordinator.id and result.created
    [entry] = _audits(record.id)
    assert entry.action == "create" and entry.changes["status"] == [None, mark.status.value]


def test_a_later_mark_wins_and_the_change_is_audited_old_to_new(world, coordinator, office):
    person = world.people[0]
    ops.mark(world.session, person.id, ops.Mark(S.ABSENT), coordinator.id)
    db.session.commit()
    ops.mark(world.session, person.id, ops.Mark(S.PRESENT), office.id)
    db.session.commit()
    record = _record(world, person)
    assert record.status == S.PRESENT and record.version == 2 and record.marked_by_user_id == office.id
    assert [e.action for e in _audits(record.id)] == ["create", "update"]
    assert _audits(record.id)[1].changes == {"status": ["absent", "present"]}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1


def test_the_same_mark_twice_changes_nothing(world, coordinator):
    person = world.people[0]
    ops.mark(world.session, person.id, ops.Mark(S.EXCUSED), coordinator.id)
    again = ops.mark(world.session, person.id, ops.Mark(S.EXCUSED), coordinator.id)
    db.session.commit()
    assert not again.changed and _record(world, person).version == 1
    assert len(_audits(again.attendance_id)) == 1


def test_represented_by_a_directory_person(world, coordinator):
    deputy = make_person(name_en="Deputy")
    ops.mark(world.session, world.people[1].id, ops.Mark(S.REPRESENTED, represented_by_person_id=deputy.id),
             coordinator.id)
    db.session.commit()
    assert _record(world, world.people[1]).represented_by.name_en == "Deputy"


def test_incomplete_marks_are_refused(world, coordinator):
    with pytest.raises(ops.AttendanceError):
        ops.mark(world.session, world.people[0].id, ops.Mark(S.LATE), coordinator.id)
    with pytest.raises(ops.AttendanceError):
        ops.mark(world.session, world.people[0].id, ops.Mark(S.REPRESENTED), coordinator.id)


def test_an_unknown_representative_is_refused(world, coordinator):
    with pytest.raises(ops.AttendanceError):
        ops.mark(world.session, world.people[0].id, ops.Mark(S.REPRESENTED, represented_by_person_id=999999),
                 coordinator.id)


def test_a_person_not_on_the_roster_is_refused(world, coordinator):
    stranger = make_person()
    with pytest.raises(ops.AttendanceError):
        ops.mark(world.session, stranger.id, ops.Mark(S.PRESENT), coordinator.id)


def test_undo_restores_the_previous_state(world, coordinator):
    person = world.people[0]
    late = now_utc().replace(microsecond=0) - timedelta(minutes=5)
    ops.mark(world.session, person.id, ops.Mark(S.LATE, late_at=late), coordinator.id)
    db.session.commit()
    second = ops.mark(world.session, person.id, ops.Mark(S.ABSENT), coordinator.id)
    db.session.commit()
    assert ops.undo(world.session, person.id, second.version) == S.LATE
    db.session.commit()
    record = _record(world, person)
    assert (record.status, record.late_at, record.can_undo) == (S.LATE, late, False)
    assert _audits(record.id)[-1].action == "update" and _audits(record.id)[-1].changes["status"] == ["absent", "late"]
    with pytest.raises(ops.AttendanceError):
        ops.undo(world.session, person.id, record.version)


def test_undo_of_a_first_mark_unmarks(world, coordinator):
    person = world.people[0]
    first = ops.mark(world.session, person.id, ops.Mark(S.PRESENT), coordinator.id)
    db.session.commit()
    assert ops.undo(world.session, person.id, first.version) is None
    db.session.commit()
    assert _record(world, person) is None
    assert _audits(first.attendance_id)[-1].action == "delete"


def test_a_stale_undo_is_refused(world, coordinator, office):
    person = world.people[0]
    first = ops.mark(world.session, person.id, ops.Mark(S.PRESENT), coordinator.id)
    db.session.commit()
    ops.mark(world.session, person.id, ops.Mark(S.ABSENT), office.id)
    db.session.commit()
    with pytest.raises(ops.AttendanceError):
        ops.undo(world.session, person.id, first.version)


def test_lock_refuses_marks_and_reopen_allows_them_again(world, coordinator):
    ops.lock(world.session)
    db.session.commit()
    with pytest.raises(ops.AttendanceError):
        ops.mark(world.session, world.people[0].id, ops.Mark(S.PRESENT), coordinator.id)
    db.session.rollback()
    ops.reopen(world.session)
    db.session.commit()
    ops.mark(world.session, world.people[0].id, ops.Mark(S.PRESENT), coordinator.id)
    db.session.commit()
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type == "meeting_sessions", AuditEntry.entity_id == world.session.id)
        .order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["lock", "reopen"]


def test_walk_in_is_added_to_the_roster_and_marked_present(world, coordinator):
    guest = ops.create_walk_in_person("Sunita Devi", "98765 43210")
    result = ops.add_walk_in(world.session, guest, coordinator.id)
    db.session.commit()
    record = _record(world, guest)
    assert result.created and record.status == S.PRESENT and record.is_walk_in
    assert guest.name_hi  # transliterated by the directory
    assert ops.add_walk_in(world.session, guest, coordinator.id).changed is False


def test_walk_in_person_needs_a_valid_mobile(world):
    with pytest.raises(ops.AttendanceError):
        ops.create_walk_in_person("Sunita Devi", "12")
