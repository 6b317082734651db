"""Attendance at a session: one record per (session, person), written by upsert.

The record keeps the state before its last change (the ``prev_*`` columns) so that a mark can be
undone. Every write goes through :mod:`tracker.attendance.operations`, which uses Core statements
(``INSERT … ON CONFLICT DO UPDATE``) and records the audit entry itself.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.core.enums import TitledEnum
from tracker.db import UTCDateTime, enum_column
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _l
from tracker.timeutil import now_utc


class AttendanceStatus(TitledEnum):
    PRESENT = "present", _l("Present")
    LATE = "late", _l("Late")
    EXCUSED = "excused", _l("Excused")
    ABSENT = "absent", _l("Absent")
    REPRESENTED = "represented", _l("Represented")

    @property
    def attended(self) -> bool:
        """Counts towards the attendance rate (the district was there)."""
        return self in ATTENDED


ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.REPRESENTED})

# The columns that make up a mark (and are saved in prev_* for undo).
MARK_FIELDS = ("status", "late_at", "represented_by_person_id", "represented_by_name", "note",
               "marked_by_user_id", "marked_at")


class Attendance(Audited, db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "person_id"),
        sa.CheckConstraint("(status = 'late') OR (late_at IS NULL)", name="late_at_only_when_late"),
        sa.CheckConstraint(
            "(status = 'represented') OR (represented_by_person_id IS NULL AND represented_by_name = '')",
            name="representative_only_when_represented",
        ),
        sa.CheckConstraint("version > 0", name="positive_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), nullable=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True,
                                           nullable=False)
    status: Mapped[AttendanceStatus] = enum_column(AttendanceStatus, "attendance_status", nullable=False)
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    represented_by_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    represented_by_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    is_walk_in: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    marked_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    # Entered from a paper sheet after the marking window closed (tracker/attendance/paper.py), with the
    # reason the coordinator gave for the sheet (the office may leave it empty).
    entered_later: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    late_entry_reason: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    # Bumped by every write: an undo names the version it undoes, so a stale undo is refused.
    version: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    # The state before the last change; can_undo is false after an undo (one step back only).
    can_undo: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    prev_status: Mapped[AttendanceStatus | None] = enum_column(
        AttendanceStatus, "attendance_prev_status", nullable=True
    )
    prev_late_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    prev_represented_by_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    prev_represented_by_name: Mapped[str | None] = mapped_column(sa.String(200))
    prev_note: Mapped[str | None] = mapped_column(sa.Text)
    prev_marked_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    prev_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    represented_by: Mapped[Person | None] = relationship(foreign_keys=[represented_by_person_id])


class PassCode(db.Model):
    """The short code printed beside a pass's QR code, for typing when the QR cannot be read.

    Six characters from :data:`tracker.attendance.passcodes.ALPHABET` (no look-alikes), unique within
    the meeting (the check-in desk knows the meeting), one per invitation. Made by
    :func:`tracker.attendance.passcodes.assign` when the invitation gets its pass token.
    """

    __tablename__ = "pass_codes"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "code"),)

    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"),
                                               primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    code: Mapped[str] = mapped_column(sa.String(6), nullable=False)


class SyncReceipt(db.Model):
    """One item of a phone's offline queue, as the server received it (a mark or a pass check-in).

    ``client_id`` is made on the phone (a UUID) and is unique: a queue sent again (a lost answer, a
    killed server, a reload) finds its receipt and changes nothing, so every item is written exactly
    once. ``state`` and ``reason`` are the answer the phone was given, given again on a replay.
    """

    __tablename__ = "attendance_sync_receipts"
    __table_args__ = (
        sa.UniqueConstraint("client_id"),
        sa.CheckConstraint("kind IN ('mark', 'pass')", name="kind"),
        sa.CheckConstraint("state IN ('saved', 'refused')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), index=True,
                                            nullable=False)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    state: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    # The time taken on the phone, clamped (see tracker.attendance.sync.clamp); when it reached us.
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
