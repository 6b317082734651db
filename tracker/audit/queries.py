"""Read the audit trail for display ("History" sections)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.i18n import _, fmt_datetime, fmt_phone

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


def _shown(field: str, value):
    if value is None:
        return ""
    show = _DISPLAY.get(field)
    return show(value) if show and isinstance(value, str) else value


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
