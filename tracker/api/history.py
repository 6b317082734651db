"""What the History sections show of API tokens (tracker.audit.fields)."""

from __future__ import annotations

from tracker.audit.fields import DATETIME, TEXT, register
from tracker.auth.history import USER
from tracker.i18n import _l


def register_fields() -> None:
    register("api_tokens", {
        "user_id": (_l("Login"), USER),
        "name": (_l("Name"), TEXT),
        "prefix": (_l("Begins with"), TEXT),
        "expires_at": (_l("Expires"), DATETIME),
        "revoked_at": (_l("Revoked"), DATETIME),
    })
