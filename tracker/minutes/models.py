"""Minutes (कार्यवृत्त) of a meeting or of one of its group sessions, their versions, and the office's settings
of the minutes' letterhead.

A minutes record keeps only what the office writes (a text per agenda item, an opening and the decisions, in the
simple markup of :mod:`tracker.minutes.markup`) and the language it is written in; the rest of the document
(date, venue, chair and dais, agenda, attendance by division and district, the action items that are not
confidential) is made from the data when the document is shown, in the reader's language. Approval freezes
a version (a full snapshot of the texts); every later change that is saved makes the next version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _l
from tracker.meetings.models import Meeting, MeetingSession
from tracker.timeutil import now_utc
from tracker.uploads.models import StoredFile

# The word of the reference number: "MPCC/2025/कार्यवृत्त/017" (the same in every language: it is a number).
REFERENCE_WORD = "कार्यवृत्त"

class MinutesStatus(TitledEnum):
    DRAFT = "draft", _l("Draft")
    APPROVED = "approved", _l("Approved")


# The texts the office writes: keys of ``Minutes.texts`` besides one per agenda item ("item-<id>").
OPENING = "opening"
DECISIONS = "decisions"
# Content columns are kept in the versions; the audit trail says only that something changed.
CONTENT_FIELDS = ("texts",)


class Minutes(Audited, TimestampMixin, db.Model):
    __tablename__ = "minutes"
    __audit_exclude__ = ("created_at", "updated_at", *CONTENT_FIELDS)
    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="minutes_one_number_a_year"),
        sa.CheckConstraint("version >= 0", name="version_not_negative"),
        sa.CheckConstraint("number > 0", name="positive_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True,
                                            nullable=False)
    # None: the minutes of the whole meeting; else of one group session of it.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"),
                                                   index=True)
    # "m<meeting id>" or "s<session id>": one minutes record for each.
    scope_key: Mapped[str] = mapped_column(sa.String(40), unique=True, nullable=False)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    reference: Mapped[str] = mapped_column(sa.String(120), unique=True, nullable=False)
    # The language the office writes in ("hi" or "en"); the data-made parts follow the reader's.
    language: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    # {"opening": markup, "decisions": markup, "item-<agenda item id>": markup}
    texts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict, nullable=False)
    chair_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"),
                                                        index=True)
    status: Mapped[MinutesStatus] = enum_column(MinutesStatus, "minutes_status", default=MinutesStatus.DRAFT,
                                                nullable=False)
    # 0 until approved; then the number of the newest version.
    version: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_label: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship()
    session: Mapped[MeetingSession | None] = relationship()
    chair: Mapped[Person | None] = relationship()
    versions: Mapped[list[MinutesVersion]] = relationship(
        back_populates="minutes", order_by="MinutesVersion.number", cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    def text(self, key: str) -> str:
        return (self.texts or {}).get(key) or ""


class MinutesVersion(db.Model):
    """A full snapshot of the minutes' texts at an approval or a later change (never changed)."""

    __tablename__ = "minutes_versions"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "number", name="minutes_version_one_per_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_label: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)

    minutes: Mapped[Minutes] = relationship(back_populates="versions")


class MinutesSettings(db.Model):
    """The letterhead of the minutes and where they go besides the invitees (one row, id 1)."""

    __tablename__ = "minutes_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_name_hi: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    party_name_en: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    address_hi: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    address_en: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    # The first part of a reference number: "MPCC" in "MPCC/2025/कार्यवृत्त/017".
    reference_prefix: Mapped[str] = mapped_column(sa.String(20), default="MPCC", nullable=False)
    national_office_email: Mapped[str] = mapped_column(sa.String(254), default="", nullable=False)
    # The party's logo (an uploaded PNG/JPEG/WebP, re-encoded; its StoredFile's owner is "minutes_logo" 1);
    # None: the default logo of static/img/minutes-logo.svg. Loaded with the settings (no query of its own).
    logo_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    logo: Mapped[StoredFile | None] = relationship(lazy="joined")
