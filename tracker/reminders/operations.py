"""What is queued, and the outbox's state changes. Every function flushes and never commits.

Each function takes ``now`` (aware UTC) from its caller, who reads the app's clock (``tracker.timeutil.now_utc``).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker.audit import operations as audit
from tracker.core.errors import DomainError
from tracker.directory.models import Channel, Person
from tracker.extensions import db
from tracker.i18n import _
from tracker.meetings import replies
from tracker.meetings.models import (
    Invitation,
    Meeting,
    MeetingSession,
    MeetingStatus,
    ReplyAnswer,
    SessionStatus,
)
from tracker.reminders import bridges, digest_parts, errors, messages, personal_links, queries
from tracker.reminders.channels import smtp_configured, webhook_configured
from tracker.reminders.models import (
    RECORD_ONLY_KINDS,
    REMINDER_KINDS,
    MeetingReminderSetting,
    MessageKind,
    MessageState,
    NotifyProblem,
    OutboxChannel,
    OutboxMessage,
    OutboxSettings,
    ProblemReason,
)
from tracker.timeutil import local_to_utc, now_utc

log = logging.getLogger(__name__)


class OutboxError(DomainError):
    """The message cannot be changed in its present state (sent, or already being sent)."""

    def __init__(self) -> None:
        super().__init__(_("This message cannot be changed in its present state."))


# --- routing: which channel and address a person is reached at --------------------------------


@dataclass(frozen=True)
class Route:
    channel: OutboxChannel
    address: str


def route_for(person: Person) -> Route | ProblemReason:
    """The person's preferred channel and its address, or why they cannot be reached.

    Without a configured SMTP server (or webhook) the message goes to the console channel, so a
    development machine shows what would have been sent.
    """
    config = current_app.config
    preferred = person.preferred_channel
    if preferred == Channel.NONE:
        return ProblemReason.NO_MESSAGES
    if preferred == Channel.EMAIL:
        if not person.email:
            return ProblemReason.NO_EMAIL
        return Route(OutboxChannel.EMAIL if smtp_configured(config) else OutboxChannel.CONSOLE, person.email)
    if not person.mobile:
        return ProblemReason.NO_MOBILE
    wanted = OutboxChannel.WHATSAPP if preferred == Channel.WHATSAPP else OutboxChannel.SMS
    return Route(wanted if webhook_configured(config) else OutboxChannel.CONSOLE, person.mobile)


# --- the one way a message is queued ----------------------------------------------------------


def message_key(kind: MessageKind, *parts: object) -> str:
    return ":".join([kind.value, *(str(p) for p in parts)])[:200]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def enqueue(
    *,
    key: str,
    kind: MessageKind,
    person: Person,
    render,
    now: datetime,
    send_after: datetime | None = None,
    send_before: datetime | None = None,
    meeting_id: int | None = None,
    session_id: int | None = None,
    action_item_id: int | None = None,
) -> OutboxMessage | None:
    """Queue one message (idempotent on ``key``); or put the person on the "could not notify" list.

    ``render`` is called only when a message is really queued (it returns messages.Rendered).
    A message of the same key that was cancelled is revived with the new content; any other
    existing message of that key is returned unchanged.
    """
    route = route_for(person)
    if isinstance(route, ProblemReason):
        record_problem(key, kind, route, person_id=person.id, meeting_id=meeting_id, session_id=session_id,
                       now=now)
        return None
    existing = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    if existing is not None and existing.state != MessageState.CANCELLED:
        return existing
    content = _for_channel(render(), kind, person, route.channel, now)
    fields = dict(
        kind=kind, channel=route.channel, recipient_person_id=person.id, address=route.address,
        locale=messages.person_locale(person), subject=content.subject, body=content.body, ics=content.ics,
        attachment=content.attachment_ref,
        template=content.template if content.variables else "", template_variables=content.variables or None,
        meeting_id=meeting_id, session_id=session_id, action_item_id=action_item_id,
        send_after=send_after or now, send_before=send_before, state=MessageState.PENDING, attempts=0,
        last_error="", next_attempt_at=None, claim_token=None, claimed_at=None, handed_over_at=None,
        sent_at=None,
    )
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        db.session.flush()
        return existing
    message = OutboxMessage(idempotency_key=key, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # queued concurrently by another process: theirs stands
        return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    return message


def enqueue_email(*, key: str, kind: MessageKind, address: str, locale: str, render, now: datetime,
                  meeting_id: int | None = None, session_id: int | None = None) -> OutboxMessage | None:
    """Queue one e-mail to an address that is no person of the directory (the national office's), idempotent
    on ``key`` as :func:`enqueue`; it carries no personal link (``render`` puts in the link it needs)."""
    existing = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    if existing is not None and existing.state != MessageState.CANCELLED:
        return existing
    content = messages.for_channel(render(), locale, email=True, link=None)
    channel = OutboxChannel.EMAIL if smtp_configured(current_app.config) else OutboxChannel.CONSOLE
    fields = dict(
        kind=kind, channel=channel, recipient_person_id=None, address=address, locale=locale,
        subject=content.subject, body=content.body, ics=content.ics,
        attachment=content.attachment_ref, template="", template_variables=None,
        meeting_id=meeting_id, session_id=session_id, action_item_id=None, send_after=now, send_before=None,
        state=MessageState.PENDING, attempts=0, last_error="", next_attempt_at=None, claim_token=None,
        claimed_at=None, handed_over_at=None, sent_at=None,
    )
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        db.session.flush()
        return existing
    message = OutboxMessage(idempotency_key=key, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    return message


# The messages that carry the person's own link (their agenda, passes, replies and action items).
LINK_KINDS = frozenset({MessageKind.INVITATION, *REMINDER_KINDS, MessageKind.CHANGE, MessageKind.ACTION_DUE,
                        MessageKind.REPLY_REQUEST, MessageKind.CIRCULAR, MessageKind.CIRCULAR_REMINDER,
                        MessageKind.MINUTES,
                        MessageKind.REPORT_QUESTION})


SHORT_CHANNELS = (OutboxChannel.SMS, OutboxChannel.WHATSAPP)


def _for_channel(content, kind: MessageKind, person: Person, channel: OutboxChannel, now: datetime):
    """SMS and WhatsApp (and the console standing in for them) carry the registered template; e-mail the
    long text and the ``.ics``."""
    link = personal_links.placeholder_url(personal_links.issue(person, now)) if kind in LINK_KINDS else None
    short = channel in SHORT_CHANNELS or (
        channel == OutboxChannel.CONSOLE and person.preferred_channel in (Channel.SMS, Channel.WHATSAPP))
    return messages.for_channel(content, messages.person_locale(person), email=channel == OutboxChannel.EMAIL,
                                link=link, short=short)


def record_problem(key: str, kind: MessageKind, reason: ProblemReason, *, now: datetime,
                   person_id: int | None = None, user_id: int | None = None, meeting_id: int | None = None,
                   session_id: int | None = None) -> NotifyProblem:
    problem = db.session.scalar(sa.select(NotifyProblem).where(NotifyProblem.idempotency_key == key))
    if problem is not None:
        return problem
    problem = NotifyProblem(idempotency_key=key, kind=kind, reason=reason, person_id=person_id, user_id=user_id,
                            meeting_id=meeting_id, session_id=session_id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(problem)
    except IntegrityError:
        return db.session.scalar(sa.select(NotifyProblem).where(NotifyProblem.idempotency_key == key))
    log.info("could not notify person %s (%s): %s", person_id, kind.value, reason.value)
    return problem


def cancel_pending(*conditions) -> int:
    """Cancel the pending messages matching ``conditions``; returns how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.state == MessageState.PENDING, *conditions)
        .values(state=MessageState.CANCELLED, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount or 0


# --- meetings: invitations, reminders, changes, cancellations ----------------------------------


def reminder_setting(meeting_id: int) -> MeetingReminderSetting:
    setting = db.session.get(MeetingReminderSetting, meeting_id)
    if setting is None:
        setting = MeetingReminderSetting(meeting_id=meeting_id, day_before_minutes=24 * 60, same_day_minutes=2 * 60)
    return setting


def set_reminder_offsets(meeting: Meeting, day_before_minutes: int, same_day_minutes: int, now: datetime) -> int:
    """Change when a meeting's reminders go out; re-queues the pending ones. Returns how many were replaced."""
    if day_before_minutes < 0 or same_day_minutes < 0:
        raise ValueError("offsets must not be negative")  # the form allows none: a caller's mistake
    setting = db.session.get(MeetingReminderSetting, meeting.id)
    if setting is None:
        setting = MeetingReminderSetting(meeting_id=meeting.id)
        db.session.add(setting)
    setting.day_before_minutes = day_before_minutes
    setting.same_day_minutes = same_day_minutes
    db.session.flush()
    if meeting.status != MeetingStatus.PUBLISHED:
        return 0
    replaced = cancel_pending(OutboxMessage.meeting_id == meeting.id, OutboxMessage.kind.in_(REMINDER_KINDS))
    for invitation in queries.meeting_invitations(meeting.id):
        queue_reminders(invitation.session, invitation.person, now)
    return replaced


def _offsets(meeting_id: int) -> list[tuple[MessageKind, int]]:
    setting = reminder_setting(meeting_id)
    return [(MessageKind.REMINDER_24H, setting.day_before_minutes), (MessageKind.REMINDER_2H, setting.same_day_minutes)]


def queue_reminders(session: MeetingSession, person: Person, now: datetime, *,
                    check_reply: bool = True) -> list[OutboxMessage]:
    """The reminders before one session for one invitee (those whose time has not passed); none for one who
    answered that they will not come themselves (``check_reply`` false: no reply can exist yet)."""
    if session.status != SessionStatus.SCHEDULED:
        return []
    if check_reply and replies.declined(session.id, person.id):
        return []
    queued = []
    for kind, minutes in _offsets(session.meeting_id):
        if minutes <= 0:
            continue
        send_after = session.starts_at - timedelta(minutes=minutes)
        if send_after <= now:
            continue  # the invitation (or the earlier reminder) already covers it
        message = enqueue(
            key=message_key(kind, f"s{session.id}", f"p{person.id}", stamp(send_after)),
            kind=kind, person=person, now=now, send_after=send_after, send_before=session.starts_at,
            meeting_id=session.meeting_id, session_id=session.id,
            render=lambda kind=kind: messages.reminder(person, session, queries.partners(session, person.id)),
        )
        if message is not None:
            queued.append(message)
    return queued


def _invitation_content(meeting: Meeting, person: Person):
    sessions = queries.person_sessions(meeting.id, person.id)
    partners = {s.id: queries.partners(s, person.id) for s in sessions}
    return sessions, partners


def queue_invitation(meeting: Meeting, person: Person, now: datetime) -> OutboxMessage | None:
    sessions, partners = _invitation_content(meeting, person)
    if not sessions:
        return None
    return enqueue(
        key=message_key(MessageKind.INVITATION, f"m{meeting.id}", f"p{person.id}"),
        kind=MessageKind.INVITATION, person=person, now=now, meeting_id=meeting.id,
        send_before=max(s.starts_at for s in sessions),
        render=lambda: messages.invitation(person, meeting, sessions, partners),
    )


def queue_meeting_published(meeting: Meeting, now: datetime) -> int:
    """Invitations (one per invitee, with all their sessions) and every session's reminders."""
    count = 0
    seen: set[int] = set()
    for invitation in queries.meeting_invitations(meeting.id):
        person = invitation.person
        if person.id not in seen:
            seen.add(person.id)
            if queue_invitation(meeting, person, now) is not None:
                count += 1
        queue_reminders(invitation.session, person, now, check_reply=False)
    return count


def refresh_pending_invitation(meeting: Meeting, person: Person) -> bool:
    """Re-render the person's invitation if it has not gone out yet. True if one was pending.

    A pending invitation then carries the new times, so no change notice is needed besides it.
    """
    pending = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == MessageKind.INVITATION,
            OutboxMessage.meeting_id == meeting.id,
            OutboxMessage.recipient_person_id == person.id,
            OutboxMessage.state == MessageState.PENDING,
        )
    ).all()
    if not pending:
        return False
    sessions, partners = _invitation_content(meeting, person)
    for message in pending:
        if not sessions:
            message.state = MessageState.CANCELLED
            continue
        content = _for_channel(messages.invitation(person, meeting, sessions, partners), MessageKind.INVITATION,
                               person, message.channel, now_utc())
        message.subject, message.body, message.ics = content.subject, content.body, content.ics
        message.template = content.template if content.variables else ""
        message.template_variables = content.variables or None
        message.send_before = max(s.starts_at for s in sessions)
    db.session.flush()
    return True


