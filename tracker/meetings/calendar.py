"""iCalendar files: one session's ``.ics``, and each person's private subscription feed.

Events carry ``DTSTART;TZID=Asia/Kolkata`` with a VTIMEZONE, a stable ``UID``
(``session-<id>@tracker``) and ``SEQUENCE`` = the session's ``sequence`` (bumped whenever it
moves or is cancelled), so a calendar replaces its copy instead of adding a second one.

A feed's token is an HMAC of the feed id under the app's secret key: the URL can be shown again
while only a hash of the token is stored (a database copy alone does not reveal it). Revoking
a feed and making a new one changes the URL.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import lru_cache

import icalendar
from sqlalchemy import select

from tracker.core import signing
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import localized
from tracker.meetings import queries
from tracker.meetings.models import CalendarFeed, MeetingSession, SessionStatus
from tracker.meetings.operations import session_label
from tracker.meetings.rooms import room_label
from tracker.timeutil import local_zone, now_utc, to_local

PRODID = "-//tracker//meetings//EN"
FEED_HISTORY = timedelta(days=90)


def session_uid(session: MeetingSession) -> str:
    return f"session-{session.id}@tracker"


def _event(session: MeetingSession) -> icalendar.Event:
    meeting = session.meeting
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.updated_at or now_utc())
    event.add("dtstart", to_local(session.starts_at))
    event.add("dtend", to_local(session.ends_at))
    event.add("summary", f"{session_label(session)} · {localized(meeting, 'title')}")
    location = ", ".join(x for x in (room_label(session.room), meeting.venue) if x)
    if location:
        event.add("location", location)
    lines = [localized(meeting, "title")]
    if session.chair is not None:
        lines.append(localized(session.chair))
    bring = localized(session, "what_to_bring")
    if bring:
        lines.append(bring)
    event.add("description", "\n".join(lines))
    cancelled = session.status == SessionStatus.CANCELLED or meeting.status.value == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(local_zone()))
    return cal


@lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of a zone (computing it takes a noticeable fraction of a second: done once)."""
    return icalendar.Timezone.from_tzid(tzid).to_ical()


def _finish(cal: icalendar.Calendar) -> bytes:
    cal.add_component(icalendar.Timezone.from_ical(_vtimezone(str(local_zone()))))
    return cal.to_ical()


def session_ics(session: MeetingSession) -> bytes:
    cal = _calendar()
    cal.add("method", "PUBLISH")
    cal.add_component(_event(session))
    return _finish(cal)


def feed_ics(person: Person) -> bytes:
    """Every session the person is invited to in published meetings (recent and upcoming)."""
    cal = _calendar(localized(person))
    for invitation in queries.feed_invitations(person.id, queries.now_utc() - FEED_HISTORY):
        cal.add_component(_event(invitation.session))
    return _finish(cal)


# --- subscription tokens ---------------------------------------------------------------------------


def feed_token(feed: CalendarFeed) -> str:
    return signing.digest(f"calendar-feed:{feed.id}", 24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_feed(person: Person) -> CalendarFeed:
    """The person's active feed, made on first use (flushes)."""
    feed = queries.active_feed(person.id)
    if feed is None:
        feed = CalendarFeed(person_id=person.id)
        db.session.add(feed)
        db.session.flush()
        feed.token_hash = _hash(feed_token(feed))
        db.session.flush()
    return feed


def rotate_feed(person: Person) -> CalendarFeed:
    """Revoke the person's current link and make a new one."""
    feed = queries.active_feed(person.id)
    if feed is not None:
        feed.revoked_at = now_utc()
        db.session.flush()
    return ensure_feed(person)


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None or feed.revoked_at is not None:
        return None
    return feed
