"""What the History sections of meetings, sessions, agendas and invitations show (tracker.audit.fields)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from tracker.audit.fields import (
    DATE,
    DATETIME,
    HIDDEN,
    NUMBER,
    TEXT,
    YES_NO,
    Ref,
    Shower,
    register,
    register_actions,
    titles,
)
from tracker.auth.history import USER
from tracker.campaigns.history import CAMPAIGN
from tracker.directory.history import PERSON, UNIT
from tracker.i18n import _l, localized
from tracker.meetings.models import (
    Invitation,
    InvitationKind,
    Meeting,
    MeetingPurpose,
    MeetingSession,
    MeetingStatus,
    ReplyAnswer,
    SessionKind,
    SessionStatus,
)
from tracker.meetings.rooms import room_label

MEETING = Ref(Meeting, lambda meeting: localized(meeting, "title"), _l("deleted meeting #%(id)s"))
SESSION = Ref(MeetingSession, lambda session: localized(session, "title") or session.kind.title,
              _l("deleted session #%(id)s"))
INVITATION = Ref(Invitation, lambda invitation: localized(invitation.person), _l("deleted invitation #%(id)s"),
                 options=(joinedload(Invitation.person),))
ROOM = Shower("room", lambda value: room_label(value) if isinstance(value, str) else str(value))


def register_fields() -> None:
    register_actions({"remind_unanswered": _l("Reminded those who had not answered")})
    register("meetings", {
        "title_hi": (_l("Title in Hindi"), TEXT),
        "title_en": (_l("Title in English"), TEXT),
        "purpose": (_l("Purpose"), titles(MeetingPurpose)),
        "campaign_id": (_l("Campaign"), CAMPAIGN),
        "host_unit_id": (_l("Host unit"), UNIT),
        "venue": (_l("Venue"), TEXT),
        "starts_on": (_l("First date"), DATE),
        "ends_on": (_l("Last date"), DATE),
        "description": (_l("Description"), TEXT),
        "status": (_l("Status"), titles(MeetingStatus)),
        "published_at": (_l("Published"), DATETIME),
        # the office's "remind those who have not answered" (tracker.meetings.replies.remind_unanswered)
        "reminded": (_l("People reminded"), NUMBER),
        "unanswered": (_l("Not answered yet"), NUMBER),
    })
    register("meeting_sessions", {
        "meeting_id": (_l("Meeting"), MEETING),
        "kind": (_l("Kind"), titles(SessionKind)),
        "title_hi": (_l("Title in Hindi"), TEXT),
        "title_en": (_l("Title in English"), TEXT),
        "starts_at": (_l("Starts at"), DATETIME),
        "ends_at": (_l("Ends at"), DATETIME),
        "room": (_l("Room"), ROOM),
        "status": (_l("Status"), titles(SessionStatus)),
        "chair_person_id": (_l("Chair"), PERSON),
        "district_unit_id": (_l("District"), UNIT),
        "what_to_bring_hi": (_l("What to bring (Hindi)"), TEXT),
        "what_to_bring_en": (_l("What to bring (English)"), TEXT),
        "sequence": (_l("Order"), HIDDEN),  # the calendar files' counter of changes: not for people
        "self_checkin_enabled": (_l("Invitees may check themselves in"), YES_NO),
        "attendance_locked_at": (_l("Locked"), DATETIME),
    })
    register("agenda_items", {
        "session_id": (_l("Session"), SESSION),
        "position": (_l("Order"), NUMBER),
        "title_hi": (_l("Title in Hindi"), TEXT),
        "title_en": (_l("Title in English"), TEXT),
        "presenter_person_id": (_l("Presenter"), PERSON),
        "minutes": (_l("Minutes"), NUMBER),
    })
    register("invitations", {
        "session_id": (_l("Session"), SESSION),
        "person_id": (_l("Person"), PERSON),
        "kind": (_l("Invited as"), titles(InvitationKind)),
        "unit_id": (_l("Unit"), UNIT),
        "pass_issued_at": (_l("Pass issued"), DATETIME),
        "pass_revoked_at": (_l("Pass revoked"), DATETIME),
    })
    register("invitation_replies", {
        "invitation_id": (_l("Invitation of"), INVITATION),
        "answer": (_l("Answer"), titles(ReplyAnswer)),
        "reason": (_l("Reason"), TEXT),
        "representative_invitation_id": (_l("Representative"), INVITATION),
        "recorded_by_user_id": (_l("Recorded by"), USER),
        "recorded_at": (_l("Recorded at"), DATETIME),
        "after_cutoff": (_l("After the cut-off"), YES_NO),
    })
