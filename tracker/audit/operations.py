"""Record changes of opted-in models at flush time.

A model opts in by inheriting :class:`Audited`. Every insert, update and delete of such a model
writes one ``audit_entries`` row in the same transaction (so a rolled-back change leaves no trace).
Operations may also record custom events (e.g. "attendance reopened") with :func:`record`.
"""

from __future__ import annotations

import contextvars
import enum
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tracker.audit.models import AuditEntry
from tracker.timeutil import now_utc

_actor: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar("audit_actor", default=None)


class Audited:
    """Mixin: changes of this model are recorded. ``__audit_exclude__`` names columns left out."""

    __audit_exclude__: tuple[str, ...] = ("created_at", "updated_at", "search_key")


@contextmanager
def acting_as(user=None, label: str = ""):
    """Set who is acting outside a request (CLI, jobs): a user, or a label such as 'scheduler'."""
    token = _actor.set((getattr(user, "id", None), label or getattr(user, "username", "") or ""))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    value = _actor.get()
    if value is not None:
        return value
    try:
        from flask import has_request_context
        from flask_login import current_user

        if has_request_context() and current_user and current_user.is_authenticated:
            return current_user.id, current_user.username
    except Exception:  # pragma: no cover - outside Flask
        pass
    return None, "system"


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(each) for each in value]
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _column_changes(obj, mode: str) -> dict[str, list]:
    state = inspect(obj)
    exclude = set(getattr(obj, "__audit_exclude__", ()))
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in exclude or key == "id":
            continue
        hist = state.attrs[key].history
        if mode == "create":
            value = getattr(obj, key)
            if value is not None and value != "":
                changes[key] = [None, _plain(value)]
        elif mode == "delete":
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            if value is not None:
                changes[key] = [_plain(value), None]
        else:
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _plain(old) != _plain(new):
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _rows_for_flush(session: Session) -> list[dict]:
    actor_id, actor_label = current_actor()
    now = now_utc()
    rows = []
    for mode, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            if mode == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _column_changes(obj, mode)
            if mode == "update" and not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor_user_id": actor_id,
                    "actor_label": actor_label[:120],
                    "entity_type": obj.__tablename__,
                    "entity_id": inspect(obj).identity[0] if inspect(obj).identity else obj.id,
                    "action": mode,
                    "changes": changes,
                }
            )
    return rows


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    rows = _rows_for_flush(session)
    if rows:
        session.connection().execute(sa.insert(AuditEntry), rows)


def record_many(session: Session, entity_type: str, entries: list[tuple[int, str, dict]]) -> None:
    """Record many custom events (``(entity_id, action, changes)``) in one statement (a batch of marks)."""
    if not entries:
        return
    actor_id, actor_label = current_actor()
    at = now_utc()
    session.execute(sa.insert(AuditEntry), [
        {"at": at, "actor_user_id": actor_id, "actor_label": actor_label[:120], "entity_type": entity_type,
         "entity_id": entity_id, "action": action,
         "changes": {k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()}}
        for entity_id, action, changes in entries
    ])


def record(session: Session, entity_type: str, entity_id: int, action: str, changes: dict | None = None) -> None:
    """Record a custom event (e.g. 'reopen') about an entity, in the current transaction."""
    actor_id, actor_label = current_actor()
    session.add(
        AuditEntry(
            actor_user_id=actor_id,
            actor_label=actor_label[:120],
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        )
    )
