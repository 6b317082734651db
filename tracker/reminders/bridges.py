"""What the digest and the action-item reminders read from the domains below: absentees (attendance) and
action items (reviews)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.meetings.models import MeetingSession
from tracker.reviews.models import OPEN_STATUSES, ActionItem


@dataclass(frozen=True)
class Absentee:
    person: object
    session: object


def absentees_between(start: datetime, end: datetime) -> list[Absentee]:
    """People marked absent at sessions that began in [start, end)."""
    rows = db.session.execute(
        sa.select(Person, MeetingSession)
        .join(Attendance, Attendance.person_id == Person.id)
        .join(MeetingSession, MeetingSession.id == Attendance.session_id)
        .where(Attendance.status == AttendanceStatus.ABSENT,
               MeetingSession.starts_at >= start, MeetingSession.starts_at < end)
        .options(joinedload(MeetingSession.meeting))
        .order_by(MeetingSession.starts_at, Person.name_en)
    ).all()
    return [Absentee(person=person, session=session) for person, session in rows]


def overdue_action_items(day: date) -> list[ActionItem]:
    """Open action items whose due date is before ``day``."""
    return _open_items(ActionItem.due_on < day)


def action_items_due(by: date) -> list[ActionItem]:
    """Open action items due on or before ``by`` (their owners get a reminder)."""
    return _open_items(ActionItem.due_on <= by)


def _open_items(due) -> list[ActionItem]:
    return list(db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on.is_not(None), due)
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))
