"""What the audit trail of minutes shows (tracker.audit.fields): who started, approved, changed and sent them;
never their texts (``__audit_exclude__``: the versions keep those)."""

from __future__ import annotations

from tracker.audit.fields import DATETIME, HIDDEN, LANGUAGE, NUMBER, TEXT, register, titles
from tracker.auth.history import USER
from tracker.directory.history import PERSON
from tracker.i18n import _l
from tracker.meetings.history import MEETING, SESSION
from tracker.minutes.models import MinutesStatus


def register_fields() -> None:
    register("minutes", {
        "meeting_id": (_l("Meeting"), MEETING),
        "session_id": (_l("Session"), SESSION),
        "scope_key": (_l("Minutes of"), HIDDEN),
        "year": (_l("Year"), NUMBER),
        "number": (_l("Number"), NUMBER),
        "reference": (_l("Reference"), TEXT),
        "language": (_l("Language of the minutes"), LANGUAGE),
        "chair_person_id": (_l("Chair of the minutes"), PERSON),
        "status": (_l("Status"), titles(MinutesStatus)),
        "version": (_l("Version"), NUMBER),
        "approved_at": (_l("Approved"), DATETIME),
        "approved_by_user_id": (_l("Approved by"), USER),
        "approved_by_label": (_l("Approved by"), HIDDEN),
        "sent_at": (_l("Sent"), DATETIME),
        "created_by_user_id": (_l("Written by"), USER),
    })
