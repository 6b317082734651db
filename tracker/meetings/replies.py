"""Replies before a session (RSVP): attending, not attending (with a reason), or sending a representative.

An invitee answers from their agenda; the office records an answer taken by phone. A reply may be changed
until the session starts; one given or changed after the cut-off (``REPLY_CUTOFF_HOURS`` before the start)
is taken but flagged. A representative is a person of the directory (found by mobile number, or made) with
an invitation of their own to the session, a guest linked from the reply: they get the invitation message
and a pass, and the roster shows whom they represent. Operations flush, never commit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from tracker.audit.operations import record as audit_record
from tracker.directory import operations as directory
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, localized
from tracker.meetings import operations as ops
from tracker.meetings import signals
from tracker.meetings.models import (
    Invitation,
    InvitationKind,
    InvitationReply,
    Meeting,
    MeetingSession,
    ReplyAnswer,
    SessionStatus,
)
from tracker.timeutil import now_utc

REPLYING_KINDS = (InvitationKind.INVITEE, InvitationKind.REVIEWER, InvitationKind.CHAIR, InvitationKind.DAIS,
                  InvitationKind.GUEST)


def cutoff(session: MeetingSession):
    """The moment after which a reply is flagged."""
    return session.starts_at - timedelta(hours=current_app.config.get("REPLY_CUTOFF_HOURS", 24))


def represented_by(invitation: Invitation) -> InvitationReply | None:
    """The reply naming this invitation as a representative's, if any."""
    return db.session.scalar(sa.select(InvitationReply)
                             .where(InvitationReply.representative_invitation_id == invitation.id))


def _check_can_reply(invitation: Invitation) -> None:
    session = invitation.session
    if session.meeting.published_at is None:
        raise ops.MeetingError(_("Replies open when the meeting is published."))
    if session.status == SessionStatus.CANCELLED:
        raise ops.MeetingError(_("This session is cancelled."))
    if now_utc() >= session.starts_at:
        raise ops.MeetingError(_("This session has started; replies are closed."))
    if invitation.kind not in REPLYING_KINDS or represented_by(invitation) is not None:
        raise ops.MeetingError(_("A representative or a walk-in does not reply."))


def _representative_person(name: str, mobile: str, language: str | None) -> Person:
    """The person of that mobile number, or a new one with the name given, who is written to in
    ``language`` (the invitee's: whoever types the reply, the office or the invitee)."""
    name = (name or "").strip()
    if not name:
        raise ops.MeetingError(_("Enter the representative's name."))
    number = directory.normalize_mobile(mobile)
    person = db.session.scalar(sa.select(Person).where(Person.mobile == number, Person.is_archived.is_(False))
                               .order_by(Person.id).limit(1))
    if person is not None:
        return person
    names = {"name_hi": name} if directory.is_devanagari(name) else {"name_en": name}
    return directory.create_person({**names, "mobile": number, "preferred_locale": language})


def _drop_representative(reply: InvitationReply, keep_person_id: int | None = None) -> None:
    rep = reply.representative_invitation
    reply.representative_invitation_id = None
    reply.representative_invitation = None
    if rep is not None and rep.person_id != keep_person_id:
        ops.uninvite_person(rep.session, rep.person)


def _representative_invitation(invitation: Invitation, reply: InvitationReply, name: str,
                               mobile: str) -> Invitation:
    person = _representative_person(name, mobile, invitation.person.preferred_locale)
    if person.id == invitation.person_id:
        raise ops.MeetingError(_("A representative is someone else."))
    current = reply.representative_invitation
    if current is not None and current.person_id == person.id:
        return current
    _drop_representative(reply)
    session = invitation.session
    if any(inv.person_id == person.id for inv in session.invitations):
        raise ops.MeetingError(_("%(person)s is already invited to this session.", person=person.name_hi
                                 or person.name_en))
    return ops.invite_person(session, person, InvitationKind.GUEST, unit=invitation.unit)


