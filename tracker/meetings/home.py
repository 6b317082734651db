"""What the meetings domain adds to the home page (tracker/core/links.py): the office's draft meetings, and
the district president's home, which is their agenda."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.core.links import PanelItem, PanelItems, register_home, register_panel
from tracker.extensions import db
from tracker.i18n import _l, fmt_date, localized

PANEL_SIZE = 5


def draft_meetings(user) -> PanelItems:
    """Draft meetings, soonest first (two queries: the first few, and how many in all)."""
    from flask import url_for

    from tracker.meetings.models import Meeting, MeetingStatus

    where = Meeting.status == MeetingStatus.DRAFT
    meetings = db.session.scalars(sa.select(Meeting).where(where).order_by(Meeting.starts_on, Meeting.id)
                                  .limit(PANEL_SIZE)).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(where)) if meetings else 0
    return PanelItems([PanelItem(localized(m, "title"), url_for("meetings.meeting_page", meeting_id=m.id),
                                 f"{fmt_date(m.starts_on, 'medium')} – {fmt_date(m.ends_on, 'medium')}")
                       for m in meetings], total)


def register() -> None:
    register_home("meetings.agenda", "home.agenda")
    register_panel("meetings-drafts", _l("Draft meetings"), "meetings.edit", draft_meetings,
                   more_endpoint="meetings.list_meetings", more_args={"status": "draft"},
                   more_label=_l("All draft meetings"), order=10, attention=True)
