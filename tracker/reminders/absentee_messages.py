"""The session report's "send a message to the absentees": one message to each invitee who stayed away
without notice, asking them to tell the office why. Receivers of the attendance domain's
``absentee_message_routes`` and ``absentee_message`` signals (tracker/attendance/signals.py).

A second press soon after does not send twice: a person sent one for the session less than ``WINDOW``
ago is skipped; the idempotency key (session, person, minute) also holds for two presses in one minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.reminders import messages
from tracker.reminders import operations as ops
from tracker.reminders.models import MessageKind, MessageState, OutboxMessage
from tracker.reminders.reply_requests import routes as _routes
from tracker.timeutil import now_utc

WINDOW = timedelta(minutes=15)
# A message not sent within this long is of no use any more.
VALID = timedelta(days=3)


def routes(session, people=(), **_kw) -> dict:
    """Through which channel each person would be reached (None: they cannot be)."""
    return _routes(session, people=[(person, ()) for person in people])


def _sent_recently(session_id: int, now: datetime) -> set[int]:
    return set(db.session.scalars(
        sa.select(OutboxMessage.recipient_person_id).where(
            OutboxMessage.kind == MessageKind.ABSENCE, OutboxMessage.session_id == session_id,
            OutboxMessage.state != MessageState.CANCELLED, OutboxMessage.send_after > now - WINDOW)))


def queue(session, people=(), now: datetime | None = None, **_kw) -> int:
    """One message to each person not sent one within ``WINDOW``; returns how many were queued."""
    now = now or now_utc()
    recent = _sent_recently(session.id, now)
    queued = 0
    for person in people:
        if person.id in recent:
            continue
        message = ops.enqueue(
            key=ops.message_key(MessageKind.ABSENCE, f"s{session.id}", f"p{person.id}", ops.stamp(now)),
            kind=MessageKind.ABSENCE, person=person, now=now, meeting_id=session.meeting_id, session_id=session.id,
            send_before=now + VALID,
            render=lambda person=person: messages.absence(person, session),
        )
        queued += message is not None
    return queued
