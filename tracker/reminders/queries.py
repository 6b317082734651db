"""Read side of the reminders domain: who is invited to what, and the outbox page's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.auth.models import User
from tracker.core.sql import like
from tracker.extensions import db
from tracker.meetings.models import (
    Invitation,
    Meeting,
    MeetingSession,
    MeetingStatus,
    SessionKind,
    SessionStatus,
)
from tracker.reminders.models import MessageState, NotifyProblem, OutboxMessage
from tracker.timeutil import local_to_utc


def _invitations():
    return (
        sa.select(Invitation)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .options(joinedload(Invitation.person), joinedload(Invitation.session).joinedload(MeetingSession.meeting))
        .order_by(MeetingSession.starts_at, Invitation.person_id)
    )


def meeting_invitations(meeting_id: int) -> list[Invitation]:
    """Invitations to the meeting's scheduled sessions, earliest session first."""
    return list(db.session.scalars(_invitations().where(
        MeetingSession.meeting_id == meeting_id, MeetingSession.status == SessionStatus.SCHEDULED)))


def session_invitations(session_id: int) -> list[Invitation]:
    """Everyone invited to the session (also when it was just cancelled: they must be told)."""
    return list(db.session.scalars(_invitations().where(Invitation.session_id == session_id)))


def person_sessions(meeting_id: int, person_id: int) -> list[MeetingSession]:
    """The meeting's scheduled sessions the person is invited to."""
    return list(db.session.scalars(
        sa.select(MeetingSession)
        .join(Invitation, Invitation.session_id == MeetingSession.id)
        .where(MeetingSession.meeting_id == meeting_id, Invitation.person_id == person_id,
               MeetingSession.status == SessionStatus.SCHEDULED)
        .options(joinedload(MeetingSession.meeting), joinedload(MeetingSession.chair))
        .order_by(MeetingSession.starts_at)
    ))


def partners(session: MeetingSession, person_id: int) -> list:
    """For a one-to-one: the other people in the slot (the reviewers, or the district president)."""
    if session.kind != SessionKind.ONE_TO_ONE:
        return []
    return [inv.person for inv in db.session.scalars(
        sa.select(Invitation).where(Invitation.session_id == session.id, Invitation.person_id != person_id)
        .options(joinedload(Invitation.person)).order_by(Invitation.id)
    )]


def sessions_between(start: datetime, end: datetime) -> list[MeetingSession]:
    """Scheduled sessions of published meetings starting in [start, end)."""
    return list(db.session.scalars(
        sa.select(MeetingSession)
        .join(Meeting, Meeting.id == MeetingSession.meeting_id)
        .where(Meeting.status == MeetingStatus.PUBLISHED, MeetingSession.status == SessionStatus.SCHEDULED,
               MeetingSession.starts_at >= start, MeetingSession.starts_at < end)
        .options(joinedload(MeetingSession.meeting))
        .order_by(MeetingSession.starts_at)
    ))


def office_users() -> list[User]:
    """Who gets the morning digest: active office logins (the policy's ``digest.receive``)."""
    return list(db.session.scalars(sa.select(User).where(policy.digest_recipients_clause()).order_by(User.id)))


# --- the outbox page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxFilter:
    state: str = ""
    kind: str = ""
    channel: str = ""
    day: date | None = None  # the local day the message was (or is to be) sent
    q: str = ""  # recipient name, address or subject


def outbox_select(flt: OutboxFilter):
    stmt = sa.select(OutboxMessage).options(joinedload(OutboxMessage.recipient))
    if flt.state:
        stmt = stmt.where(OutboxMessage.state == flt.state)
    if flt.kind:
        stmt = stmt.where(OutboxMessage.kind == flt.kind)
    if flt.channel:
        stmt = stmt.where(OutboxMessage.channel == flt.channel)
    if flt.day is not None:
        start = local_to_utc(flt.day, datetime.min.time())
        stmt = stmt.where(OutboxMessage.send_after >= start, OutboxMessage.send_after < start + timedelta(days=1))
    if flt.q:
        stmt = stmt.where(sa.or_(like(OutboxMessage.address, flt.q), like(OutboxMessage.subject, flt.q)))
    return stmt.order_by(OutboxMessage.send_after.desc(), OutboxMessage.id.desc())


def state_counts() -> dict[MessageState, int]:
    rows = db.session.execute(
        sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    ).all()
    counts = {state: 0 for state in MessageState}
    counts.update({state: n for state, n in rows})
    return counts


def problems_select(include_resolved: bool = False):
    stmt = sa.select(NotifyProblem).options(selectinload(NotifyProblem.person))
    if not include_resolved:
        stmt = stmt.where(NotifyProblem.resolved_at.is_(None))
    return stmt.order_by(NotifyProblem.created_at.desc(), NotifyProblem.id.desc())


def problem_meetings(problems: list[NotifyProblem]) -> dict[int, Meeting]:
    ids = {p.meeting_id for p in problems if p.meeting_id}
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(sa.select(Meeting).where(Meeting.id.in_(ids)))}


def problem_users(problems: list[NotifyProblem]) -> dict[int, User]:
    ids = {p.user_id for p in problems if p.user_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def due_message_ids(now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.state == MessageState.PENDING, OutboxMessage.send_after <= now,
               sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(limit)
    ))