def _was_invited_before(meeting_id: int, person_id: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == MessageKind.INVITATION,
            OutboxMessage.meeting_id == meeting_id,
            OutboxMessage.recipient_person_id == person_id,
            OutboxMessage.state.in_([MessageState.SENT, MessageState.SENDING]),
        )
    ) > 0


def _cancel_reminders(session_id: int, person_id: int | None = None) -> int:
    conditions = [OutboxMessage.session_id == session_id, OutboxMessage.kind.in_(REMINDER_KINDS)]
    if person_id is not None:
        conditions.append(OutboxMessage.recipient_person_id == person_id)
    return cancel_pending(*conditions)


def reply_recorded(invitation: Invitation, reply, now: datetime) -> None:
    """An invitee who will not come (or sends someone) gets no reminders; one who will, gets them again. The
    representative's invitation, still waiting, says whom they come for."""
    if reply.answer == ReplyAnswer.ATTENDING:
        queue_reminders(invitation.session, invitation.person, now)
    else:
        _cancel_reminders(invitation.session_id, invitation.person_id)
    rep = reply.representative_invitation if reply.answer == ReplyAnswer.REPRESENTATIVE else None
    if rep is not None:
        for message in db.session.scalars(sa.select(OutboxMessage).where(
                OutboxMessage.kind == MessageKind.INVITATION, OutboxMessage.session_id == rep.session_id,
                OutboxMessage.recipient_person_id == rep.person_id, OutboxMessage.state == MessageState.PENDING)):
            rendered = messages.invitation(rep.person, rep.session.meeting, [rep.session], {rep.session_id: []},
                                           represents=invitation.person)
            content = _for_channel(rendered, MessageKind.INVITATION, rep.person, message.channel, now)
            message.subject, message.body, message.ics = content.subject, content.body, content.ics
            message.template, message.template_variables = content.template, content.variables or None
        db.session.flush()


