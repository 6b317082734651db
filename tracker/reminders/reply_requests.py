"""The office's "remind those who have not answered": one message to each invitee who has not replied,
asking for their answer, with their personal link (where they answer). Receivers of the meetings domain's
``reply_request_routes`` and ``reply_request`` signals (tracker/meetings/signals.py).

A double click (or a second press soon after) does not send twice: a person asked for a reply to the
meeting less than ``WINDOW`` ago is skipped; the idempotency key (meeting, person, minute) also holds
when two presses race in two workers within the same minute.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.reminders import messages
from tracker.reminders import operations as ops
from tracker.reminders.models import MessageKind, MessageState, OutboxChannel, OutboxMessage
from tracker.timeutil import now_utc

WINDOW = timedelta(minutes=15)


def routes(meeting, people=(), **_kw) -> dict[OutboxChannel | None, int]:
    """Through which channel each person would be reached (None: they cannot be)."""
    counts: Counter = Counter()
    for person, _sessions in people:
        route = ops.route_for(person)
        counts[route.channel if isinstance(route, ops.Route) else None] += 1
    return dict(counts)


def _asked_recently(meeting_id: int, now: datetime) -> set[int]:
    return set(db.session.scalars(
        sa.select(OutboxMessage.recipient_person_id).where(
            OutboxMessage.kind == MessageKind.REPLY_REQUEST, OutboxMessage.meeting_id == meeting_id,
            OutboxMessage.state != MessageState.CANCELLED, OutboxMessage.send_after > now - WINDOW)))


def queue(meeting, people=(), now: datetime | None = None, **_kw) -> int:
    """One reply request to each person not asked within ``WINDOW``; returns how many were queued."""
    now = now or now_utc()
    recent = _asked_recently(meeting.id, now)
    queued = 0
    for person, sessions in people:
        if person.id in recent or not sessions:
            continue
        message = ops.enqueue(
            key=ops.message_key(MessageKind.REPLY_REQUEST, f"m{meeting.id}", f"p{person.id}", ops.stamp(now)),
            kind=MessageKind.REPLY_REQUEST, person=person, now=now, meeting_id=meeting.id,
            send_before=max(s.starts_at for s in sessions),
            render=lambda person=person, sessions=sessions: messages.reply_request(person, meeting, sessions),
        )
        queued += message is not None
    return queued
