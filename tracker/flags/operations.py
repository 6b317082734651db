"""Business rules of the red flags. Every function flushes and never commits."""

from __future__ import annotations

from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.flags import queries
from tracker.flags.models import MAX_QUIET_DAYS, FlagSettings
from tracker.i18n import _


class FlagError(DomainError):
    """A rule refused the change; the message is translated and shown to the user."""


def set_quiet_days(days: int) -> FlagSettings:
    """How many days without a programme report flag a district (1 to 365); the audit trail keeps the change."""
    if not 1 <= days <= MAX_QUIET_DAYS:
        raise FlagError(_("Give a number of days from 1 to %(max)s.", max=MAX_QUIET_DAYS))
    row = queries.settings_row()
    if row is None:
        row = FlagSettings(quiet_days=days)
        db.session.add(row)
    else:
        row.quiet_days = days
    db.session.flush()
    return row
