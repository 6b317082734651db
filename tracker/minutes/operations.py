"""Starting, editing, approving and sending minutes; the office's settings. Every function flushes and never
commits (the request commits once); messages are queued in the caller's transaction.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import policy
from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.i18n import _
from tracker.meetings.models import Meeting, MeetingSession, SessionKind
from tracker.minutes import messages, queries
from tracker.minutes.models import (
    DECISIONS,
    OPENING,
    REFERENCE_WORD,
    Minutes,
    MinutesSettings,
    MinutesStatus,
    MinutesVersion,
)
from tracker.reminders import operations as outbox
from tracker.reminders.models import MessageKind
from tracker.text import TextRefused, check_multiline
from tracker.uploads.checks import Checked, UploadRefused, check, sniff
from tracker.uploads.models import IMAGE
from tracker.uploads.operations import attach, keep
from tracker.uploads.stores import current_store

log = logging.getLogger(__name__)

LANGUAGES = ("hi", "en")
MAX_TEXT = 20_000


class MinutesError(DomainError):
    pass


def scope_key(meeting: Meeting, session: MeetingSession | None) -> str:
    return f"s{session.id}" if session is not None else f"m{meeting.id}"


def reference_for(prefix: str, year: int, number: int) -> str:
    return f"{prefix or 'MPCC'}/{year}/{REFERENCE_WORD}/{number:03d}"


def _chair_of(meeting: Meeting, session: MeetingSession | None) -> int | None:
    if session is not None:
        return session.chair_person_id
    return next((s.chair_person_id for s in meeting.sessions
                 if s.kind == SessionKind.GROUP and s.chair_person_id is not None), None)


def start(meeting: Meeting, session: MeetingSession | None, user, language: str) -> Minutes:
    """The draft minutes of a meeting or of one of its group sessions (the existing ones if started before):
    a reference number of the meeting's year, the chair of the session (of the meeting's first chaired group
    session), and empty texts to write."""
    if session is not None and (session.meeting_id != meeting.id or session.kind != SessionKind.GROUP):
        raise MinutesError(_("Minutes are written for a meeting and for its group sessions."))
    key = scope_key(meeting, session)
    existing = db.session.scalar(sa.select(Minutes).where(Minutes.scope_key == key))
    if existing is not None:
        return existing
    year = meeting.starts_on.year
    prefix = queries.settings().reference_prefix
    for _attempt in range(3):
        number = queries.next_number(year)
        minutes = Minutes(meeting=meeting, session=session, scope_key=key, year=year, number=number,
                          reference=reference_for(prefix, year, number),
                          language=language if language in LANGUAGES else LANGUAGES[0], texts={},
                          chair_person_id=_chair_of(meeting, session), status=MinutesStatus.DRAFT, version=0,
                          created_by_user_id=getattr(user, "id", None))
        try:
            with db.session.begin_nested():
                db.session.add(minutes)
            return minutes
        except IntegrityError:  # the same number taken at the same moment: take the next one
            existing = db.session.scalar(sa.select(Minutes).where(Minutes.scope_key == key))
            if existing is not None:
                return existing
    raise MinutesError(_("The minutes could not be numbered; please try again."))


def allowed_keys(minutes: Minutes) -> set[str]:
    """The texts the minutes have: the opening, one per agenda item of its sessions, the decisions."""
    keys = {OPENING, DECISIONS}
    for session in queries.group_sessions(minutes.meeting_id, minutes.session_id):
        keys.update(f"item-{item.id}" for item in session.agenda_items)
    return keys


def _clean_texts(minutes: Minutes, texts: dict[str, str]) -> dict[str, str]:
    keys = allowed_keys(minutes)
    out = {}
    for key, value in texts.items():
        if key not in keys:
            continue
        try:
            value = check_multiline((value or "").replace("\r\n", "\n").strip())
        except TextRefused as refused:
            raise MinutesError(refused.message) from refused
        if len(value) > MAX_TEXT:
            raise MinutesError(_("A text of the minutes is too long."))
        if value:
            out[key] = value
    return out


def snapshot(minutes: Minutes) -> dict[str, Any]:
    """What a version keeps: the language and the texts, with the titles of the agenda items they are about."""
    titles = {}
    for session in queries.group_sessions(minutes.meeting_id, minutes.session_id):
        for item in session.agenda_items:
            titles[f"item-{item.id}"] = {"title_hi": item.title_hi, "title_en": item.title_en}
    return {"language": minutes.language, "texts": dict(minutes.texts or {}), "titles": titles,
            "reference": minutes.reference}


def _user_label(user) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return person.name_hi or person.name_en
    return getattr(user, "username", "") or ""


def _add_version(minutes: Minutes, user, now: datetime) -> MinutesVersion:
    minutes.version += 1
    version = MinutesVersion(number=minutes.version, snapshot=snapshot(minutes), created_at=now,
                             created_by_user_id=getattr(user, "id", None), created_by_label=_user_label(user))
    minutes.versions.append(version)
    return version


def save(minutes: Minutes, user, texts: dict[str, str], language: str, now: datetime) -> bool:
    """Save the office's texts. A draft is simply changed; approved minutes that change get a new version
    (they stay approved: the office answers for its edits, as for a review note). True if anything changed."""
    if language not in LANGUAGES:
        raise MinutesError(_("Choose the language of the minutes."), field="language")
    cleaned = _clean_texts(minutes, texts)
    changed = cleaned != (minutes.texts or {}) or language != minutes.language
    if not changed:
        return False
    minutes.texts = cleaned
    minutes.language = language
    if minutes.is_approved:
        _add_version(minutes, user, now)
    db.session.flush()
    return True


def approve(minutes: Minutes, user, now: datetime) -> MinutesVersion:
    """The chair or the office approves the draft: version 1 is kept."""
    if minutes.is_approved:
        raise MinutesError(_("These minutes are already approved."))
    if not policy.can(user, "minutes.approve", minutes):
        raise MinutesError(_("Only the chair or the state office may approve the minutes."))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = now
    minutes.approved_by_user_id = getattr(user, "id", None)
    minutes.approved_by_label = _user_label(user)
    version = _add_version(minutes, user, now)
    db.session.flush()
    return version


def send(minutes: Minutes, now: datetime, attachment: messages.Attachment | None = None) -> int:
    """Queue the approved minutes to each invitee (their channel, with their personal link) and by e-mail to the
    national office (with the public link); an e-mail carries the minutes' PDF, made when it is delivered
    (messages.pdf_attachment). Sending the same version again queues nothing new. Returns how many messages
    were queued."""
    if not minutes.is_approved:
        raise MinutesError(_("Only approved minutes can be sent."))
    queued = 0
    for person in queries.recipients(minutes):
        key = outbox.message_key(MessageKind.MINUTES, f"n{minutes.id}", f"v{minutes.version}", f"p{person.id}")
        if outbox.enqueue(key=key, kind=MessageKind.MINUTES, person=person, now=now, meeting_id=minutes.meeting_id,
                          session_id=minutes.session_id,
                          render=lambda person=person: messages.minutes_message(person.preferred_locale, minutes,
                                                                                attachment=attachment,
                                                                                with_pdf=True)):
            queued += 1
    address = queries.settings().national_office_email.strip()
    if address:
        key = outbox.message_key(MessageKind.MINUTES, f"n{minutes.id}", f"v{minutes.version}", "national")
        if outbox.enqueue_email(key=key, kind=MessageKind.MINUTES, address=address, locale="en", now=now,
                                meeting_id=minutes.meeting_id, session_id=minutes.session_id,
                                render=lambda: messages.minutes_message("en", minutes, public=True,
                                                                        attachment=attachment, with_pdf=True)):
            queued += 1
    minutes.sent_at = now
    db.session.flush()
    log.info("minutes %s (version %s) sent: %s messages", minutes.id, minutes.version, queued)
    return queued


def save_settings(user, now: datetime, **values: str) -> MinutesSettings:
    found = _stored_settings()
    for name in ("party_name_hi", "party_name_en", "address_hi", "address_en", "reference_prefix",
                 "national_office_email"):
        if name in values:
            setattr(found, name, (values[name] or "").strip())
    found.changed_at = now
    found.changed_by_user_id = getattr(user, "id", None)
    db.session.flush()
    return found


# --- the party's logo ------------------------------------------------------------------------------------

LOGO_OWNER = "minutes_logo"  # tracker/policy.py's _FILE_OWNERS: anyone who may read some minutes
LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")
LOGO_MAX_EDGE = 600  # pixels on the longer edge: a letterhead's logo is printed 2 cm wide


def _stored_settings() -> MinutesSettings:
    found = db.session.get(MinutesSettings, 1)
    if found is None:
        found = queries.settings()
        db.session.add(found)
    return found


def _drop_logo(found: MinutesSettings) -> None:
    """Forget the current logo: its record goes, and its bytes after the record is gone."""
    old = found.logo
    if old is None:
        return
    found.logo = None
    found.logo_file_id = None
    db.session.flush()
    key = old.key
    db.session.delete(old)
    db.session.flush()
    try:
        current_store().delete(key)
    except Exception:  # noqa: BLE001 - bytes left in the store are harmless (no record serves them)
        log.warning("the old logo's bytes %s were not deleted from the store", key, exc_info=True)


def set_logo(user, now: datetime, data: bytes, filename: str) -> MinutesSettings:
    """The party's logo on the minutes: a PNG, JPEG or WebP image (sniffed from its bytes; anything else, SVG
    included, is refused), checked and re-encoded by tracker/uploads and shrunk to ``LOGO_MAX_EDGE`` pixels.
    Replaces the previous logo. Raises :class:`UploadRefused`."""
    found = sniff(data[:16]) if data else None
    if data and (found is None or found[1] not in LOGO_TYPES):
        raise UploadRefused(_("The logo must be a PNG, JPEG or WebP image."))
    checked = check(data)
    if checked.kind != IMAGE:
        raise UploadRefused(_("The logo must be a PNG, JPEG or WebP image."))
    checked = _shrunk(checked)
    settings_row = _stored_settings()
    _drop_logo(settings_row)
    stored = keep(checked, filename, user)
    attach([stored], LOGO_OWNER, 1)
    settings_row.logo = stored
    settings_row.changed_at = now
    settings_row.changed_by_user_id = getattr(user, "id", None)
    db.session.flush()
    log.info("minutes logo %s set by %s", stored.key, getattr(user, "username", None))
    return settings_row


def _shrunk(checked: Checked) -> Checked:
    if max(checked.width or 0, checked.height or 0) <= LOGO_MAX_EDGE:
        return checked
    from PIL import Image

    image = Image.open(io.BytesIO(checked.data))
    image.thumbnail((LOGO_MAX_EDGE, LOGO_MAX_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return Checked(checked.kind, "image/jpeg", out.getvalue(), image.width, image.height)


def remove_logo(user, now: datetime) -> MinutesSettings:
    """Back to the default logo."""
    settings_row = _stored_settings()
    _drop_logo(settings_row)
    settings_row.changed_at = now
    settings_row.changed_by_user_id = getattr(user, "id", None)
    db.session.flush()
    return settings_row
