"""Programme reports: what a district did between meetings (a worker meeting, a protest, a rally …),
written by its president (or the office), with photos and videos (tracker/uploads), verified or questioned
by the office and the in-charges."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.i18n import _l

OWNER_KIND = "programme_report"  # the owner_kind of a report's stored files


class ReportStatus(TitledEnum):
    SUBMITTED = "submitted", _l("Submitted")
    VERIFIED = "verified", _l("Verified")
    QUESTIONED = "questioned", _l("Question asked")


class ReportKind(TimestampMixin, db.Model):
    """A kind of programme, in the list the office keeps (archived rather than deleted)."""

    __tablename__ = "report_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True, nullable=False)
    name_hi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)


programme_report_units = sa.Table(
    "programme_report_units",
    db.metadata,
    sa.Column("report_id", sa.ForeignKey("programme_reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ProgrammeReport(TimestampMixin, db.Model):
    __tablename__ = "programme_reports"
    __table_args__ = (
        sa.CheckConstraint("participants >= 0", name="participants_not_negative"),
        sa.Index("ix_programme_reports_district_held", "district_unit_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    kind_id: Mapped[int] = mapped_column(sa.ForeignKey("report_kinds.id", ondelete="RESTRICT"), index=True,
                                         nullable=False)
    held_on: Mapped[date] = mapped_column(sa.Date, index=True, nullable=False)
    place: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    participants: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    account: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    links: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")  # one URL a line
    status: Mapped[ReportStatus] = enum_column(ReportStatus, "report_status", nullable=False,
                                               default=ReportStatus.SUBMITTED)
    question: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The district president's answer to the question (the report then goes back to "submitted").
    answer: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    written_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The phone's idempotency key: a report queued offline and sent twice is recorded once.
    client_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    district: Mapped[Unit] = relationship(foreign_keys=[district_unit_id])
    kind: Mapped[ReportKind] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=programme_report_units, order_by="Unit.name_en")

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]
