"""Which rosters a coordinator's phone keeps for use without network (tracker/core/offline.py keeps them):
today's and tomorrow's sessions, as opened (not a search), until the end of the session's day; and a
person's own pass of such a session."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user

from tracker.core.offline import keep_offline, kept_until_end_of, today_or_tomorrow
from tracker.extensions import db
from tracker.meetings.models import MeetingSession, SessionStatus
from tracker.timeutil import local_to_utc, to_local, today_local


def keep_roster(session, search: str) -> list[str]:
    """Let the phone keep this roster if its session is today's or tomorrow's (and the page is not a
    search); the rosters of the meeting's sessions of today and tomorrow (the "keep this meeting on
    the phone" button), or none."""
    day = to_local(session.starts_at).date()
    if search or not today_or_tomorrow(day):
        return []
    keep_offline(kept_until_end_of(day))
    today = today_local()
    ids = db.session.scalars(
        sa.select(MeetingSession.id)
        .where(MeetingSession.meeting_id == session.meeting_id,
               MeetingSession.status != SessionStatus.CANCELLED,
               MeetingSession.starts_at >= local_to_utc(today, time(0)),
               MeetingSession.starts_at < local_to_utc(today + timedelta(days=2), time(0)))
        .order_by(MeetingSession.starts_at, MeetingSession.id))
    return [url_for("attendance.roster", session_id=session_id) for session_id in ids]


def keep_pass(invitation) -> None:
    """Let the phone keep one's own pass of a session of today or tomorrow (shown at the hall's gate)."""
    day = to_local(invitation.session.starts_at).date()
    if invitation.person_id == current_user.person_id and today_or_tomorrow(day):
        keep_offline(kept_until_end_of(day))