def queue_session_changed(session: MeetingSession, old_starts_at: datetime, old_ends_at: datetime,
                          now: datetime) -> int:
    """A published session moved: its pending reminders are replaced, invitees are told.

    Returns the number of pending reminders cancelled (none goes out with the old time).
    """
    cancelled = _cancel_reminders(session.id)
    meeting = session.meeting
    for invitation in queries.session_invitations(session.id):
        person = invitation.person
        if not refresh_pending_invitation(meeting, person) and _was_invited_before(meeting.id, person.id):
            enqueue(
                key=message_key(MessageKind.CHANGE, f"s{session.id}", f"p{person.id}", f"v{session.sequence}",
                                stamp(session.starts_at)),
                kind=MessageKind.CHANGE, person=person, now=now, send_before=session.ends_at,
                meeting_id=meeting.id, session_id=session.id,
                render=lambda person=person: messages.change(
                    person, session, old_starts_at, old_ends_at, queries.partners(session, person.id)),
            )
        queue_reminders(session, person, now)
    return cancelled


def _tell_cancelled(session: MeetingSession, person: Person, now: datetime, withdrawn: bool) -> None:
    meeting = session.meeting
    if refresh_pending_invitation(meeting, person) or not _was_invited_before(meeting.id, person.id):
        return
    enqueue(
        key=message_key(MessageKind.CANCELLATION, f"s{session.id}", f"p{person.id}",
                        "withdrawn" if withdrawn else "cancelled"),
        kind=MessageKind.CANCELLATION, person=person, now=now, send_before=session.ends_at,
        meeting_id=meeting.id, session_id=session.id,
        render=lambda: messages.cancellation(person, session, withdrawn),
    )


