"""What is queued: invitations, reminders, change and cancellation notices, the "could not notify" list."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import make_invitation, make_person, make_session
from tests.reminders.conftest import SESSION_START
from tracker.extensions import db
from tracker.meetings import queries as meeting_queries
from tracker.meetings import signals
from tracker.reminders import operations as ops
from tracker.reminders.delivery import deliver_due
from tracker.reminders.models import (
    MessageKind,
    MessageState,
    NotifyProblem,
    OutboxMessage,
    ProblemReason,
)


def outbox(**filters) -> list[OutboxMessage]:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.send_after, OutboxMessage.id)
    for name, value in filters.items():
        stmt = stmt.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(stmt))


def publish(world, clock):
    """What the meetings domain does on publishing: send the signal inside its transaction."""
    signals.meeting_published.send(world.meeting)
    db.session.commit()


def test_publishing_queues_an_invitation_and_two_reminders_per_reachable_invitee(world, clock):
    publish(world, clock)

    invitations = outbox(kind=MessageKind.INVITATION)
    assert {m.recipient_person_id for m in invitations} == {world.hindi.id, world.english.id, world.sms.id}
    assert all(m.send_after == clock.now() for m in invitations)
    day_before = outbox(kind=MessageKind.REMINDER_24H)
    same_day = outbox(kind=MessageKind.REMINDER_2H)
    assert {m.send_after for m in day_before} == {SESSION_START - timedelta(hours=24)}
    assert {m.send_after for m in same_day} == {SESSION_START - timedelta(hours=2)}
    assert all(m.send_before == SESSION_START for m in day_before + same_day)
    hindi_invitation = next(m for m in invitations if m.recipient_person_id == world.hindi.id)
    assert "22 सितंबर 2025" in hindi_invitation.body and "प्रवीण सक्सेना" in hindi_invitation.body
    assert "11:00" in hindi_invitation.body  # 05:30 UTC shown in India time
    assert "BEGIN:VCALENDAR" in hindi_invitation.ics
    english_invitation = next(m for m in invitations if m.recipient_person_id == world.english.id)
    assert "22 September 2025" in english_invitation.body and "11:00" in english_invitation.body


def test_queueing_is_idempotent(world, clock):
    publish(world, clock)
    before = len(outbox())
    ops.queue_meeting_published(world.meeting, clock.now())
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    assert len(outbox()) == before == 9


def test_person_without_address_goes_on_the_could_not_notify_list_and_the_batch_goes_on(world, clock):
    publish(world, clock)
    problems = db.session.scalars(sa.select(NotifyProblem)).all()
    assert {(p.person_id, p.reason, p.kind) for p in problems} == {
        (world.unreachable.id, ProblemReason.NO_MOBILE, MessageKind.INVITATION),
        (world.unreachable.id, ProblemReason.NO_MOBILE, MessageKind.REMINDER_24H),
        (world.unreachable.id, ProblemReason.NO_MOBILE, MessageKind.REMINDER_2H),
    }
    assert outbox(recipient_person_id=world.unreachable.id) == []

    report = deliver_due()
    assert report.sent == 3 and report.failed == 0
    assert {m.state for m in outbox(kind=MessageKind.INVITATION)} == {MessageState.SENT}


def test_moving_a_published_session_replaces_its_reminders(world, clock):
    publish(world, clock)
    old_reminders = outbox(kind=MessageKind.REMINDER_24H) + outbox(kind=MessageKind.REMINDER_2H)
    deliver_due()  # the invitations went out: the invitees will be told of the change
    clock.advance(days=1)

    session = world.session
    old_start, old_end = session.starts_at, session.ends_at
    session.starts_at = old_start + timedelta(hours=3)  # 14:00 instead of 11:00
    session.ends_at = old_end + timedelta(hours=3)
    session.sequence += 1
    db.session.flush()
    signals.session_changed.send(session, old_starts_at=old_start, old_ends_at=old_end)
    db.session.commit()

    for message in old_reminders:
        db.session.refresh(message)
        assert message.state == MessageState.CANCELLED
    new_reminders = outbox(kind=MessageKind.REMINDER_2H, state=MessageState.PENDING)
    assert {m.send_after for m in new_reminders} == {session.starts_at - timedelta(hours=2)}
    changes = outbox(kind=MessageKind.CHANGE)
    assert len(changes) == 3
    hindi_change = next(m for m in changes if m.recipient_person_id == world.hindi.id)
    assert "14:00" in hindi_change.body and "11:00" in hindi_change.body

    # Deliver at every moment an old reminder was due, and after: nothing carries the old time.
    for moment in sorted({m.send_after for m in old_reminders} | {m.send_after for m in new_reminders}):
        clock.set(moment)
        deliver_due()
    sent = outbox(state=MessageState.SENT)
    sent_reminders = [m for m in sent if m.kind in (MessageKind.REMINDER_24H, MessageKind.REMINDER_2H)]
    assert len(sent_reminders) == 6
    for message in sent_reminders:
        assert message.send_after in (session.starts_at - timedelta(hours=24), session.starts_at - timedelta(hours=2))
        assert "11:00" not in message.body


def test_a_pending_invitation_is_rewritten_instead_of_a_change_notice(world, clock):
    publish(world, clock)
    session = world.session
    old_start, old_end = session.starts_at, session.ends_at
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    db.session.flush()
    signals.session_changed.send(session, old_starts_at=old_start, old_ends_at=old_end)
    db.session.commit()
    assert outbox(kind=MessageKind.CHANGE) == []
    invitation = outbox(kind=MessageKind.INVITATION, recipient_person_id=world.hindi.id)[0]
    assert invitation.state == MessageState.PENDING
    assert "23 सितंबर 2025" in invitation.body and "22 सितंबर 2025" not in invitation.body


def test_cancelling_a_session_cancels_reminders_and_tells_the_invitees(world, clock):
    from tracker.meetings.models import SessionStatus

    publish(world, clock)
    deliver_due()
    world.session.status = SessionStatus.CANCELLED
    db.session.flush()
    signals.session_cancelled.send(world.session)
    db.session.commit()
    assert outbox(kind=MessageKind.REMINDER_24H, state=MessageState.PENDING) == []
    notices = outbox(kind=MessageKind.CANCELLATION)
    assert {m.recipient_person_id for m in notices} == {world.hindi.id, world.english.id, world.sms.id}
    english = next(m for m in notices if m.recipient_person_id == world.english.id)
    assert "has been cancelled" in english.body and "STATUS:CANCELLED" in english.ics


def test_invitation_added_and_removed_after_publishing(world, clock):
    publish(world, clock)
    deliver_due()
    guest = make_person("Sanjay Dutt", "संजय दत्त", email="sanjay@example.org", preferred_locale="en",
                        preferred_channel="email")
    invitation = make_invitation(world.session, guest, kind="guest", commit=False)
    signals.invitation_added.send(invitation)
    db.session.commit()
    assert len(outbox(recipient_person_id=guest.id, kind=MessageKind.INVITATION)) == 1
    assert len(outbox(recipient_person_id=guest.id, state=MessageState.PENDING)) == 3

    db.session.delete(invitation)
    db.session.flush()
    signals.invitation_removed.send(world.session, person=guest)
    db.session.commit()
    states = {(m.kind, m.state) for m in outbox(recipient_person_id=guest.id)}
    # The invitation had not gone out yet: it and the reminders are cancelled, no notice needed.
    assert states == {(MessageKind.INVITATION, MessageState.CANCELLED), (MessageKind.REMINDER_24H, MessageState.CANCELLED),
                      (MessageKind.REMINDER_2H, MessageState.CANCELLED)}

    signals.invitation_removed.send(world.session, person=world.english)
    db.session.commit()
    notice = outbox(recipient_person_id=world.english.id, kind=MessageKind.CANCELLATION)
    assert len(notice) == 1 and "no longer expected" in notice[0].body


def test_reminder_times_are_configurable_per_meeting(world, clock):
    publish(world, clock)
    replaced = ops.set_reminder_offsets(world.meeting, 48 * 60, 30, clock.now())
    db.session.commit()
    assert replaced == 6
    pending = outbox(kind=MessageKind.REMINDER_24H, state=MessageState.PENDING)
    assert {m.send_after for m in pending} == {SESSION_START - timedelta(hours=48)}
    assert {m.send_after for m in outbox(kind=MessageKind.REMINDER_2H, state=MessageState.PENDING)} == {
        SESSION_START - timedelta(minutes=30)}
    # The page that confirms publishing (meetings) asks the reminders domain for these times.
    notice = meeting_queries.publish_notice(world.meeting, SESSION_START - timedelta(hours=40))
    assert (notice.day_before_minutes, notice.same_day_minutes) == (48 * 60, 30)


def test_reminders_already_past_are_not_queued(world, clock):
    clock.set(SESSION_START - timedelta(hours=5))
    publish(world, clock)
    assert outbox(kind=MessageKind.REMINDER_24H) == []
    assert len(outbox(kind=MessageKind.REMINDER_2H)) == 3


def test_one_to_one_slot_names_the_reviewer(world, clock):
    reviewer = make_person("Harish Chaudhary", "हरीश चौधरी", email="harish@example.org", preferred_channel="email")
    slot = make_session(world.meeting, starts_at=SESSION_START + timedelta(hours=4), minutes=15, kind="one_to_one",
                        commit=False)
    make_invitation(slot, world.hindi, commit=False)
    make_invitation(slot, reviewer, kind="reviewer", commit=False)
    db.session.commit()
    publish(world, clock)
    invitation = outbox(kind=MessageKind.INVITATION, recipient_person_id=world.hindi.id)[0]
    assert "हरीश चौधरी" in invitation.body
    assert invitation.body.count("22 सितंबर 2025") >= 2  # both sessions listed


def test_stale_messages_are_skipped_not_sent_late(world, clock):
    publish(world, clock)
    clock.set(SESSION_START + timedelta(minutes=1))  # the scheduler was down for a week
    report = deliver_due()
    assert report.sent == 0 and report.skipped == 9
    assert {m.state for m in outbox()} == {MessageState.SKIPPED}
