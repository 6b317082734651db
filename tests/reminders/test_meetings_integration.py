"""Through the meetings domain's own operations: its signals reach the outbox in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar

from tests.factories import make_invitation, make_meeting, make_person, make_session
from tests.reminders.conftest import SESSION_START
from tracker.directory.models import Channel
from tracker.extensions import db
from tracker.meetings import operations as meeting_ops
from tracker.reminders.delivery import deliver_due
from tracker.reminders.models import MessageKind, MessageState, OutboxMessage


def _outbox(kind, state=None):
    stmt = sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    if state is not None:
        stmt = stmt.where(OutboxMessage.state == state)
    return list(db.session.scalars(stmt))


def test_publish_move_and_cancel_through_the_meetings_operations(clock):
    meeting = make_meeting(status="draft", commit=False)
    session = make_session(meeting, starts_at=SESSION_START, commit=False)
    president = make_person("Praveen Saxena", "प्रवीण सक्सेना", email="praveen@example.org",
                            preferred_channel=Channel.EMAIL, preferred_locale="hi", commit=False)
    make_invitation(session, president, commit=False)
    db.session.commit()

    meeting_ops.publish_meeting(meeting)
    db.session.commit()
    invitation = _outbox(MessageKind.INVITATION)[0]
    assert invitation.recipient_person_id == president.id
    event = next(iter(Calendar.from_ical(invitation.ics).walk("VEVENT")))
    assert str(event["uid"]) == f"session-{session.id}@tracker"
    assert len(_outbox(MessageKind.REMINDER_24H) + _outbox(MessageKind.REMINDER_2H)) == 2
    deliver_due()

    meeting_ops.move_session(session, SESSION_START + timedelta(hours=3), SESSION_START + timedelta(hours=5))
    db.session.commit()
    assert {m.state for m in _outbox(MessageKind.REMINDER_2H)} == {MessageState.CANCELLED, MessageState.PENDING}
    pending = _outbox(MessageKind.REMINDER_2H, MessageState.PENDING)
    assert [m.send_after for m in pending] == [SESSION_START + timedelta(hours=1)]
    change = _outbox(MessageKind.CHANGE)[0]
    event = next(iter(Calendar.from_ical(change.ics).walk("VEVENT")))
    assert int(event["sequence"]) == session.sequence >= 1

    meeting_ops.cancel_session(session)
    db.session.commit()
    assert _outbox(MessageKind.REMINDER_2H, MessageState.PENDING) == []
    assert len(_outbox(MessageKind.CANCELLATION)) == 1
