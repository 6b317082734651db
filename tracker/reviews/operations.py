"""Business rules of reviews and action items. Every function flushes and never commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker import policy
from tracker.audit.operations import current_actor, record
from tracker.campaigns.models import Campaign
from tracker.core.errors import DomainError
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _
from tracker.meetings.models import InvitationKind, MeetingSession, SessionKind
from tracker.reviews.models import (
    ActionItem,
    ActionItemUpdate,
    ChallengeCategory,
    ChecklistItem,
    ChecklistKind,
    ChecklistTemplate,
    ItemStatus,
    NoteStatus,
    ReviewNote,
    ReviewNoteVersion,
)
from tracker.timeutil import now_utc, to_local

MAX_TEXT = 20_000
MAX_ANSWER_TEXT = 2_000


class ReviewError(DomainError):
    """A rule refused the change; the message is translated and shown to the user."""


# --- checklist templates and categories ----------------------------------------------------------


def template_for(campaign: Campaign) -> ChecklistTemplate:
    """The campaign's checklist template, created empty on first use."""
    template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.campaign_id == campaign.id))
    if template is None:
        template = ChecklistTemplate(campaign=campaign)
        db.session.add(template)
        db.session.flush()
    return template


# A starting point the office can edit: the arrangements the campaign asks about.
STANDARD_CHECKLIST = (
    ("ब्लॉक समितियाँ गठित", "Block committees formed", ChecklistKind.YES_NO),
    ("बूथ समितियाँ गठित", "Booth committees formed", ChecklistKind.YES_NO),
    ("जिला कार्यालय की व्यवस्था", "Office space", ChecklistKind.YES_NO),
    ("सोशल मीडिया टीम", "Social media team", ChecklistKind.YES_NO),
    ("सदस्यता संख्या", "Membership numbers", ChecklistKind.NUMBER),
)
STANDARD_CATEGORIES = (
    ("गुटबाज़ी", "Factionalism"),
    ("संसाधनों की कमी", "Lack of resources"),
    ("कार्यकर्ताओं की निष्क्रियता", "Inactive workers"),
    ("संगठन विस्तार", "Expanding the organization"),
)


def add_standard_checklist(template: ChecklistTemplate) -> list[ChecklistItem]:
    return [add_checklist_item(template, hi, en, kind) for hi, en, kind in STANDARD_CHECKLIST]


def add_standard_categories() -> list[ChallengeCategory]:
    return [save_category(None, hi, en) for hi, en in STANDARD_CATEGORIES]


def add_checklist_item(template: ChecklistTemplate, label_hi: str, label_en: str, kind: ChecklistKind) -> ChecklistItem:
    position = max((item.position for item in template.items), default=0) + 1
    item = ChecklistItem(template=template, label_hi=label_hi.strip(), label_en=label_en.strip(),
                         kind=ChecklistKind(kind), position=position)
    db.session.add(item)
    db.session.flush()
    return item


def update_checklist_item(item: ChecklistItem, label_hi: str, label_en: str, kind: ChecklistKind,
                          is_archived: bool) -> None:
    item.label_hi = label_hi.strip()
    item.label_en = label_en.strip()
    item.kind = ChecklistKind(kind)
    item.is_archived = bool(is_archived)
    db.session.flush()


def move_checklist_item(item: ChecklistItem, delta: int) -> None:
    """Swap the item with its neighbour above (delta -1) or below (+1); positions are renumbered."""
    items = list(item.template.items)
    index = items.index(item)
    target = index + delta
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()


def save_category(category: ChallengeCategory | None, name_hi: str, name_en: str,
                  is_archived: bool = False) -> ChallengeCategory:
    if category is None:
        position = (db.session.scalar(sa.select(sa.func.max(ChallengeCategory.position))) or 0) + 1
        category = ChallengeCategory(position=position)
        db.session.add(category)
    category.name_hi = name_hi.strip()
    category.name_en = name_en.strip()
    category.is_archived = bool(is_archived)
    db.session.flush()
    return category


# --- the right to read notes -------------------------------------------------------------------

READ_GRANT = "reviews.read"


def set_read_grant(user, allowed: bool) -> None:
    """Give or take the grant that lets office staff read notes (recorded by the users' audit trail)."""
    grants = [g for g in user.grants.split() if g != READ_GRANT]
    if allowed:
        grants.append(READ_GRANT)
    user.grants = " ".join(grants)
    db.session.flush()


# --- notes ---------------------------------------------------------------------------------------


@dataclass
class NoteContent:
    """The confidential content of a note, as entered in the form."""

    answers: dict[str, Any] = field(default_factory=dict)
    challenges: str = ""
    strategy: str = ""
    decisions: str = ""
    readiness: int | None = None
    private_remark: str = ""
    category_ids: list[int] = field(default_factory=list)


