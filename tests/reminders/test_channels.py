"""Acceptance 1: messages go through a real SMTP server and a real webhook; check what arrived."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar

from tests.reminders.conftest import SESSION_START
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders.delivery import deliver_due
from tracker.reminders.models import MessageKind, MessageState, OutboxChannel, OutboxMessage

TWELVE_HOUR = re.compile(r"\d\s*(?:[AaPp]\.?[Mm]\b|पूर्वाह्न|अपराह्न)")


def _publish(world):
    signals.meeting_published.send(world.meeting)
    db.session.commit()


def _messages(kind=None):
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def test_email_and_sms_arrive_in_the_recipients_language_and_india_time(
        app, monkeypatch, world, clock, smtp_server, webhook_server):
    smtp_server.configure(app, monkeypatch)
    webhook_server.configure(app, monkeypatch, secret="s3cret")
    _publish(world)

    report = deliver_due()
    assert report.sent == 3, report.errors

    by_rcpt = {r.rcpt_tos[0]: r for r in smtp_server.sink.received}
    assert set(by_rcpt) == {"praveen@example.org", "priyavrat@example.org"}
    hindi = by_rcpt["praveen@example.org"]
    text = hindi.text()
    assert "प्रवीण सक्सेना" in text and "जिला अध्यक्षों की बैठक" in text
    assert "22 सितंबर 2025" in text
    assert "11:00" in text and "13:00" in text  # 05:30–07:30 UTC in India time, 24-hour clock
    assert not TWELVE_HOUR.search(text)
    assert "बैठक" in str(hindi.message["Subject"])
    assert hindi.message["Message-ID"].startswith("<") and hindi.message["Message-ID"].endswith("@tracker.test>")
    calendar = Calendar.from_ical(hindi.ics())
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=5, minutes=30)
    assert event.decoded("dtstart").astimezone(SESSION_START.tzinfo) == SESSION_START

    english = by_rcpt["priyavrat@example.org"].text()
    assert "Namaste Priyavrat Singh" in english and "22 September 2025" in english and "11:00" in english
    assert not TWELVE_HOUR.search(english)  # not "AM" anywhere: the personal link's random token may hold it

    assert len(webhook_server.requests) == 1
    request = webhook_server.requests[0]
    payload = request["json"]
    assert payload["to"] == "+919800000001" and payload["channel"] == "sms"
    assert payload["kind"] == "invitation" and "22 सितंबर, 11:00" in payload["text"]
    assert request["headers"]["Idempotency-Key"] == payload["idempotency_key"]
    expected = hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Tracker-Signature"] == expected

    assert {m.state for m in _messages(MessageKind.INVITATION)} == {MessageState.SENT}


def test_without_configuration_messages_go_to_the_console(world, clock, capsys):
    _publish(world)
    assert {m.channel for m in _messages()} == {OutboxChannel.CONSOLE}
    report = deliver_due()
    assert report.sent == 3
    assert "प्रवीण सक्सेना" in capsys.readouterr().out


def test_webhook_failures_back_off_then_fail(app, monkeypatch, world, clock, webhook_server):
    webhook_server.configure(app, monkeypatch)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "OUTBOX_BACKOFF_SECONDS", 60)
    _publish(world)
    sms = next(m for m in _messages(MessageKind.INVITATION) if m.channel == OutboxChannel.SMS)
    webhook_server.statuses = [503, 503, 503]

    deliver_due()
    db.session.refresh(sms)
    assert sms.state == MessageState.PENDING and sms.attempts == 1
    assert sms.next_attempt_at == clock.now() + timedelta(seconds=60)
    assert "503" in sms.last_error

    deliver_due()  # not due yet: no new attempt
    assert len(webhook_server.requests) == 1
    clock.advance(seconds=60)
    deliver_due()
    db.session.refresh(sms)
    assert sms.attempts == 2 and sms.next_attempt_at == clock.now() + timedelta(seconds=120)
    clock.advance(seconds=120)
    deliver_due()
    db.session.refresh(sms)
    assert sms.state == MessageState.FAILED and sms.attempts == 3
    # All attempts carried the same idempotency key.
    assert len({r["headers"]["Idempotency-Key"] for r in webhook_server.requests}) == 1


def test_a_refused_recipient_fails_at_once_and_the_batch_goes_on(app, monkeypatch, world, clock, smtp_server):
    smtp_server.configure(app, monkeypatch)
    world.hindi.email = "refuse@example.org"
    db.session.commit()
    _publish(world)
    report = deliver_due()
    assert report.failed == 1 and report.sent == 2
    failed = next(m for m in _messages(MessageKind.INVITATION) if m.address == "refuse@example.org")
    assert failed.state == MessageState.FAILED and "550" in failed.last_error
    assert [r.rcpt_tos for r in smtp_server.sink.received] == [["priyavrat@example.org"]]


def test_smtp_server_down_is_retried_later(app, monkeypatch, world, clock):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)  # nothing listens
    monkeypatch.setitem(app.config, "SMTP_SECURITY", "none")
    _publish(world)
    report = deliver_due()
    assert report.retrying == 1  # the first counts an attempt; the other waits for the next run
    emails = [m for m in _messages(MessageKind.INVITATION) if m.channel == OutboxChannel.EMAIL]
    assert all(m.state == MessageState.PENDING for m in emails)
    assert sorted(m.attempts for m in emails) == [0, 1]
    assert "connection" in max(emails, key=lambda m: m.attempts).last_error
