"""Read the audit trail for display ("History" sections)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.i18n import _, fmt_date, fmt_datetime, fmt_phone

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
    }
    return labels.get(action, action)


# Dates and instants are recorded as ISO 8601 text (tracker.audit.operations); shown in the house style.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def _shown(field: str, value):
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    show = _DISPLAY.get(field)
    if show:
        return show(value)
    try:
        if _ISO_DATE.fullmatch(value):
            return fmt_date(date.fromisoformat(value))
        if _ISO_DATETIME.fullmatch(value):
            return fmt_datetime(datetime.fromisoformat(value))
    except ValueError:  # not a real date after all (e.g. 2025-13-40)
        pass
    return value


def history(entity_type: str, entity_id: int, labels: dict | None = None, limit: int = 200) -> list[HistoryEntry]:
    """History of one record, newest first: one query, whatever the size of the trail."""
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
            (str(labels.get(field, field)), _shown(field, old), _shown(field, new))
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