def record_reply(invitation: Invitation, answer: ReplyAnswer | str, *, reason: str = "",
                 representative_name: str = "", representative_mobile: str = "", user=None) -> InvitationReply:
    """Give or change the reply of ``invitation``; ``user`` is who recorded it (the invitee or the office)."""
    answer = ReplyAnswer(answer)
    _check_can_reply(invitation)
    reason = (reason or "").strip()
    if answer == ReplyAnswer.NOT_ATTENDING and not reason:
        raise ops.MeetingError(_("Say why you cannot come."))
    reply = invitation.reply or InvitationReply(invitation=invitation)
    if answer == ReplyAnswer.REPRESENTATIVE:
        reply.representative_invitation = _representative_invitation(
            invitation, reply, representative_name, representative_mobile)
    elif reply.representative_invitation is not None:
        _drop_representative(reply)
    now = now_utc()
    reply.answer, reply.reason = answer, reason if answer == ReplyAnswer.NOT_ATTENDING else ""
    reply.recorded_by_user_id = getattr(user, "id", None)
    reply.recorded_at, reply.after_cutoff = now, now >= cutoff(invitation.session)
    db.session.add(reply)
    db.session.flush()
    db.session.refresh(invitation, ["reply"])
    signals.reply_recorded.send(invitation, reply=reply)
    return reply


def declined(session_id: int, person_id: int) -> bool:
    """Has this person answered that they will not come to the session (themselves)?"""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(InvitationReply)
        .join(Invitation, Invitation.id == InvitationReply.invitation_id)
        .where(Invitation.session_id == session_id, Invitation.person_id == person_id,
               InvitationReply.answer != ReplyAnswer.ATTENDING)
    ) > 0


# --- the office's view ---------------------------------------------------------------------------


@dataclass
class ReplySummary:
    counts: dict[ReplyAnswer, int] = field(default_factory=dict)
    unanswered: list[tuple[Invitation, Person]] = field(default_factory=list)
    late: int = 0
    # Per division (None: invitees without one), in name order: {answer value or "none": count}.
    by_division: dict[Unit | None, Counter] = field(default_factory=dict)

    @property
    def no_answer(self) -> int:
        return len(self.unanswered)


def summary(session: MeetingSession) -> ReplySummary:
    """Expected counts of the session (attending, not attending, representative, no answer) and who has
    not answered, in one query. Representatives and walk-ins are not asked."""
    reps = sa.select(InvitationReply.representative_invitation_id).where(
        InvitationReply.representative_invitation_id.is_not(None)).scalar_subquery()
    district, division = aliased(Unit, name="district"), aliased(Unit, name="division")
    query = (
        sa.select(Invitation, Person, InvitationReply, district, division)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(InvitationReply, InvitationReply.invitation_id == Invitation.id)
        .outerjoin(district, district.id == Invitation.unit_id)
        .outerjoin(division, division.id == district.parent_id)
        .where(Invitation.session_id == session.id, Invitation.kind.in_(REPLYING_KINDS), Invitation.id.not_in(reps))
        .order_by(Person.name_en, Person.id)
    )
    result = ReplySummary(counts={answer: 0 for answer in ReplyAnswer})
    tallies: dict[Unit | None, Counter] = {}
    for invitation, person, reply, unit, parent in db.session.execute(query):
        own_division = unit if unit is not None and unit.level == UnitLevel.DIVISION else parent
        tallies.setdefault(own_division, Counter())[reply.answer.value if reply else "none"] += 1
        if reply is None:
            result.unanswered.append((invitation, person))
            continue
        result.counts[reply.answer] += 1
        result.late += reply.after_cutoff
    result.by_division = dict(sorted(tallies.items(), key=lambda item: (item[0] is None, localized(item[0])
                                                                         if item[0] is not None else "")))
    return result


# --- reminding those who have not answered -------------------------------------------------------


def reminder_routes(meeting: Meeting, people: list) -> dict:
    """``{channel or None: count}``: how the reminders domain would reach ``people`` (empty: it is not there)."""
    counts: Counter = Counter()
    for _receiver, answer in signals.reply_request_routes.send(meeting, people=people):
        counts.update(answer or {})
    return dict(counts)


def remind_unanswered(meeting: Meeting, people: list) -> int:
    """Ask ``people`` (``[(Person, [sessions not answered])]``) for their reply; returns how many messages
    were queued (those asked a short while ago are not asked again). Recorded in the meeting's history."""
    if meeting.published_at is None:
        raise ops.MeetingError(_("Replies open when the meeting is published."))
    queued = sum(answer or 0 for _receiver, answer in signals.reply_request.send(meeting, people=people))
    audit_record(db.session, Meeting.__tablename__, meeting.id, "remind_unanswered",
                 {"reminded": [None, queued], "unanswered": [None, len(people)]})
    db.session.flush()
    return queued