def parse_answers(items: list[ChecklistItem], form: dict[str, str]) -> tuple[dict[str, Any], dict[int, str]]:
    """Checklist answers from form fields ``check-<item id>``: (answers, errors by item id)."""
    answers: dict[str, Any] = {}
    errors: dict[int, str] = {}
    for item in items:
        raw = (form.get(f"check-{item.id}") or "").strip()
        if raw == "":
            continue
        if item.kind == ChecklistKind.YES_NO:
            if raw not in ("yes", "no"):
                errors[item.id] = _("Choose yes or no.")
                continue
            answers[str(item.id)] = raw
        elif item.kind == ChecklistKind.NUMBER:
            if not raw.isdigit() or len(raw) > 9:
                errors[item.id] = _("Enter a whole number, 0 or more.")
                continue
            answers[str(item.id)] = int(raw)
        else:
            answers[str(item.id)] = raw[:MAX_ANSWER_TEXT]
    return answers, errors


def _district_president(unit_id: int, on: date) -> Person | None:
    from tracker.reviews.queries import current_presidents

    return current_presidents([unit_id], on).get(unit_id)


def _actor_person(user) -> Person | None:
    return db.session.get(Person, user.person_id) if getattr(user, "person_id", None) else None


def start_note_for_session(session: MeetingSession, user) -> ReviewNote:
    """The note of a one-to-one slot: the existing one, or a new draft with the slot's reviewers.

    Reviewers come from the slot's reviewer invitations; an in-charge who writes the note is added.
    """
    existing = db.session.scalar(sa.select(ReviewNote).where(ReviewNote.session_id == session.id))
    if existing is not None:
        return existing
    if session.kind != SessionKind.ONE_TO_ONE or session.district_unit_id is None:
        raise ReviewError(_("This session is not a one-to-one review of a district."))
    reviewers = [inv.person for inv in session.invitations if inv.kind == InvitationKind.REVIEWER]
    president = next((inv.person for inv in session.invitations if inv.kind == InvitationKind.INVITEE), None)
    reviewed_on = to_local(session.starts_at).date()
    note = ReviewNote(
        session=session,
        district_unit_id=session.district_unit_id,
        president=president or _district_president(session.district_unit_id, reviewed_on),
        campaign_id=session.meeting.campaign_id,
        reviewed_on=reviewed_on,
        created_by_user_id=getattr(user, "id", None),
    )
    _set_reviewers(note, reviewers, user)
    db.session.add(note)
    db.session.flush()
    return note


def start_standalone_note(user, district: Unit, reviewed_on: date, campaign: Campaign | None,
                          co_reviewers: list[Person]) -> ReviewNote:
    if district.level != UnitLevel.DISTRICT:
        raise ReviewError(_("Choose an organizational district."))
    note = ReviewNote(
        district=district,
        president=_district_president(district.id, reviewed_on),
        campaign=campaign,
        reviewed_on=reviewed_on,
        created_by_user_id=getattr(user, "id", None),
    )
    _set_reviewers(note, co_reviewers, user)
    if not note.reviewers:
        raise ReviewError(_("A review needs at least one reviewer."))
    db.session.add(note)
    db.session.flush()
    return note


def _set_reviewers(note: ReviewNote, people: list[Person], user) -> None:
    chosen = {person.id: person for person in people}
    me = _actor_person(user)
    if me is not None and policy.can(user, "review.join", note):
        chosen.setdefault(me.id, me)
    note.reviewers = list(chosen.values())


def _apply(note: ReviewNote, content: NoteContent) -> None:
    note.answers = dict(content.answers)
    note.challenges = content.challenges.strip()[:MAX_TEXT]
    note.strategy = content.strategy.strip()[:MAX_TEXT]
    note.decisions = content.decisions.strip()[:MAX_TEXT]
    if content.readiness is not None and not 1 <= content.readiness <= 5:
        raise ReviewError(_("The readiness rating goes from 1 to 5."))
    note.readiness = content.readiness
    note.private_remark = content.private_remark.strip()[:MAX_TEXT]
    categories = []
    if content.category_ids:
        categories = list(db.session.scalars(
            sa.select(ChallengeCategory).where(ChallengeCategory.id.in_(content.category_ids))
        ))
    note.categories = categories


def save_draft(note: ReviewNote, content: NoteContent) -> None:
    """Autosave and "save draft": only while the note is a draft (later edits make versions)."""
    if note.is_signed_off:
        raise ReviewError(_("This note is signed off; save your changes as a new version."))
    _apply(note, content)
    db.session.flush()


