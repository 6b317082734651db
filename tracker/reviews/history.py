"""What the History sections of review notes, checklists and action items show (tracker.audit.fields).

A note's trail holds no content (``CONTENT_FIELDS`` are never recorded), and its History section shows
only the changes of status, version and date: who reviewed whom stays on the note itself."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from tracker.audit.fields import DATE, HIDDEN, NUMBER, TEXT, YES_NO, Ref, register, register_actions, titles
from tracker.auth.history import USER
from tracker.campaigns.history import CAMPAIGN
from tracker.directory.history import PERSON, UNIT
from tracker.i18n import _, _l, fmt_date, localized
from tracker.reviews.models import ChecklistKind, ItemStatus, NoteStatus, ReviewNote


def _note_name(note: ReviewNote) -> str:
    return _("Review of %(district)s on %(date)s", district=localized(note.district), date=fmt_date(note.reviewed_on))


NOTE = Ref(ReviewNote, _note_name, _l("deleted review note #%(id)s"), options=(joinedload(ReviewNote.district),))


def register_fields() -> None:
    register_actions({"new_version": _l("New version")})
    register("review_notes", {
        "reviewed_on": (_l("Date of the review"), DATE),
        "status": (_l("Status"), titles(NoteStatus)),
        "version": (_l("Version"), NUMBER),
        # on the note itself, not in its History section
        "session_id": (_l("Session"), HIDDEN),
        "district_unit_id": (_l("District"), HIDDEN),
        "president_person_id": (_l("District president"), HIDDEN),
        "campaign_id": (_l("Campaign"), HIDDEN),
        "signed_off_at": (_l("Signed off"), HIDDEN),
        "signed_off_by_user_id": (_l("Signed off by"), HIDDEN),
        "created_by_user_id": (_l("Written by"), HIDDEN),
    })
    register("action_items", {
        "title": (_l("Action item"), TEXT),
        "owner_person_id": (_l("Owner"), PERSON),
        "due_on": (_l("Due on"), DATE),
        "status": (_l("Status"), titles(ItemStatus)),
        "review_note_id": (_l("Review note"), NOTE),
        "district_unit_id": (_l("District"), UNIT),
        "campaign_id": (_l("Campaign"), CAMPAIGN),
        "created_by_user_id": (_l("Written by"), USER),
    })
    register("checklist_templates", {"campaign_id": (_l("Campaign"), CAMPAIGN)})
    register("checklist_items", {
        "template_id": (_l("Checklist"), HIDDEN),  # a question never moves to another checklist
        "position": (_l("Order"), NUMBER),
        "label_hi": (_l("Question in Hindi"), TEXT),
        "label_en": (_l("Question in English"), TEXT),
        "kind": (_l("Kind of answer"), titles(ChecklistKind)),
        "is_archived": (_l("Archived"), YES_NO),
    })
    register("challenge_categories", {
        "name_hi": (_l("Name in Hindi"), TEXT),
        "name_en": (_l("Name in English"), TEXT),
        "position": (_l("Order"), NUMBER),
        "is_archived": (_l("Archived"), YES_NO),
    })



