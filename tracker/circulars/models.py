"""Circulars (निर्देश): an instruction of the state office (or an in-charge) to a set of districts, with a
due date and the answer it expects; one recipient row per district, made when it is sent.

A recipient's row records what its district did: read (opened the circular), acknowledged, answered (a
text, a number); ``completed_at`` is when it did what the circular asks (the acknowledgement for a
circular that asks no more, the answer otherwise), the one column reminders, overdue counts and the
red flags read. The president of the district *at send time* is kept for the record; who may answer is
the district's president of the day (a new president inherits the district's open circulars).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Person, Unit
from tracker.extensions import db
from tracker.i18n import _l
from tracker.reports.models import ProgrammeReport

ANSWER_OWNER_KIND = "circular_answer"  # the owner_kind of a file sent as the answer to a circular (its recipient)


class AnswerKind(TitledEnum):
    ACKNOWLEDGE = "acknowledge", _l("Acknowledge only")
    TEXT = "text", _l("A text answer")
    NUMBER = "number", _l("A number")
    # A programme report is answered with a report of the district (tracker/reports), a file with a photo or a
    # video uploaded through tracker/uploads (owner_kind ``circular_answer``); acknowledging may carry a note.
    PROGRAMME_REPORT = "programme_report", _l("A report of a programme")
    FILE = "file", _l("A file")

    @property
    def needs_answer(self) -> bool:
        """Done only when answered (a text, a number, a report or a file); "acknowledge only" is done when
        acknowledged."""
        return self != AnswerKind.ACKNOWLEDGE

    @property
    def takes_note(self) -> bool:
        """The acknowledgement may carry a short note (what was held, where the file is)."""
        return self in (AnswerKind.PROGRAMME_REPORT, AnswerKind.FILE)


class RecipientScope(TitledEnum):
    ALL = "all", _l("All districts")
    DIVISION = "division", _l("The districts of a division")
    DISTRICTS = "districts", _l("Chosen districts")


class RecipientState(TitledEnum):
    """Where a district stands (derived from the recipient's times, never stored)."""

    NOT_READ = "not_read", _l("Not read yet")
    READ = "read", _l("Read")
    ACKNOWLEDGED = "acknowledged", _l("Acknowledged")
    ANSWERED = "answered", _l("Answered")


class Circular(TimestampMixin, db.Model):
    __tablename__ = "circulars"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    answer_kind: Mapped[AnswerKind] = enum_column(AnswerKind, "circular_answer_kind", nullable=False)
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    scope: Mapped[RecipientScope] = enum_column(RecipientScope, "circular_scope", nullable=False)
    # The division chosen (scope "division"); the districts chosen are the recipients themselves.
    scope_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    sender_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    sender_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)

    scope_unit: Mapped[Unit | None] = relationship()
    sender_person: Mapped[Person | None] = relationship()
    recipients: Mapped[list[CircularRecipient]] = relationship(
        back_populates="circular", cascade="all, delete-orphan", order_by="CircularRecipient.id")

    def is_overdue(self, today: date) -> bool:
        return today > self.due_on


class CircularRecipient(db.Model):
    __tablename__ = "circular_recipients"
    __table_args__ = (
        sa.UniqueConstraint("circular_id", "district_unit_id"),  # one row per district
        sa.CheckConstraint("acknowledged_at IS NOT NULL OR answered_at IS NULL", name="answer_is_acknowledged"),
        sa.CheckConstraint("remind_count >= 0", name="remind_count_not_negative"),
        sa.Index("ix_circular_recipients_district_pending", "district_unit_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circular_id: Mapped[int] = mapped_column(sa.ForeignKey("circulars.id", ondelete="CASCADE"), nullable=False)
    district_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False,
                                                  index=True)
    # The district's president when the circular was sent (none if the post was vacant).
    president_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_text: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    answer_number: Mapped[int | None] = mapped_column(sa.BigInteger)
    answered_by_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    # The answer to a circular that expects a programme report: a report of the district.
    answer_report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme_reports.id", ondelete="SET NULL"))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remind_count: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)

    circular: Mapped[Circular] = relationship(back_populates="recipients")
    district: Mapped[Unit] = relationship()
    president: Mapped[Person | None] = relationship(foreign_keys=[president_person_id])
    answer_report: Mapped[ProgrammeReport | None] = relationship()

    @property
    def state(self) -> RecipientState:
        if self.answered_at is not None:
            return RecipientState.ANSWERED
        if self.acknowledged_at is not None:
            return RecipientState.ACKNOWLEDGED
        if self.read_at is not None:
            return RecipientState.READ
        return RecipientState.NOT_READ

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.circular.is_overdue(today)

    @property
    def answer(self) -> str:
        """The answer as the table shows it: the number, or the text."""
        if self.answer_number is not None:
            return str(self.answer_number)
        return self.answer_text
