"""What the digest reads from other domains that may not be installed: attendance and reviews.

Imported lazily, so that reminders work (with an empty section) before those domains exist.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@dataclass(frozen=True)
class Absentee:
    person: object
    session: object


def absentees_between(start: datetime, end: datetime) -> list[Absentee]:
    """People marked absent at sessions that began in [start, end)."""
    models = _module("tracker.attendance.models")
    if models is None or not hasattr(models, "Attendance"):
        return []
    from tracker.directory.models import Person
    from tracker.meetings.models import MeetingSession

    attendance = models.Attendance
    rows = db.session.execute(
        sa.select(Person, MeetingSession)
        .join(attendance, attendance.person_id == Person.id)
        .join(MeetingSession, MeetingSession.id == attendance.session_id)
        .where(attendance.status == models.AttendanceStatus.ABSENT,
               MeetingSession.starts_at >= start, MeetingSession.starts_at < end)
        .options(joinedload(MeetingSession.meeting))
        .order_by(MeetingSession.starts_at, Person.name_en)
    ).all()
    return [Absentee(person=person, session=session) for person, session in rows]


def _action_items():
    models = _module("tracker.reviews.models")
    if models is None or not hasattr(models, "ActionItem"):
        return None, None
    return models.ActionItem, models.OPEN_STATUSES


def overdue_action_items(day: date) -> list:
    """Open action items whose due date is before ``day``."""
    ActionItem, open_statuses = _action_items()
    if ActionItem is None:
        return []
    return list(db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.status.in_(open_statuses), ActionItem.due_on.is_not(None), ActionItem.due_on < day)
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))


def action_items_due(by: date) -> list:
    """Open action items due on or before ``by`` (their owners get a reminder)."""
    ActionItem, open_statuses = _action_items()
    if ActionItem is None:
        return []
    return list(db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.status.in_(open_statuses), ActionItem.due_on.is_not(None), ActionItem.due_on <= by)
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))
