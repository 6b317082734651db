"""Claims, recovery after a crash, pausing, the lease, the digest and action-item reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_user
from tracker.auth import operations as auth_ops
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders import jobs
from tracker.reminders import operations as ops
from tracker.reminders.channels import Outgoing, SmtpTransport, Transport
from tracker.reminders.delivery import deliver_due, recover
from tracker.reminders.models import MessageKind, MessageState, NotifyProblem, OutboxChannel, OutboxMessage
from tracker.reminders.scheduler import Lease


def _messages(**filters):
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in filters.items():
        stmt = stmt.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(stmt))


class Recording(Transport):
    def __init__(self, on_hand_over=None):
        self.sent: list[Outgoing] = []
        self.on_hand_over = on_hand_over

    def send(self, message, hand_over):
        hand_over()
        if self.on_hand_over:
            self.on_hand_over(message)
        self.sent.append(message)


def test_a_message_is_claimed_by_one_deliverer_only(world, clock):
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    message = _messages(kind=MessageKind.INVITATION)[0]
    assert ops.claim(message.id, "a-1", clock.now())
    assert not ops.claim(message.id, "b-1", clock.now())
    db.session.commit()
    assert not ops.hand_over(message.id, "b-1", clock.now())
    assert ops.hand_over(message.id, "a-1", clock.now())


def test_paused_sending_sends_nothing_until_resumed(world, clock):
    office = make_user("office")
    signals.meeting_published.send(world.meeting)
    ops.set_paused(True, office, clock.now())
    db.session.commit()
    transport = Recording()
    report = deliver_due(transports={"console": transport})
    assert report.paused and transport.sent == []
    ops.set_paused(False, office, clock.now())
    db.session.commit()
    assert deliver_due(transports={"console": transport}).sent == 3


def test_recovery_after_a_crash(app, world, clock):
    """Claimed but not handed over → sent again; handed over (e-mail or webhook) but never confirmed →
    sent again too, with a note: at least once, never silently lost."""
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    a, b, c = _messages(kind=MessageKind.INVITATION)
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == b.id).values(channel=OutboxChannel.EMAIL))
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == c.id).values(channel=OutboxChannel.SMS))
    for message in (a, b, c):
        assert ops.claim(message.id, "dead-1", clock.now())
    assert ops.hand_over(b.id, "dead-1", clock.now())
    assert ops.hand_over(c.id, "dead-1", clock.now())
    db.session.commit()

    clock.advance(seconds=10)
    assert recover(token_prefix="new-") == (0, 0)  # not stale yet
    assert recover(token_prefix="new-", at_start=True) == (3, 2)
    db.session.expire_all()
    assert (a.state, b.state, c.state) == (MessageState.PENDING,) * 3
    assert a.last_error == "" and "sent again with the same Message-ID" in b.last_error
    assert b.handed_over_at is None and b.claim_token is None
    # A stalled old owner can no longer hand over or confirm what was recovered.
    assert not ops.hand_over(a.id, "dead-1", clock.now())
    assert not ops.mark_sent(b.id, "dead-1", clock.now())


def test_stale_claims_are_recovered_after_the_claim_timeout(app, monkeypatch, world, clock):
    monkeypatch.setitem(app.config, "OUTBOX_CLAIM_TIMEOUT", 60)
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    message = _messages(kind=MessageKind.INVITATION)[0]
    ops.claim(message.id, "other-1", clock.now())
    db.session.commit()
    clock.advance(seconds=30)
    assert recover(token_prefix="me-") == (0, 0)
    clock.advance(seconds=31)
    assert recover(token_prefix="me-") == (1, 0)


def test_a_crash_between_hand_over_and_sent_sends_again_with_the_same_message_id(app, monkeypatch, world, clock,
                                                                                  smtp_server):
    """The process "dies" after the point of no return, before the server's answer: the next deliverer
    sends that e-mail again, byte for byte the same Message-ID; nothing is lost, nothing else repeats."""
    smtp_server.configure(app, monkeypatch)
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    for message in _messages():
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message.id)
                           .values(channel=OutboxChannel.EMAIL, address=f"p{message.id}@example.org"))
    db.session.commit()

    class Crash(BaseException):
        pass

    def die_after_the_dot(message, hand_over):
        hand_over()
        SmtpTransport.send(first, message, lambda: None)  # the server has it; the answer never comes back
        raise Crash

    first = SmtpTransport(app.config)
    first.send = die_after_the_dot
    with pytest.raises(Crash):
        deliver_due(transports={"email": first})
    first.close()
    db.session.rollback()
    assert len(_messages(state=MessageState.SENDING)) == 1
    assert len(smtp_server.sink.received) == 1

    recover(token_prefix="second-", at_start=True)
    deliver_due(token_prefix="second-")
    assert len(_messages(state=MessageState.SENT)) == 3
    received = smtp_server.sink.received
    by_key: dict[str, list] = {}
    for mail in received:
        by_key.setdefault(mail.key, []).append(mail)
    assert len(by_key) == 3 and len(received) == 4  # every message, one of them twice
    twice = [mails for mails in by_key.values() if len(mails) == 2]
    assert len(twice) == 1 and twice[0][0].message_id == twice[0][1].message_id
    assert len({mails[0].message_id for mails in by_key.values()}) == 3


def test_the_lease_is_held_by_one_scheduler_at_a_time(app, clock):
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))
    first, second = Lease("a", 30, now=clock.now), Lease("b", 30, now=clock.now)
    assert first.acquire()
    assert not second.acquire()
    clock.advance(seconds=20)
    assert first.acquire()  # renewed until +50 s
    clock.advance(seconds=20)
    assert not second.acquire()
    clock.advance(seconds=31)  # a died: its lease ran out
    assert second.acquire()
    assert not first.acquire()
    second.release()
    assert first.acquire()


def _office(name_en, **person_kw):
    person = make_person(name_en, f"{name_en} (hi)", **person_kw)
    return make_user("office", person=person)


def test_digest_once_per_day_for_office_staff(app, world, clock):
    from tracker.directory.models import Channel

    _office("Office One", email="one@example.org", preferred_channel=Channel.EMAIL, preferred_locale="en")
    _office("Office Two", preferred_channel=Channel.SMS)
    lonely = make_user("office")  # no person: on the list
    make_user("coordinator")
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))  # 08:00 in India

    assert jobs.queue_digest() == 2
    assert jobs.queue_digest() == 2  # the same two, nothing new
    clock.advance(hours=1)
    jobs.catch_up()  # a restart at 09:00 does not queue a second digest
    digests = _messages(kind=MessageKind.DIGEST)
    assert len(digests) == 2
    english = next(m for m in digests if m.address == "one@example.org")
    assert "Monday, 22 September 2025" in english.body
    assert "District presidents' meeting" in english.body and "11:00" in english.body
    problem = db.session.scalar(sa.select(NotifyProblem).where(NotifyProblem.user_id == lonely.id))
    assert problem is not None

    clock.advance(days=1)
    jobs.queue_digest()
    assert len(_messages(kind=MessageKind.DIGEST)) == 4


def test_the_digest_goes_to_a_logins_own_email_or_mobile_when_it_has_no_person(app, world, clock):
    """Issue 12: an office login not linked to a person gets the digest at its own e-mail (preferred) or
    mobile number; one with neither stays on the "could not notify" list."""
    by_mail = make_user("office", full_name="Front Desk", locale="en")
    by_mobile = make_user("office")
    lonely = make_user("office")
    auth_ops.set_login_contact(by_mail, " desk@example.org ", "+919800000001")
    auth_ops.set_login_contact(by_mobile, "", "98000 00002")
    db.session.commit()
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))

    assert jobs.queue_digest() == 2
    assert jobs.queue_digest() == 2  # once a day
    digests = {m.idempotency_key: m for m in _messages(kind=MessageKind.DIGEST)}
    mail = digests[f"digest:2025-09-22:u{by_mail.id}"]
    assert mail.address == "desk@example.org" and mail.recipient_person_id is None
    assert "Monday, 22 September 2025" in mail.body and by_mail.full_name in mail.body
    sms = digests[f"digest:2025-09-22:u{by_mobile.id}"]
    assert sms.address == "+919800000002"
    assert db.session.scalar(sa.select(NotifyProblem).where(NotifyProblem.user_id == lonely.id)) is not None
    assert db.session.scalar(sa.select(NotifyProblem).where(NotifyProblem.user_id == by_mail.id)) is None


def test_catch_up_skips_a_digest_that_would_come_too_late(app, clock):
    from tracker.directory.models import Channel

    _office("Office One", email="one@example.org", preferred_channel=Channel.EMAIL)
    clock.set(datetime(2025, 9, 22, 9, 30, tzinfo=UTC))  # 15:00 in India
    assert "digest" not in jobs.catch_up()
    assert _messages(kind=MessageKind.DIGEST) == []


def test_digest_lists_yesterdays_absentees_and_overdue_action_items(app, world, clock):
    from tracker.attendance.models import Attendance, AttendanceStatus
    from tracker.directory.models import Channel
    from tracker.reviews.models import ActionItem, ItemStatus

    _office("Office One", email="one@example.org", preferred_channel=Channel.EMAIL, preferred_locale="en")
    db.session.add(Attendance(session_id=world.session.id, person_id=world.sms.id, status=AttendanceStatus.ABSENT))
    db.session.add(ActionItem(title="Form block committees", owner_person_id=world.hindi.id,
                              due_on=date(2025, 9, 20), status=ItemStatus.OPEN))
    db.session.add(ActionItem(title="Done already", owner_person_id=world.hindi.id,
                              due_on=date(2025, 9, 19), status=ItemStatus.DONE))
    db.session.commit()
    clock.set(datetime(2025, 9, 23, 2, 30, tzinfo=UTC))
    ops.queue_digest(date(2025, 9, 23), clock.now())
    db.session.commit()
    body = _messages(kind=MessageKind.DIGEST)[0].body
    assert "Anokhilal Patel" in body
    assert "Form block committees" in body and "Done already" not in body


def test_action_item_due_reminders(app, world, clock):
    from tracker.reviews.models import ActionItem, ItemStatus

    db.session.add(ActionItem(title="Booth committees", owner_person_id=world.hindi.id, due_on=date(2025, 9, 23),
                              status=ItemStatus.OPEN))
    db.session.add(ActionItem(title="Later", owner_person_id=world.hindi.id, due_on=date(2025, 10, 30),
                              status=ItemStatus.OPEN))
    db.session.commit()
    clock.set(datetime(2025, 9, 22, 2, 0, tzinfo=UTC))
    assert jobs.queue_action_items() == 1
    assert jobs.queue_action_items() == 1  # idempotent for the day
    message = _messages(kind=MessageKind.ACTION_DUE)
    assert len(message) == 1
    assert "Booth committees" in message[0].body and "23 सितंबर 2025" in message[0].body
    clock.advance(days=1)
    jobs.queue_action_items()
    assert len(_messages(kind=MessageKind.ACTION_DUE)) == 2


def test_retry_and_cancel_by_the_office(world, clock):
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    message = _messages(kind=MessageKind.INVITATION)[0]
    with pytest.raises(ops.OutboxError):
        ops.retry(message, clock.now())
    ops.cancel(message)
    assert message.state == MessageState.CANCELLED
    clock.advance(days=30)
    ops.retry(message, clock.now())
    assert message.state == MessageState.PENDING and message.send_before is None
    db.session.commit()
    assert deliver_due().sent >= 1
    assert message.state == MessageState.SENT or db.session.get(OutboxMessage, message.id).state == MessageState.SENT


def test_backoff_grows_and_is_capped(app):
    assert [ops.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert ops.backoff(20) == timedelta(seconds=3600)