def queue_session_cancelled(session: MeetingSession, now: datetime) -> int:
    cancelled = _cancel_reminders(session.id)
    for invitation in queries.session_invitations(session.id):
        _tell_cancelled(session, invitation.person, now, withdrawn=False)
    return cancelled


def queue_invitation_added(invitation: Invitation, now: datetime) -> None:
    session, person = invitation.session, invitation.person
    meeting = session.meeting
    if meeting.status != MeetingStatus.PUBLISHED or session.status != SessionStatus.SCHEDULED:
        return
    if not refresh_pending_invitation(meeting, person):
        enqueue(
            key=message_key(MessageKind.INVITATION, f"s{session.id}", f"p{person.id}", stamp(session.starts_at)),
            kind=MessageKind.INVITATION, person=person, now=now, meeting_id=meeting.id, session_id=session.id,
            send_before=session.starts_at,
            render=lambda: messages.invitation(person, meeting, [session],
                                               {session.id: queries.partners(session, person.id)}),
        )
    queue_reminders(session, person, now)


def queue_invitation_removed(session: MeetingSession, person: Person, now: datetime) -> None:
    _cancel_reminders(session.id, person.id)
    cancel_pending(OutboxMessage.session_id == session.id, OutboxMessage.recipient_person_id == person.id,
                   OutboxMessage.kind == MessageKind.INVITATION)
    _tell_cancelled(session, person, now, withdrawn=True)


