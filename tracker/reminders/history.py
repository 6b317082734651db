"""What the audit trail records of the outbox and of personal links, for History sections (tracker.audit.fields)."""

from __future__ import annotations

from tracker.audit.fields import YES_NO, register, register_actions, titles
from tracker.i18n import _l
from tracker.reminders.models import MessageState

# Who revoked a personal link (tracker.reminders.link_views).
REVOKED_BY = {"person": _l("The person"), "office": _l("The office"), "post_ended": _l("The end of their post")}


def register_fields() -> None:
    register_actions({"pause": _l("Sending paused"), "resume": _l("Sending resumed"), "retry": _l("Sent again"),
                      "revoke": _l("Revoked")})
    register("outbox_settings", {"sending_paused": (_l("Sending paused"), YES_NO)})
    register("outbox_messages", {"state": (_l("Message state"), titles(MessageState))})
    register("personal_link", {"revoked_by": (_l("Revoked by"), titles(REVOKED_BY))})
