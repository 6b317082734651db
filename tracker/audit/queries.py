"""Read the audit trail for display ("History" sections)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.i18n import _, fmt_date, fmt_datetime, fmt_phone, fmt_time

# Recorded values shown the way the pages show them (phone numbers are stored in E.164).
_DISPLAY = {"mobile": fmt_phone, "person_mobile": fmt_phone}


@dataclass
class HistoryEntry:
    at_display: str
    user_display: str
    action_display: str
    changes: list[tuple[str, object, object]]
    action: str


def _action_label(action: str) -> str:
    labels = {
        "create": _("Created"),
        "update": _("Changed"),
        "delete": _("Deleted"),
        "lock": _("Locked"),
        "reopen": _("Reopened"),
        "sign_off": _("Signed off"),
        "publish": _("Published"),
        "cancel": _("Cancelled"),
        "login_throttled": _("Sign-in slowed after failed attempts"),
        "remind_unanswered": _("Reminded those who had not answered"),
    }
    return labels.get(action, action)


# Dates, times and instants are recorded in ISO 8601 (tracker.audit.operations._plain).
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _plain_shown(value):
    """A recorded value in the house style: dates and times as the pages show them, yes/no in words."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if not isinstance(value, str):
        return value
    try:
        if _ISO_DATE.match(value):
            return fmt_date(date.fromisoformat(value))
        if _ISO_TIME.match(value):
            return fmt_time(time.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            return fmt_datetime(datetime.fromisoformat(value))
    except ValueError:
        pass
    return value


def _shown(field: str, value, values: dict[str, Callable] | None = None):
    if value is None:
        return ""
    show = (values or {}).get(field)
    if show is not None:
        return show(value)
    show = _DISPLAY.get(field)
    if show is not None and isinstance(value, str):
        return show(value)
    return _plain_shown(value)


def history(entity_type: str, entity_id: int, labels: dict | None = None, limit: int = 200,
            values: dict[str, Callable] | None = None) -> list[HistoryEntry]:
    """History of one record, newest first: one query, whatever the size of the trail.

    ``labels``: field → what the page calls it (the form's label); ``values``: field → a function
    that shows a recorded value (e.g. an enum's title). Other values: dates and times in the house
    style, booleans as yes/no, the rest as recorded."""
    rows = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    labels = labels or {}
    out = []
    for row in rows:
        changes = [
            (str(labels.get(field, field)), _shown(field, old, values), _shown(field, new, values))
            for field, (old, new) in sorted(row.changes.items())
        ]
        out.append(
            HistoryEntry(
                at_display=fmt_datetime(row.at),
                user_display=row.actor_label or _("system"),
                action_display=_action_label(row.action),
                changes=changes,
                action=row.action,
            )
        )
    return out