# --- the office: digest and action items -------------------------------------------------------


@dataclass(frozen=True)
class LoginContact:
    """A login not linked to a person, addressed by its own e-mail (preferred) or mobile number; it has
    the fields of a Person that routing and rendering read."""

    name_en: str
    email: str | None
    mobile: str | None
    preferred_channel: Channel
    preferred_locale: str | None
    id: None = None
    name_hi: str = ""

    @classmethod
    def of(cls, user) -> LoginContact | None:
        if not (user.email or user.mobile):
            return None
        channel = Channel.EMAIL if user.email else Channel.SMS
        return cls(user.full_name or user.username, user.email, user.mobile, channel, user.locale)


def queue_digest(day: date, now: datetime) -> int:
    """The morning digest for office staff; at most one per person and day (key with the date)."""
    
    start, end = local_to_utc(day, datetime.min.time()), local_to_utc(day + timedelta(days=1), datetime.min.time())
    sessions = queries.sessions_between(start, end)
    absentees = bridges.absentees_between(start - timedelta(days=1), start)
    overdue = bridges.overdue_action_items(day)
    parts = digest_parts.fetch_parts(day, now)
    count = 0
    for user in queries.office_users():
        person = user.person or LoginContact.of(user)
        if person is None:
            record_problem(message_key(MessageKind.DIGEST, day.isoformat(), f"u{user.id}"), MessageKind.DIGEST,
                           ProblemReason.NO_PERSON, user_id=user.id, now=now)
            continue
        message = enqueue(
            key=message_key(MessageKind.DIGEST, day.isoformat(), f"p{person.id}" if person.id else f"u{user.id}"),
            kind=MessageKind.DIGEST, person=person, now=now, send_before=end,
            render=lambda person=person: messages.digest(person, day, sessions, absentees, overdue, parts),
        )
        count += message is not None
    return count


def queue_action_item_reminders(day: date, now: datetime) -> int:
    """Remind owners of open action items due tomorrow, today, or overdue (once a day)."""
    count = 0
    end = local_to_utc(day + timedelta(days=1), datetime.min.time())
    for item in bridges.action_items_due(day + timedelta(days=1)):
        message = enqueue(
            key=message_key(MessageKind.ACTION_DUE, f"i{item.id}", day.isoformat()),
            kind=MessageKind.ACTION_DUE, person=item.owner, now=now, send_before=end, action_item_id=item.id,
            render=lambda item=item: messages.action_due(item.owner, item, day),
        )
        count += message is not None
    return count


# --- the office's controls ---------------------------------------------------------------------


