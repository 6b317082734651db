"""Operations: derived invitations, clash refusals, publication, changes after publication, signals,
agenda ordering."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_post
from tests.meetings.conftest import START, at, group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import queries, signals
from tracker.meetings.models import Invitation, InvitationKind, MeetingStatus, SessionStatus


@contextmanager
def received(signal):
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


def _ids(session) -> dict[int, InvitationKind]:
    return {inv.person_id: inv.kind for inv in queries.effective_invitees([session])[session.id]}


def test_group_session_invites_presidents_and_responsible_incharges(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, units=[world.div_a, world.div_b]))
    invited = _ids(session)
    assert invited[world.pa1.id] == InvitationKind.INVITEE
    assert invited[world.pa2.id] == InvitationKind.INVITEE
    assert invited[world.pb1.id] == InvitationKind.INVITEE
    assert invited[world.ci.id] == InvitationKind.REVIEWER  # co-in-charge of Alpha
    assert invited[world.org.id] == InvitationKind.REVIEWER  # Beta has no co-in-charge
    assert invited[world.si.id] == InvitationKind.CHAIR
    assert world.guest.id not in invited


def test_covering_a_single_district_invites_its_president_and_division_incharge(world):
    session = ops.add_session(new_meeting(), group_data(world, units=[world.a2]))
    assert set(_ids(session)) == {world.pa2.id, world.ci.id, world.si.id}


def test_one_to_one_invites_the_president_and_the_reviewers(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, {"kind": "one_to_one", "day": START, "start": time(14, 0),
                                        "end": time(14, 15), "district_unit_id": world.a1.id,
                                        "reviewer_person_ids": [world.ci.id]})
    assert _ids(session) == {world.pa1.id: InvitationKind.INVITEE, world.ci.id: InvitationKind.REVIEWER}


def test_one_to_one_needs_a_district(world):
    with pytest.raises(ops.MeetingError):
        ops.add_session(new_meeting(), {"kind": "one_to_one", "day": START, "start": time(14, 0),
                                        "end": time(14, 15), "district_unit_id": world.div_a.id})


def test_a_session_outside_the_meeting_dates_or_backwards_is_refused(world):
    meeting = new_meeting(days=1)
    with pytest.raises(ops.MeetingError):
        ops.add_session(meeting, group_data(world, day=date(2025, 9, 30)))
    with pytest.raises(ops.MeetingError):
        ops.add_session(meeting, group_data(world, start=(13, 0), end=(11, 0)))


def test_clash_with_another_meeting_is_refused_with_who_and_where(world, app):
    first = new_meeting("Training")
    ops.add_session(first, group_data(world, title_en="Bhopal and Narmadapuram divisions"))
    db.session.commit()
    second = new_meeting("Other meeting")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(ops.MeetingError) as refused:
            ops.add_session(second, group_data(world, start=(12, 0), end=(14, 0), units=[world.a1]))
    message = refused.value.message
    assert "Praveen Saxena is already invited to “Bhopal and Narmadapuram divisions”" in message
    assert "22 September 2025, 11:00–13:00" in message
    db.session.rollback()
    # Back to back is fine.
    second = new_meeting("Other meeting")
    ops.add_session(second, group_data(world, start=(13, 0), end=(14, 0), units=[world.a1]))


def test_adding_a_guest_who_is_busy_elsewhere_is_refused(world):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    other = ops.add_session(meeting, group_data(world, start=(12, 0), end=(12, 30), units=[world.div_b],
                                                chair_person_id=None))
    db.session.commit()
    with pytest.raises(ops.MeetingError, match="प्रवीण सक्सेना"):
        ops.invite_person(other, world.pa1)
    db.session.rollback()
    ops.invite_person(other, world.guest)


def test_cancelled_sessions_and_meetings_do_not_clash(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.cancel_session(session)
    ops.add_session(new_meeting("Second"), group_data(world))
    cancelled = new_meeting("Third")
    ops.add_session(cancelled, group_data(world, day=date(2025, 9, 23)))
    ops.cancel_meeting(cancelled)
    ops.add_session(new_meeting("Fourth"), group_data(world, day=date(2025, 9, 23)))


def test_moving_a_session_onto_someone_elses_time_is_refused_and_keeps_sequence(world):
    meeting = new_meeting()
    morning = ops.add_session(meeting, group_data(world, start=(11, 0), end=(12, 0)))
    noon = ops.add_session(meeting, group_data(world, start=(12, 0), end=(13, 0), units=[world.div_b],
                                               chair_person_id=None))
    db.session.commit()
    ops.move_session(noon, at(START, 14), at(START, 15), room="Room 2")
    assert noon.sequence == 1 and noon.room == "Room 2"
    db.session.commit()
    # Beta's session now overlaps the chair's? No: chair is not on it. Move Alpha's session onto a
    # one-to-one of its own president instead.
    ops.add_session(meeting, {"kind": "one_to_one", "day": START, "start": time(15, 0), "end": time(15, 15),
                              "district_unit_id": world.a1.id, "reviewer_person_ids": [world.ci.id]})
    db.session.commit()
    with pytest.raises(ops.MeetingError, match="प्रवीण सक्सेना"):
        ops.move_session(morning, at(START, 15), at(START, 16))
    db.session.rollback()
    assert db.session.get(type(morning), morning.id).sequence == 0


def test_publish_freezes_invitations_with_pass_tokens(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, dais_person_ids=[world.guest.id]))
    with received(signals.meeting_published) as published:
        ops.publish_meeting(meeting)
    db.session.commit()
    assert published == [(meeting, {})]
    rows = db.session.scalars(sa.select(Invitation).where(Invitation.session_id == session.id)).all()
    assert {r.person_id for r in rows} == {world.pa1.id, world.pa2.id, world.ci.id, world.si.id, world.guest.id}
    assert all(r.pass_token and len(r.pass_token) >= 24 for r in rows)
    assert len({r.pass_token for r in rows}) == len(rows)
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_at is not None
    # A new president appointed after publication does not change the frozen list.
    newcomer = make_person("New President", "नए अध्यक्ष")
    make_post(newcomer, world.a1, "district_president", start_date=date(2025, 9, 1))
    assert newcomer.id not in _ids(session)
    with pytest.raises(ops.MeetingError):
        ops.publish_meeting(meeting)


def test_draft_follows_the_directory(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    newcomer = make_person("New President", "नए अध्यक्ष")
    make_post(newcomer, world.a1, "district_president", start_date=date(2025, 9, 1))
    invited = _ids(session)
    assert newcomer.id in invited and world.pa1.id not in invited


def test_publishing_needs_a_session_and_refuses_clashes(world):
    with pytest.raises(ops.MeetingError):
        ops.publish_meeting(new_meeting())


def test_add_and_remove_people_after_publication_send_signals(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    db.session.commit()
    with received(signals.invitation_added) as added:
        invitation = ops.invite_person(session, world.guest)
    assert added == [(invitation, {})]
    assert invitation.pass_token
    db.session.commit()
    with received(signals.invitation_removed) as removed:
        ops.uninvite_person(session, world.pa1)
    db.session.commit()
    assert removed == [(session, {"person": world.pa1})]
    assert world.pa1.id not in _ids(session)
    assert world.guest.id in _ids(session)
    with pytest.raises(ops.MeetingError):
        ops.uninvite_person(session, world.pa1)


def test_changes_to_a_published_session_are_signalled(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    old_start, old_end = session.starts_at, session.ends_at
    with received(signals.session_changed) as changed:
        ops.move_session(session, at(START, 15), at(START, 17))
    assert changed == [(session, {"old_starts_at": old_start, "old_ends_at": old_end})]
    with received(signals.session_cancelled) as cancelled:
        ops.cancel_session(session)
    assert cancelled == [(session, {})]
    assert session.status == SessionStatus.CANCELLED and session.sequence == 2


def test_drafts_change_silently(world):
    meeting = new_meeting()
    with received(signals.invitation_added) as added, received(signals.session_changed) as changed:
        session = ops.add_session(meeting, group_data(world))
        ops.invite_person(session, world.guest)
        ops.move_session(session, at(START, 15), at(START, 17))
    assert added == [] and changed == []


def test_session_added_to_a_published_meeting_gets_rows_at_once(world):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    with received(signals.invitation_added) as added:
        later = ops.add_session(meeting, group_data(world, day=date(2025, 9, 23), units=[world.div_b]))
    rows = {inv.person_id for inv in later.invitations}
    assert rows == {world.pb1.id, world.org.id, world.si.id}
    assert all(inv.pass_token for inv in later.invitations)
    assert {sender.person_id for sender, _kw in added} == rows


def test_completed_and_cancelled_meetings_are_read_only(world):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    ops.complete_meeting(meeting)
    with pytest.raises(ops.MeetingError):
        ops.invite_person(session, world.guest)
    with pytest.raises(ops.MeetingError):
        ops.update_meeting(meeting, {"venue": "Elsewhere"})


def test_agenda_items_are_ordered_and_reordered(world):
    session = ops.add_session(new_meeting(), group_data(world))
    first = ops.add_agenda_item(session, {"title_en": "Welcome", "minutes": 10})
    second = ops.add_agenda_item(session, {"title_en": "Sangathan Srijan Abhiyan", "presenter_person_id": world.org.id})
    third = ops.add_agenda_item(session, {"title_hi": "प्रशिक्षण", "minutes": 30})
    assert [i.position for i in (first, second, third)] == [1, 2, 3]
    ops.move_agenda_item(third, -1)
    assert [i.id for i in sorted(session.agenda_items, key=lambda i: i.position)] == [first.id, third.id, second.id]
    ops.delete_agenda_item(first)
    assert sorted((i.position, i.id) for i in session.agenda_items) == [(1, third.id), (2, second.id)]
    ops.reorder_agenda(session, [second.id, third.id])
    assert second.position == 1 and third.position == 2
    with pytest.raises(ops.MeetingError):
        ops.add_agenda_item(session, {"minutes": 5})
    with pytest.raises(ops.MeetingError):
        ops.reorder_agenda(session, [second.id])


def test_meeting_dates_cannot_exclude_its_sessions(world):
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world, day=date(2025, 9, 24)))
    with pytest.raises(ops.MeetingError):
        ops.update_meeting(meeting, {"ends_on": date(2025, 9, 23)})
    with pytest.raises(ops.MeetingError):
        ops.create_meeting({"title_en": "X", "starts_on": START, "ends_on": date(2025, 9, 1)})


def test_the_clock_fixture_fixes_the_whole_app(world, clock):
    """Queries, operations and model timestamps read one clock: the app-wide NOW setting."""
    from tracker.timeutil import now_utc, today_local

    assert queries.now_utc() == now_utc() == clock and today_local() == date(2025, 9, 20)
    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    db.session.commit()
    assert meeting.published_at == clock
