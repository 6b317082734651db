from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.campaigns.models import Campaign
from tracker.core import signing
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.directory.models import Person, Unit
from tracker.extensions import db
from tracker.i18n import _l, lazy_pgettext
from tracker.timeutil import now_utc


class MeetingPurpose(TitledEnum):
    REVIEW = "review", _l("Review")
    TRAINING = "training", _l("Training")
    CAMPAIGN = "campaign", _l("Campaign")
    OTHER = "other", _l("Other")


class MeetingStatus(TitledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    COMPLETED = "completed", _l("Completed")
    CANCELLED = "cancelled", _l("Cancelled")


class SessionKind(TitledEnum):
    GROUP = "group", _l("Group session")
    ONE_TO_ONE = "one_to_one", _l("One-to-one review")


class SessionStatus(TitledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    CANCELLED = "cancelled", _l("Cancelled")


class InvitationKind(TitledEnum):
    INVITEE = "invitee", _l("Invitee")  # derived: a district president of a covered unit
    REVIEWER = "reviewer", _l("Reviewer")  # in-charge responsible for the covered unit / one-to-one reviewer
    CHAIR = "chair", lazy_pgettext("invitee role", "Chair")  # the person (the label "Chair" is the chairing)
    DAIS = "dais", _l("On the dais")
    GUEST = "guest", _l("Guest")  # named by the office
    WALK_IN = "walk_in", _l("Walk-in")  # added at the venue


session_units = sa.Table(
    "session_units",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Meeting(Audited, TimestampMixin, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="valid_dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_hi: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    title_en: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    purpose: Mapped[MeetingPurpose] = enum_column(MeetingPurpose, "meeting_purpose", nullable=False)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    host_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    venue: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    status: Mapped[MeetingStatus] = enum_column(
        MeetingStatus, "meeting_status", default=MeetingStatus.DRAFT, nullable=False
    )
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    campaign: Mapped[Campaign | None] = relationship()
    host_unit: Mapped[Unit | None] = relationship()
    sessions: Mapped[list[MeetingSession]] = relationship(
        back_populates="meeting", order_by="MeetingSession.starts_at", cascade="all, delete-orphan"
    )


class MeetingSession(Audited, TimestampMixin, db.Model):
    __tablename__ = "meeting_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="valid_times"),
        sa.Index("ix_meeting_sessions_meeting_start", "meeting_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[SessionKind] = enum_column(SessionKind, "session_kind", nullable=False)
    title_hi: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    title_en: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    room: Mapped[str] = mapped_column(sa.String(120), default="", nullable=False)
    status: Mapped[SessionStatus] = enum_column(
        SessionStatus, "session_status", default=SessionStatus.SCHEDULED, nullable=False
    )
    chair_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    # For a one-to-one: the organizational district being reviewed.
    district_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    what_to_bring_hi: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    what_to_bring_en: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    # iCalendar SEQUENCE: bumped whenever the time or place moves.
    sequence: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    self_checkin_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    attendance_locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")
    chair: Mapped[Person | None] = relationship(foreign_keys=[chair_person_id])
    district: Mapped[Unit | None] = relationship(foreign_keys=[district_unit_id])
    covered_units: Mapped[list[Unit]] = relationship(secondary=session_units, order_by="Unit.name_en")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(back_populates="session", cascade="all, delete-orphan")


class AgendaItem(Audited, TimestampMixin, db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (sa.CheckConstraint("minutes IS NULL OR minutes > 0", name="positive_minutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    title_hi: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    title_en: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    presenter_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    minutes: Mapped[int | None] = mapped_column(sa.Integer)

    session: Mapped[MeetingSession] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()


class Invitation(Audited, TimestampMixin, db.Model):
    """A person invited to a session (derived from the covered units, or named)."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "person_id", name="one_per_person"),
        sa.Index("ix_invitations_person", "person_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), nullable=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), nullable=False)
    kind: Mapped[InvitationKind] = enum_column(InvitationKind, "invitation_kind", nullable=False)
    # The unit the person comes for (their district), for grouping rosters by division and district.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"), index=True)
    # When the invitation got its QR pass (the meeting's publication, or a row added later); a walk-in
    # and the rows of a draft have none. A revoked pass keeps its token: a scan then says "revoked".
    pass_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pass_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[MeetingSession] = relationship(back_populates="invitations")
    person: Mapped[Person] = relationship()
    unit: Mapped[Unit | None] = relationship()
    reply: Mapped[InvitationReply | None] = relationship(
        foreign_keys="InvitationReply.invitation_id", back_populates="invitation", uselist=False, viewonly=True
    )

    @property
    def pass_token(self) -> str | None:
        """The secret the QR pass carries, ``<id>.<mac>``: derived from the id under the secret key, never
        stored (see :mod:`tracker.core.signing`); None while the invitation has no pass."""
        if self.pass_issued_at is None or self.id is None:
            return None
        return signing.signed_id(PASS_PURPOSE, self.id)


PASS_PURPOSE = "invitation-pass"


class ReplyAnswer(TitledEnum):
    ATTENDING = "attending", _l("Attending")
    NOT_ATTENDING = "not_attending", _l("Not attending")
    REPRESENTATIVE = "representative", _l("Sending a representative")


class InvitationReply(Audited, db.Model):
    """An invitee's answer before the session (RSVP), one per invitation: given on their agenda, or
    recorded by the office from a phone call. A representative has an invitation of their own (a
    guest of the session), linked here."""

    __tablename__ = "invitation_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    answer: Mapped[ReplyAnswer] = enum_column(ReplyAnswer, "reply_answer", nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    representative_invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    recorded_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    # Given (or changed) after the cut-off before the session: allowed, but the office should notice.
    after_cutoff: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)

    invitation: Mapped[Invitation] = relationship(foreign_keys=[invitation_id], back_populates="reply")
    representative_invitation: Mapped[Invitation | None] = relationship(foreign_keys=[representative_invitation_id])


def invitation_id_of_pass(token: str) -> int | None:
    """The id of the invitation whose pass token this is, or None for a token the app did not make."""
    return signing.verified_id(PASS_PURPOSE, token)


class CalendarFeed(db.Model):
    """A person's private calendar subscription. The token is derived from the feed id and the secret
    key (see ``tracker.meetings.calendar.feed_token``); only its hash is stored, for the lookup."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (sa.Index("ix_calendar_feeds_person", "person_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()