def outbox_settings() -> OutboxSettings:
    settings = db.session.get(OutboxSettings, 1)
    if settings is None:
        settings = OutboxSettings(id=1, sending_paused=False)
        try:
            with db.session.begin_nested():
                db.session.add(settings)
        except IntegrityError:
            settings = db.session.get(OutboxSettings, 1)
    return settings


def sending_paused() -> bool:
    return bool(db.session.scalar(sa.select(OutboxSettings.sending_paused).where(OutboxSettings.id == 1)))


def set_paused(paused: bool, user, now: datetime) -> None:
    settings = outbox_settings()
    if settings.sending_paused == paused:
        return
    settings.sending_paused = paused
    settings.changed_at = now
    settings.changed_by_user_id = getattr(user, "id", None)
    db.session.flush()
    audit.record(db.session, "outbox_settings", 1, "pause" if paused else "resume",
                 {"sending_paused": [not paused, paused]})


def retry(message: OutboxMessage, now: datetime) -> None:
    """Send a failed (or skipped, or cancelled) message again, with a fresh count of attempts."""
    if message.state not in (MessageState.FAILED, MessageState.SKIPPED, MessageState.CANCELLED):
        raise OutboxError  # only failed, skipped or cancelled messages can be sent again
    if message.kind in RECORD_ONLY_KINDS:
        raise OutboxError  # a masked record (a sign-in code): the person asks for a new code instead
    old = message.state
    message.state = MessageState.PENDING
    message.attempts = 0
    message.next_attempt_at = None
    message.send_after = min(message.send_after, now)
    if message.send_before is not None and message.send_before <= now:
        message.send_before = None  # the office asked for it: send even if late
    message.claim_token = message.claimed_at = message.handed_over_at = None
    db.session.flush()
    audit.record(db.session, "outbox_messages", message.id, "retry", {"state": [old.value, "pending"]})


def cancel(message: OutboxMessage) -> None:
    if message.state not in (MessageState.PENDING, MessageState.FAILED) or message.kind in RECORD_ONLY_KINDS:
        raise OutboxError  # only waiting or failed messages can be cancelled
    old = message.state
    message.state = MessageState.CANCELLED
    message.next_attempt_at = None
    db.session.flush()
    audit.record(db.session, "outbox_messages", message.id, "cancel", {"state": [old.value, "cancelled"]})


def record_sent_outside(kind: MessageKind, person_id: int | None, channel: str, address: str, locale: str,
                        subject: str, body: str, error: str | None, now: datetime) -> OutboxMessage:
    """A record of a message sent at once outside the outbox (a sign-in code): ``sent``, or ``failed``
    with the error. The caller has masked what must not be kept (the code) in ``body`` and ``error``;
    the record is never sent from the outbox (:data:`RECORD_ONLY_KINDS`)."""
    message = OutboxMessage(
        idempotency_key=f"{kind.value}:{secrets.token_hex(12)}", kind=kind, channel=OutboxChannel(channel),
        recipient_person_id=person_id, address=address, locale=locale, subject=subject, body=body,
        send_after=now, state=MessageState.FAILED if error else MessageState.SENT, attempts=1,
        last_error=error or "", handed_over_at=now, sent_at=None if error else now,
    )
    db.session.add(message)
    db.session.flush()
    return message


def resolve_problem(problem: NotifyProblem, now: datetime) -> None:
    problem.resolved_at = now
    db.session.flush()


# --- delivery steps (each followed by a commit in tracker.reminders.delivery) --------------------


def _update(message_id: int, *conditions, **values) -> bool:
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return (result.rowcount or 0) == 1


def claim(message_id: int, token: str, now: datetime) -> bool:
    """pending → sending, only if still pending and due (two deliverers never claim one message)."""
    return _update(
        message_id,
        OutboxMessage.state == MessageState.PENDING,
        OutboxMessage.send_after <= now,
        sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        state=MessageState.SENDING, claim_token=token, claimed_at=now, handed_over_at=None,
    )


def hand_over(message_id: int, token: str, now: datetime) -> bool:
    """Record the point of no return; False if the claim was lost (then nothing may be sent)."""
    return _update(
        message_id, OutboxMessage.state == MessageState.SENDING, OutboxMessage.claim_token == token,
        handed_over_at=now,
    )


