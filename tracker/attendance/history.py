"""What the History section of an attendance mark shows (tracker.audit.fields)."""

from __future__ import annotations

from tracker.attendance.models import MARK_FIELDS, AttendanceStatus
from tracker.audit.fields import DATETIME, HIDDEN, NUMBER, TEXT, YES_NO, register, register_actions, titles
from tracker.auth.history import USER
from tracker.directory.history import PERSON
from tracker.i18n import _l
from tracker.meetings.history import SESSION


def register_fields() -> None:
    # the "send a message to the absentees" of a session's report (tracker.attendance.summary)
    register_actions({"message_absentees": _l("Sent a message to those absent without notice")})
    register("meeting_sessions", {
        "messaged": (_l("Messages queued"), NUMBER),
        "absentees": (_l("Absent without notice"), NUMBER),
    })
    register("attendance", {
        "session_id": (_l("Session"), SESSION),
        "person_id": (_l("Person"), PERSON),
        "status": (_l("Status"), titles(AttendanceStatus)),
        "late_at": (_l("Arrived at"), DATETIME),
        "represented_by_person_id": (_l("Represented by"), PERSON),
        "represented_by_name": (_l("Represented by (name)"), TEXT),
        "note": (_l("Note"), TEXT),
        "is_walk_in": (_l("Walk-in"), YES_NO),
        "marked_by_user_id": (_l("Marked by"), USER),
        "marked_at": (_l("Marked at"), DATETIME),
        "entered_later": (_l("Entered later from a paper sheet"), YES_NO),
        "late_entry_reason": (_l("Why the paper sheet was entered later"), TEXT),
        # the state an undo goes back to, and its counter: internal
        "version": (_l("Version"), HIDDEN),
        "can_undo": (_l("Can be undone"), HIDDEN),
        **{f"prev_{name}": (_l("Before the last change"), HIDDEN) for name in MARK_FIELDS},
    })

    # A mark from a phone's queue that arrived after a later one: kept here, not applied (tracker.attendance.sync).
    register_actions({"superseded": _l("Marked earlier on another phone (not applied: a later mark stands)")})