def snapshot(note: ReviewNote) -> dict[str, Any]:
    """A self-contained copy of the note's content (labels included, so later renames don't alter it)."""
    items = _checklist_items_for(note)
    answers = [
        {"item_id": item.id, "label_hi": item.label_hi, "label_en": item.label_en, "kind": item.kind.value,
         "value": note.answers.get(str(item.id))}
        for item in items
        if str(item.id) in note.answers or not item.is_archived
    ]
    return {
        "answers": answers,
        "challenges": note.challenges,
        "categories": [{"id": c.id, "name_hi": c.name_hi, "name_en": c.name_en} for c in note.categories],
        "strategy": note.strategy,
        "decisions": note.decisions,
        "readiness": note.readiness,
        "private_remark": note.private_remark,
    }


def _checklist_items_for(note: ReviewNote) -> list[ChecklistItem]:
    if note.campaign_id is None:
        return []
    template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.campaign_id == note.campaign_id))
    return list(template.items) if template is not None else []


def _add_version(note: ReviewNote, user) -> ReviewNoteVersion:
    actor_id, actor_label = current_actor()
    label = getattr(user, "display_name", None) or actor_label
    note.version += 1
    version = ReviewNoteVersion(note=note, number=note.version, snapshot=snapshot(note),
                                created_by_user_id=getattr(user, "id", actor_id), created_by_label=label[:200])
    db.session.add(version)
    return version


def sign_off(note: ReviewNote, user, content: NoteContent | None = None) -> None:
    """The reviewer signs the draft off: it becomes version 1, and later edits make new versions."""
    if note.is_signed_off:
        raise ReviewError(_("This note is already signed off."))
    if content is not None:
        _apply(note, content)
    note.status = NoteStatus.SIGNED_OFF
    note.signed_off_at = now_utc()
    note.signed_off_by_user_id = getattr(user, "id", None)
    db.session.flush()
    _add_version(note, user)
    db.session.flush()
    record(db.session, ReviewNote.__tablename__, note.id, "sign_off", {"version": [None, note.version]})


def revise(note: ReviewNote, user, content: NoteContent) -> bool:
    """Edit a signed-off note: a new version when the content changed. Returns whether it changed."""
    if not note.is_signed_off:
        raise ReviewError(_("Sign the note off first."))
    _apply(note, content)
    db.session.flush()
    latest = note.versions[-1].snapshot if note.versions else None
    if latest == snapshot(note):
        return False
    previous = note.version
    _add_version(note, user)
    db.session.flush()
    record(db.session, ReviewNote.__tablename__, note.id, "new_version", {"version": [previous, note.version]})
    return True


# --- action items --------------------------------------------------------------------------------


@dataclass
class ItemData:
    title: str
    owner: Person
    due_on: date | None = None
    district_unit_id: int | None = None
    campaign_id: int | None = None


def create_action_item(data: ItemData, user, note: ReviewNote | None = None) -> ActionItem:
    if not data.title.strip():
        raise ReviewError(_("Say what is to be done."))
    item = ActionItem(
        title=data.title.strip()[:MAX_ANSWER_TEXT],
        owner=data.owner,
        due_on=data.due_on,
        review_note=note,
        district_unit_id=note.district_unit_id if note is not None else data.district_unit_id,
        campaign_id=note.campaign_id if note is not None else data.campaign_id,
        created_by_user_id=getattr(user, "id", None),
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_action_item(item: ActionItem, user, status: ItemStatus | None, text: str,
                       due_on: date | None = None, change_due: bool = False) -> ActionItemUpdate | None:
    """A progress note and/or a status (or due date) change, logged as one update."""
    text = (text or "").strip()[:MAX_ANSWER_TEXT]
    new_status = ItemStatus(status) if status else item.status
    status_changed = new_status != item.status
    due_changed = change_due and due_on != item.due_on
    if not text and not status_changed and not due_changed:
        return None
    _, actor_label = current_actor()
    update = ActionItemUpdate(
        item=item, user_id=getattr(user, "id", None),
        user_label=(getattr(user, "display_name", None) or actor_label)[:200], text=text,
        old_status=item.status if status_changed else None, new_status=new_status if status_changed else None,
    )
    item.status = new_status
    if due_changed:
        item.due_on = due_on
    db.session.add(update)
    db.session.flush()
    return update



def add_note_items(note: ReviewNote, rows: list[ItemData], user) -> list[ActionItem]:
    """The action items written on the note form, all at once (blank rows already left out).

    Every row is checked before any is added, so a bad row adds none. The note's ``updated_at``
    moves even when only items were added: the form's offline copy (keyed on it) is then stale and
    is not put back, so the same items are never sent twice.
    """
    for row in rows:
        if not row.title.strip():
            raise ReviewError(_("Say what is to be done."))
        if row.owner is None:
            raise ReviewError(_("Choose who will do it."))
    items = [create_action_item(row, user, note) for row in rows]
    if items:
        note.updated_at = now_utc()
        db.session.flush()
    return items
