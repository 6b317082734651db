"""What the reminders domain adds to the home page (tracker/core/links.py): messages that failed."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.core.links import PanelItem, PanelItems, register_panel
from tracker.extensions import db
from tracker.i18n import _l

PANEL_SIZE = 5


def failed_messages(user) -> PanelItems:
    """The latest failed messages of the outbox (two queries: the first few, and how many in all)."""
    from flask import url_for

    from tracker.reminders.models import MessageState, OutboxMessage

    where = OutboxMessage.state == MessageState.FAILED
    messages = db.session.scalars(sa.select(OutboxMessage).where(where)
                                  .order_by(OutboxMessage.send_after.desc(), OutboxMessage.id.desc())
                                  .limit(PANEL_SIZE)).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(where)) if messages else 0
    return PanelItems([PanelItem(m.subject or m.address, url_for("reminders.show", message_id=m.id),
                                 f"{m.address} · {m.channel.title}")
                       for m in messages], total)


def register() -> None:
    register_panel("reminders-failed", _l("Messages that failed"), "outbox.manage", failed_messages,
                   more_endpoint="reminders.index", more_args={"state": "failed"},
                   more_label=_l("All failed messages"), order=20, attention=True)