def mark_sent(message_id: int, token: str, now: datetime) -> bool:
    return _update(
        message_id, OutboxMessage.state == MessageState.SENDING, OutboxMessage.claim_token == token,
        state=MessageState.SENT, sent_at=now, last_error="",
    )


def backoff(attempts: int) -> timedelta:
    config = current_app.config
    base = float(config["OUTBOX_BACKOFF_SECONDS"])
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), float(config["OUTBOX_BACKOFF_MAX_SECONDS"])))


def mark_failed_attempt(message_id: int, token: str, now: datetime, error: str, permanent: bool) -> MessageState:
    """Count the attempt; back to pending after a delay (exponential), or failed after the last one.
    ``error`` is ``errors.stored(code, detail)``."""
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None or message.state != MessageState.SENDING or message.claim_token != token:
        return message.state if message is not None else MessageState.FAILED
    message.attempts += 1
    message.last_error = error[:2000]
    message.claim_token = message.claimed_at = message.handed_over_at = None
    if permanent or message.attempts >= int(current_app.config["OUTBOX_MAX_ATTEMPTS"]):
        message.state = MessageState.FAILED
        message.next_attempt_at = None
    else:
        message.state = MessageState.PENDING
        message.next_attempt_at = now + backoff(message.attempts)
    db.session.flush()
    return message.state


def release(message_id: int, token: str) -> bool:
    """Give a claim back untouched (sending was paused meanwhile, or the claim was lost)."""
    return _update(
        message_id, OutboxMessage.state == MessageState.SENDING, OutboxMessage.claim_token == token,
        OutboxMessage.handed_over_at.is_(None),
        state=MessageState.PENDING, claim_token=None, claimed_at=None,
    )


def skip_stale(now: datetime) -> int:
    """Pending messages past their ``send_before`` (e.g. after a long downtime) are skipped, not sent late."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.state == MessageState.PENDING, OutboxMessage.send_before.is_not(None),
               OutboxMessage.send_before <= now)
        .values(state=MessageState.SKIPPED, last_error=errors.stored(errors.TOO_LATE), next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def recover_claims(now: datetime, claimed_before: datetime, exclude_token_prefix: str | None = None) -> tuple[int, int]:
    """Messages left in ``sending`` by a deliverer that died (or stalled past the claim timeout) go back
    to ``pending`` and are sent again (at least once):

    * not handed over: certainly not delivered (an SMTP server discards a transaction whose
      connection drops before the final dot; a stalled owner can no longer hand it over, its claim
      token is gone);
    * handed over but never confirmed: perhaps delivered, perhaps not (the process died between the
      final dot and the server's "250", or the server took it and failed without answering). Sent
      again rather than lost: the copy carries the same ``Message-ID`` (e-mail) or
      ``Idempotency-Key`` (webhook), on which receivers de-duplicate. Noted in ``last_error``.

    Returns (re-queued, of which handed over).
    """
    stuck = [OutboxMessage.state == MessageState.SENDING, OutboxMessage.claimed_at <= claimed_before]
    if exclude_token_prefix:
        stuck.append(sa.not_(OutboxMessage.claim_token.startswith(exclude_token_prefix, autoescape=True)))
    handed_over = db.session.execute(
        sa.update(OutboxMessage).where(*stuck, OutboxMessage.handed_over_at.is_not(None))
        .values(state=MessageState.PENDING, claim_token=None, claimed_at=None, handed_over_at=None,
                last_error=errors.stored(errors.RESENT, "the sender stopped after handing the message over, "
                                         "before the answer; sent again with the same Message-ID / Idempotency-Key"))
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    untouched = db.session.execute(
        sa.update(OutboxMessage).where(*stuck, OutboxMessage.handed_over_at.is_(None))
        .values(state=MessageState.PENDING, claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    db.session.flush()
    requeued = handed_over + untouched
    if requeued:
        log.warning("recovered interrupted deliveries: %s re-queued, %s of them handed over (may arrive twice)",
                    requeued, handed_over)
    return requeued, handed_over

