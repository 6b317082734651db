"""One-to-one reviews (confidential notes), their versions, checklists, challenge categories and action items.

Confidentiality and the audit trail: a review note is audited so that "who started, signed off,
revised" is on record, but every content column is excluded from the audit entries
(``__audit_exclude__``): the trail only says *that* something happened, which office staff may
know anyway. The content itself lives in the note and its versions, read only through the policy.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.campaigns.models import Campaign
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Person, Unit
from tracker.extensions import db
from tracker.i18n import _l, lazy_pgettext
from tracker.meetings.models import MeetingSession
from tracker.timeutil import now_utc


class ChecklistKind(TitledEnum):
    YES_NO = "yes_no", _l("Yes / no")
    NUMBER = "number", _l("Number")
    TEXT = "text", _l("Text")


class NoteStatus(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SIGNED_OFF = "signed_off", _l("Signed off")


class ItemStatus(TitledEnum):
    OPEN = "open", _l("Open")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", lazy_pgettext("status", "Done")
    DROPPED = "dropped", _l("Dropped")

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


class ChecklistTemplate(Audited, TimestampMixin, db.Model):
    """The arrangements checklist of a campaign (one per campaign), edited by the office."""

    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True, nullable=False
    )

    campaign: Mapped[Campaign] = relationship()
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="template", order_by="(ChecklistItem.position, ChecklistItem.id)", cascade="all, delete-orphan"
    )

    @property
    def active_items(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.is_archived]


class ChecklistItem(Audited, TimestampMixin, db.Model):
    """One question of a checklist. Archived rather than deleted, so old answers keep their label."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_templates.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    label_hi: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    label_en: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    kind: Mapped[ChecklistKind] = enum_column(ChecklistKind, "checklist_kind", nullable=False)
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")


def answer_is_complete(kind: ChecklistKind, value: Any) -> bool:
    """Does an answer count as "in place" for the completion percentage? (yes, or any number or text)"""
    if value is None or value == "":
        return False
    if kind == ChecklistKind.YES_NO:
        return value == "yes"
    return True


class ChallengeCategory(Audited, TimestampMixin, db.Model):
    __tablename__ = "challenge_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_hi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)


review_note_reviewers = sa.Table(
    "review_note_reviewers",
    db.metadata,
    sa.Column("note_id", sa.ForeignKey("review_notes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

review_note_categories = sa.Table(
    "review_note_categories",
    db.metadata,
    sa.Column("note_id", sa.ForeignKey("review_notes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("challenge_categories.id", ondelete="RESTRICT"), primary_key=True),
)

# The note's confidential content: never written to the audit trail, snapshotted into versions.
CONTENT_FIELDS = ("answers", "challenges", "strategy", "decisions", "readiness", "private_remark")


class ReviewNote(Audited, TimestampMixin, db.Model):
    """The confidential note of one one-to-one review (or a standalone review of a district on a date)."""

    __tablename__ = "review_notes"
    __audit_exclude__ = ("created_at", "updated_at", *CONTENT_FIELDS)
    __table_args__ = (
        sa.CheckConstraint("readiness IS NULL OR (readiness BETWEEN 1 AND 5)", name="readiness_range"),
        sa.CheckConstraint("version >= 0", name="version_not_negative"),
        sa.Index("ix_review_notes_district_date", "district_unit_id", "reviewed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_sessions.id", ondelete="SET NULL"), unique=True
    )
    district_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    president_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    reviewed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    status: Mapped[NoteStatus] = enum_column(NoteStatus, "review_note_status", default=NoteStatus.DRAFT, nullable=False)
    # {str(checklist item id): "yes" | "no" | number | text}
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict, nullable=False)
    challenges: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    strategy: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    decisions: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    readiness: Mapped[int | None] = mapped_column(sa.SmallInteger)
    private_remark: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    # 0 while a draft that was never signed off; then the number of the newest version.
    version: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[MeetingSession | None] = relationship()
    district: Mapped[Unit] = relationship()
    president: Mapped[Person | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    reviewers: Mapped[list[Person]] = relationship(secondary=review_note_reviewers, order_by="Person.name_en")
    categories: Mapped[list[ChallengeCategory]] = relationship(
        secondary=review_note_categories, order_by="ChallengeCategory.position"
    )
    versions: Mapped[list[ReviewNoteVersion]] = relationship(
        back_populates="note", order_by="ReviewNoteVersion.number", cascade="all, delete-orphan"
    )
    action_items: Mapped[list[ActionItem]] = relationship(back_populates="review_note", order_by="ActionItem.id")

    def reviewer_person_ids(self) -> set[int]:
        return {person.id for person in self.reviewers}

    @property
    def is_signed_off(self) -> bool:
        return self.status == NoteStatus.SIGNED_OFF


class ReviewNoteVersion(db.Model):
    """A full snapshot of a note, kept for every sign-off and every later edit (never changed)."""

    __tablename__ = "review_note_versions"
    __table_args__ = (sa.UniqueConstraint("note_id", "number", name="one_per_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("review_notes.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_label: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)

    note: Mapped[ReviewNote] = relationship(back_populates="versions")


class ActionItem(Audited, TimestampMixin, db.Model):
    """A follow-up with an owner, a due date and a status; from a review note or standalone."""

    __tablename__ = "action_items"
    __table_args__ = (
        sa.Index("ix_action_items_district_status_due", "district_unit_id", "status", "due_on"),
        sa.Index("ix_action_items_owner_status", "owner_person_id", "status"),
        sa.Index("ix_action_items_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    owner_person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), nullable=False)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ItemStatus] = enum_column(ItemStatus, "action_item_status", default=ItemStatus.OPEN, nullable=False)
    review_note_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_notes.id", ondelete="SET NULL"), index=True
    )
    district_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    owner: Mapped[Person] = relationship()
    review_note: Mapped[ReviewNote | None] = relationship(back_populates="action_items")
    district: Mapped[Unit | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    updates: Mapped[list[ActionItemUpdate]] = relationship(
        back_populates="item", order_by="ActionItemUpdate.id.desc()", cascade="all, delete-orphan"
    )

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today


class ActionItemUpdate(db.Model):
    """A progress note and/or status change of an action item (the item's own log)."""

    __tablename__ = "action_item_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    user_label: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    text: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    old_status: Mapped[ItemStatus | None] = enum_column(ItemStatus, "action_item_update_old_status", nullable=True)
    new_status: Mapped[ItemStatus | None] = enum_column(ItemStatus, "action_item_update_new_status", nullable=True)

    item: Mapped[ActionItem] = relationship(back_populates="updates")
