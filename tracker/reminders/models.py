"""The outbox (every message the app sends), the "could not notify" list, per-meeting reminder
times, the "sending paused" switch and the scheduler's lease.

A message's life: ``pending`` (waiting for ``send_after`` / ``next_attempt_at``) → ``sending``
(claimed by one deliverer with a ``claim_token``, committed before anything leaves the process)
→ ``sent``; or back to ``pending`` after a temporary failure, ``failed`` after the last attempt,
``cancelled`` (replaced or withdrawn), ``skipped`` (too late to be useful, e.g. a reminder after
its session began). ``handed_over_at`` is committed just before the point of no return of the
channel (the SMTP end-of-data dot, the webhook POST); see :mod:`tracker.reminders.delivery`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _l, lazy_pgettext
from tracker.timeutil import now_utc


class MessageKind(TitledEnum):
    INVITATION = "invitation", _l("Invitation")
    REMINDER_24H = "reminder_24h", _l("Reminder the day before")
    REMINDER_2H = "reminder_2h", _l("Reminder on the day")
    CHANGE = "change", _l("Change notice")
    CANCELLATION = "cancellation", _l("Cancellation notice")
    DIGEST = "digest", _l("Morning digest")
    ACTION_DUE = "action_due", _l("Action item due")
    # Kept only as a record, with the code masked: sent at once by tracker.reminders.sign_in, never queued.
    SIGN_IN_CODE = "sign_in_code", _l("Sign-in code")
    REPLY_REQUEST = "reply_request", _l("Request for a reply")  # the office's "remind those who have not answered"
    ABSENCE = "absence", _l("Message to an absentee")  # "send a message to the absentees" of a session's report
    CIRCULAR = "circular", _l("Circular")  # tracker/circulars: a circular to a district's president
    CIRCULAR_REMINDER = "circular_reminder", _l("Circular reminder")  # "remind those who have not"
    MINUTES = "minutes", _l("Minutes of a meeting")  # tracker/minutes: approved minutes sent to the invitees
    REPORT_QUESTION = "report_question", _l("Question about a programme report")  # tracker/reports


REMINDER_KINDS = (MessageKind.REMINDER_24H, MessageKind.REMINDER_2H)
# Records of messages sent outside the outbox: never sent (again) from it.
RECORD_ONLY_KINDS = (MessageKind.SIGN_IN_CODE,)


class OutboxChannel(TitledEnum):
    EMAIL = "email", _l("Email")
    SMS = "sms", _l("SMS")
    WHATSAPP = "whatsapp", _l("WhatsApp")
    CONSOLE = "console", _l("Console")


class MessageState(TitledEnum):
    PENDING = "pending", _l("Waiting")
    SENDING = "sending", lazy_pgettext("status", "Sending")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")
    CANCELLED = "cancelled", _l("Cancelled")
    SKIPPED = "skipped", _l("Skipped")

    @property
    def badge(self) -> str:
        return STATE_BADGES[self]


STATE_BADGES = {
    MessageState.PENDING: "info",
    MessageState.SENDING: "warning",
    MessageState.SENT: "success",
    MessageState.FAILED: "danger",
    MessageState.CANCELLED: "muted",
    MessageState.SKIPPED: "muted",
}


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("(state != 'sending') OR (claim_token IS NOT NULL)", name="sending_is_claimed"),
        sa.Index("ix_outbox_messages_due", "state", "send_after"),
        sa.Index("ix_outbox_messages_session_person", "session_id", "recipient_person_id"),
        # The outbox page lists the newest first.
        sa.Index("ix_outbox_messages_send_after", "send_after", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # kind + subject (session/meeting/item) + person + send time: queuing twice is harmless.
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    kind: Mapped[MessageKind] = enum_column(MessageKind, "outbox_kind", nullable=False)
    channel: Mapped[OutboxChannel] = enum_column(OutboxChannel, "outbox_channel", nullable=False)
    recipient_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # E-mail address or E.164 mobile number, resolved when the message was queued.
    address: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    locale: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    ics: Mapped[str | None] = mapped_column(sa.Text)
    # E-mail: a reference to a file made again at delivery (tracker/reminders/attachments.py), e.g.
    # {"maker": "minutes_pdf", "minutes_id": 7, "version": 2}; never the file itself.
    attachment: Mapped[dict | None] = mapped_column(sa.JSON)
    # SMS and WhatsApp: the registered template (tracker/reminders/message_templates.py) whose filled-in
    # text is ``body``, and its variables in order, ``[[slot, value], …]`` (the link as its placeholder).
    template: Mapped[str] = mapped_column(sa.String(64), default="", nullable=False)
    template_variables: Mapped[list | None] = mapped_column(sa.JSON)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="SET NULL"))
    # An action item of the reviews domain (no foreign key: reminders do not depend on reviews).
    action_item_id: Mapped[int | None] = mapped_column(sa.Integer)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # After this moment the message is useless (a reminder once its session began): skipped.
    send_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[MessageState] = enum_column(
        MessageState, "outbox_state", default=MessageState.PENDING, nullable=False
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    last_error: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.state}>"


class ProblemReason(TitledEnum):
    NO_EMAIL = "no_email", _l("No e-mail address")
    NO_MOBILE = "no_mobile", _l("No mobile number")
    NO_MESSAGES = "no_messages", _l("Does not want messages")  # the person asked for no messages
    NO_PERSON = "no_person", _l("Login not linked to a person")  # an office login without a directory entry


class NotifyProblem(db.Model):
    """Someone who should have had a message but could not be reached (the "could not notify" list)."""

    __tablename__ = "notify_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The key the message would have had: recording the same problem twice is harmless.
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    kind: Mapped[MessageKind] = enum_column(MessageKind, "notify_problem_kind", nullable=False)
    reason: Mapped[ProblemReason] = enum_column(ProblemReason, "notify_problem_reason", nullable=False)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person | None] = relationship()


class MeetingReminderSetting(db.Model):
    """When the reminders of one meeting's sessions go out (minutes before the start; 0 = none)."""

    __tablename__ = "meeting_reminder_settings"
    __table_args__ = (
        sa.CheckConstraint("day_before_minutes >= 0 AND same_day_minutes >= 0", name="offsets_not_negative"),
    )

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    day_before_minutes: Mapped[int] = mapped_column(sa.Integer, default=24 * 60, nullable=False)
    same_day_minutes: Mapped[int] = mapped_column(sa.Integer, default=2 * 60, nullable=False)


class OutboxSettings(db.Model):
    """One row: whether an office user paused all sending."""

    __tablename__ = "outbox_settings"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sending_paused: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class SchedulerLease(db.Model):
    """Who runs the scheduled jobs: taken and renewed with one conditional UPDATE (see scheduler.lease)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class PersonalLink(db.Model):
    """A person's own link in their messages (``/p/<token>``): opens, without a password, their agenda,
    passes, replies and action items, and nothing else. Only the token's SHA-256 is stored; the token
    itself is derived from ``salt`` with the app's secret key (HMAC), so that every message to the
    person carries the same link while it is valid, and the database alone cannot rebuild it."""

    __tablename__ = "personal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    salt: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str] = mapped_column(sa.String(16), default="", nullable=False)  # person|office|post_ended

    person: Mapped[Person] = relationship()
