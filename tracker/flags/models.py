"""Red flags: the office's setting of how long a district may go without a report. The flags themselves are not
stored: they are computed from what the districts did (queries.py), so that a flag clears itself the moment a
district acts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.audit.operations import Audited
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin
from tracker.extensions import db
from tracker.i18n import _l

DEFAULT_QUIET_DAYS = 30
MAX_QUIET_DAYS = 365


class FlagReason(TitledEnum):
    NO_REPORT = "no_report", _l("No programme reported")
    CIRCULARS_OVERDUE = "circulars_overdue", _l("Circulars unanswered past their due date")
    ACTIONS_OVERDUE = "actions_overdue", _l("Action items overdue")


class FlagSettings(Audited, TimestampMixin, db.Model):
    """One row: the office's settings of the red flags."""

    __tablename__ = "flag_settings"
    __table_args__ = (
        sa.CheckConstraint(f"quiet_days BETWEEN 1 AND {MAX_QUIET_DAYS}", name="quiet_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A district that has reported no programme for this many days is flagged.
    quiet_days: Mapped[int] = mapped_column(sa.Integer, default=DEFAULT_QUIET_DAYS, nullable=False)
