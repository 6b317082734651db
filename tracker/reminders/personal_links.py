"""A person's own link in their messages (``/p/<token>``), issued when a message is queued.

One link per person, reused while valid (every message to the person carries the same link); valid
until the end of the last session the person is invited to (or ``PERSONAL_LINK_DAYS`` days when
there is none); revocable by the person, by the office, and revoked when one of the person's posts
ends. The token (32 characters, 192 bits) is ``HMAC(SECRET_KEY, salt)``: only its SHA-256 and the
salt are stored. A queued message keeps a placeholder in its link (``[[personal-link:<id>]]``), filled in
with the token only when the message is handed to its channel (:func:`fill`): the token is in no table,
not even the outbox. Every function flushes and never commits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from tracker.audit import operations as audit
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.meetings.models import Invitation, Meeting, MeetingSession, MeetingStatus
from tracker.reminders.models import PersonalLink

TOKEN_CHARS = 32


def _derive(salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"personal-link:" + salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_CHARS]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _last_session_end(person_id: int, now: datetime) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.max(MeetingSession.ends_at))
        .join(Invitation, Invitation.session_id == MeetingSession.id)
        .join(Meeting, MeetingSession.meeting_id == Meeting.id)
        .where(Invitation.person_id == person_id, Meeting.status != MeetingStatus.CANCELLED,
               MeetingSession.ends_at > now)
    )


def _active(person_id: int, now: datetime) -> PersonalLink | None:
    return db.session.scalar(
        sa.select(PersonalLink)
        .where(PersonalLink.person_id == person_id, PersonalLink.revoked_at.is_(None),
               PersonalLink.expires_at > now)
        .order_by(PersonalLink.id.desc()).limit(1)
    )


def issue(person: Person, now: datetime) -> PersonalLink:
    """The person's link: their valid one (its validity stretched to their last session), or a new one."""
    until = _last_session_end(person.id, now) or now + timedelta(days=current_app.config["PERSONAL_LINK_DAYS"])
    link = _active(person.id, now)
    if link is not None and hmac.compare_digest(token_hash(_derive(link.salt)), link.token_hash):
        link.expires_at = max(link.expires_at, until)
        db.session.flush()
        return link
    salt = secrets.token_urlsafe(24)
    link = PersonalLink(person_id=person.id, token_hash=token_hash(_derive(salt)), salt=salt, created_at=now,
                        expires_at=until, revoked_by="")
    db.session.add(link)
    db.session.flush()
    return link


def token_of(link: PersonalLink) -> str:
    return _derive(link.salt)


def absolute_url(token: str) -> str:
    """The link as it goes in a message: ``PUBLIC_URL`` (or the request's own root) plus ``/p/<token>``."""
    base = current_app.config.get("PUBLIC_URL") or (request.url_root if has_request_context() else "")
    path = current_app.url_map.bind("localhost").build("reminders_link.page", {"token": "TOKEN"})
    return (base or "http://localhost/").rstrip("/") + path.replace("TOKEN", token)


_PLACEHOLDER = re.compile(r"\[\[personal-link:(\d+)\]\]")


def placeholder_url(link: PersonalLink) -> str:
    """The link as a queued message keeps it: the token's place holds the link's id."""
    return absolute_url(f"[[personal-link:{link.id}]]")


def fill(body: str) -> str:
    """The body with each link placeholder replaced by its token (when the message goes out)."""

    def token(match: re.Match) -> str:
        link = db.session.get(PersonalLink, int(match.group(1)))
        return _derive(link.salt) if link is not None else "-"

    return _PLACEHOLDER.sub(token, body)


def find(token: str) -> PersonalLink | None:
    """The link of this token, valid or not (None when there is no such link)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(PersonalLink).where(PersonalLink.token_hash == token_hash(token)))


def is_valid(link: PersonalLink, now: datetime) -> bool:
    return link.revoked_at is None and link.expires_at > now


def revoke(link: PersonalLink, now: datetime, by: str) -> None:
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = now, by
        audit.record(db.session, "personal_link", link.id, "revoke", {"revoked_by": [None, by]})
    db.session.flush()


def revoke_all(person_id: int, now: datetime, by: str) -> int:
    """Revoke every valid link of the person; how many were revoked."""
    links = db.session.scalars(
        sa.select(PersonalLink).where(PersonalLink.person_id == person_id, PersonalLink.revoked_at.is_(None))
    ).all()
    for link in links:
        revoke(link, now, by)
    return len(links)


def valid_count(person_id: int, now: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(PersonalLink)
        .where(PersonalLink.person_id == person_id, PersonalLink.revoked_at.is_(None), PersonalLink.expires_at > now)
    )


def end_with_post(person_id: int, moment: datetime, now: datetime) -> None:
    """A post of the person ends at ``moment``: their links end then (revoked now if it has passed)."""
    links = db.session.scalars(
        sa.select(PersonalLink).where(PersonalLink.person_id == person_id, PersonalLink.revoked_at.is_(None))
    ).all()
    for link in links:
        if moment <= now:
            revoke(link, now, "post_ended")
        elif link.expires_at > moment:
            link.expires_at = moment
    db.session.flush()
