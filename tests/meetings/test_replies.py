"""Replies before a session (RSVP, issue 12): attending, not attending with a reason, or a representative
(pre-registered, invited as a guest, on the roster as such); the cut-off flag; no reminders for those who
will not come; who may answer for whom."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tracker.directory.models import Person
from tracker.directory.operations import DirectoryError
from tracker.extensions import db
from tracker.meetings import replies
from tracker.meetings.models import Invitation, InvitationKind, InvitationReply, ReplyAnswer
from tracker.meetings.operations import MeetingError
from tracker.reminders.models import REMINDER_KINDS, MessageKind, MessageState, OutboxMessage


def _invitation(session, person) -> Invitation:
    return db.session.scalar(sa.select(Invitation).where(Invitation.session_id == session.id,
                                                         Invitation.person_id == person.id))


def _pending_reminders(session, person) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.session_id == session.id, OutboxMessage.recipient_person_id == person.id,
        OutboxMessage.kind.in_(REMINDER_KINDS), OutboxMessage.state == MessageState.PENDING))


@pytest.fixture
def reachable(world, clock):
    """As ``published``, with presidents who have a mobile number (so their reminders are queued)."""
    from tests.meetings.conftest import group_data, new_meeting
    from tracker.meetings import operations as ops

    world.pa1.mobile, world.pa2.mobile = "+919800000001", "+919800000002"
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world))
    ops.publish_meeting(meeting)
    db.session.commit()
    return meeting, session


def test_a_reply_is_stored_with_who_and_when_and_can_be_changed(world, published, clock):
    _meeting, session = published
    user = make_user("president", "pa1", person=world.pa1)
    invitation = _invitation(session, world.pa1)
    reply = replies.record_reply(invitation, ReplyAnswer.ATTENDING, user=user)
    db.session.commit()
    assert (reply.answer, reply.recorded_by_user_id, reply.recorded_at, reply.after_cutoff) == (
        ReplyAnswer.ATTENDING, user.id, clock, False)

    replies.record_reply(invitation, "not_attending", reason="Wedding in the family", user=user)
    db.session.commit()
    stored = db.session.scalars(sa.select(InvitationReply)).all()
    assert [(r.answer, r.reason) for r in stored] == [(ReplyAnswer.NOT_ATTENDING, "Wedding in the family")]


def test_not_attending_needs_a_reason(world, published, clock):
    _meeting, session = published
    with pytest.raises(MeetingError):
        replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.NOT_ATTENDING, reason="  ")


def test_a_change_after_the_cut_off_is_taken_but_flagged(world, published, fixed_now):
    _meeting, session = published
    fixed_now("2025-09-21T12:00:00+05:30")  # 23 hours before the session
    reply = replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.ATTENDING)
    db.session.commit()
    assert reply.after_cutoff is True
    assert replies.summary(session).late == 1
    fixed_now("2025-09-22T11:30:00+05:30")  # the session has started
    with pytest.raises(MeetingError):
        replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.ATTENDING)


def test_a_representative_is_registered_and_invited_and_a_change_withdraws_them(world, published, clock):
    _meeting, session = published
    invitation = _invitation(session, world.pa1)
    reply = replies.record_reply(invitation, ReplyAnswer.REPRESENTATIVE, representative_name="रमेश यादव",
                                 representative_mobile="98765 43210")
    db.session.commit()
    rep = reply.representative_invitation
    assert rep.kind == InvitationKind.GUEST and rep.unit_id == invitation.unit_id and rep.pass_token
    assert (rep.person.name_hi, rep.person.mobile) == ("रमेश यादव", "+919876543210")
    invited = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == MessageKind.INVITATION, OutboxMessage.recipient_person_id == rep.person_id))
    assert invited == 1  # the representative gets their own invitation (and pass)
    with pytest.raises(MeetingError):  # the representative does not reply
        replies.record_reply(rep, ReplyAnswer.ATTENDING)
    db.session.rollback()

    counts = replies.summary(session).counts
    assert counts[ReplyAnswer.REPRESENTATIVE] == 1

    replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.ATTENDING)
    db.session.commit()
    assert _invitation(session, rep.person) is None  # withdrawn
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)
                             .where(Person.mobile == "+919876543210")) == 1  # the person stays registered


def test_an_invalid_representative_mobile_is_refused(world, published, clock):
    _meeting, session = published
    with pytest.raises(DirectoryError, match="12345"):
        replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.REPRESENTATIVE,
                             representative_name="Ramesh", representative_mobile="12345")


def test_not_attending_stops_the_reminders_and_attending_brings_them_back(world, reachable, clock):
    _meeting, session = reachable
    assert _pending_reminders(session, world.pa1) == 2
    invitation = _invitation(session, world.pa1)
    replies.record_reply(invitation, ReplyAnswer.NOT_ATTENDING, reason="Ill")
    db.session.commit()
    assert _pending_reminders(session, world.pa1) == 0
    assert _pending_reminders(session, world.pa2) == 2  # others keep theirs
    replies.record_reply(invitation, ReplyAnswer.ATTENDING)
    db.session.commit()
    assert _pending_reminders(session, world.pa1) == 2


def test_a_moved_session_does_not_remind_one_who_declined(world, reachable, clock):
    from datetime import timedelta

    from tracker.meetings import operations as ops

    _meeting, session = reachable
    replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.NOT_ATTENDING, reason="Ill")
    ops.move_session(session, session.starts_at + timedelta(hours=1), session.ends_at + timedelta(hours=1))
    db.session.commit()
    assert _pending_reminders(session, world.pa1) == 0
    assert _pending_reminders(session, world.pa2) == 2


def test_the_summary_counts_each_answer_and_lists_who_has_not_answered(world, published, clock):
    _meeting, session = published
    replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.NOT_ATTENDING, reason="Ill")
    db.session.commit()
    summary = replies.summary(session)
    assert summary.counts[ReplyAnswer.NOT_ATTENDING] == 1
    unanswered = {person.id for _inv, person in summary.unanswered}
    assert world.pa2.id in unanswered and world.pa1.id not in unanswered
    assert summary.no_answer == len(session.invitations) - 1
