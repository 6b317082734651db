"""What the History of the red flags' setting shows (tracker.audit.fields)."""

from __future__ import annotations

from tracker.audit.fields import NUMBER, register
from tracker.i18n import _l


def register_fields() -> None:
    register("flag_settings", {
        "quiet_days": (_l("Days without a programme report before a district is flagged"), NUMBER),
    })
