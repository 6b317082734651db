"""Read the audit trail for display ("History" sections)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.i18n import _, fmt_datetime


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
            (str(labels.get(field, field)), old if old is not None else "", new if new is not None else "")
            for field, (old, new) in sorted(row.changes.items())
        ]
        out.append(
            HistoryEntry(
                at_display=fmt_datetime(row.at, "medium"),
                user_display=row.actor_label or _("system"),
                action_display=_action_label(row.action),
                changes=changes,
                action=row.action,
            )
        )
    return out
