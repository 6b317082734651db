"""The local webhook receiver and SMTP server, and a reminder from the served app landing in them."""

from __future__ import annotations

import json
import smtplib
import threading
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
import requests
import sqlalchemy as sa

from tests.factories import make_invitation, make_meeting, make_person, make_session
from tests.harness.receivers import wait_until
from tracker.directory.models import Channel
from tracker.extensions import db


def test_the_webhook_receiver_records_and_answers_as_told(webhook_receiver):
    response = requests.post(webhook_receiver.url + "?x=1", json={"to": "+919800000001", "text": "नमस्ते"},
                             headers={"Idempotency-Key": "k1"}, timeout=5)
    assert response.status_code == 200
    webhook_receiver.answer(500)
    assert requests.post(webhook_receiver.url, json={"n": 2}, timeout=5).status_code == 500
    assert requests.get(webhook_receiver.url.replace("/send", "/status"), timeout=5).status_code == 200

    first, second, third = webhook_receiver.wait_for(3)
    assert (first.method, first.path, first.query) == ("POST", "/send", "x=1")
    assert first.headers["Idempotency-Key"] == "k1" and first.json == {"to": "+919800000001", "text": "नमस्ते"}
    assert second.json == {"n": 2}
    assert (third.method, third.path, third.json) == ("GET", "/status", None)


def test_the_webhook_receiver_can_hang_until_released(webhook_receiver):
    webhook_receiver.hang()
    with pytest.raises(requests.Timeout):
        requests.post(webhook_receiver.url, json={}, timeout=0.5)  # the sender's timeout fires
    webhook_receiver.hang(seconds=None)
    answers = []
    sender = threading.Thread(target=lambda: answers.append(
        requests.post(webhook_receiver.url, json={}, timeout=10).status_code))
    sender.start()
    webhook_receiver.wait_for(2)
    assert answers == []  # still waiting
    webhook_receiver.release()
    sender.join(timeout=10)
    assert answers == [504]
    assert requests.post(webhook_receiver.url, json={}, timeout=5).status_code == 200  # back to normal


def test_the_smtp_server_records_messages_and_refuses_as_told(smtp_server):
    smtp_server.refuse.add("nobody@example.org")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "office@tracker.test", "praveen@example.org", "बैठक"
    mail["X-Tracker-Idempotency-Key"] = "key-1"
    mail.set_content("नमस्ते")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as smtp:
        smtp.send_message(mail)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.send_message(mail, to_addrs=["nobody@example.org"])
    (received,) = smtp_server.wait_for(1)
    assert received.rcpt_tos == ["praveen@example.org"] and received.subject == "बैठक"
    assert received.key == "key-1" and received.text().strip() == "नमस्ते"
    assert smtp_server.sink.keys() == ["key-1"]


def test_a_reminder_sent_by_the_served_app_lands_in_the_receivers(app, monkeypatch, serve_app, fixed_now,
                                                                   webhook_receiver, smtp_server):
    from tracker.reminders import operations as ops
    from tracker.reminders.models import MessageState, OutboxMessage

    published = "2025-09-15T11:30:00+05:30"
    webhook_receiver.configure(app, monkeypatch)  # the channel is chosen when the message is queued
    smtp_server.configure(app, monkeypatch)
    now = fixed_now(published)
    meeting = make_meeting(status="published", commit=False)
    session = make_session(meeting, starts_at=datetime(2025, 9, 22, 5, 30, tzinfo=UTC), commit=False)
    by_sms = make_person("Anokhilal Patel", "अनोखीलाल पटेल", mobile="+919800000001",
                         preferred_channel=Channel.SMS, preferred_locale="hi", commit=False)
    by_mail = make_person("Praveen Saxena", "प्रवीण सक्सेना", email="praveen@example.org",
                          preferred_channel=Channel.EMAIL, preferred_locale="hi", commit=False)
    for person in (by_sms, by_mail):
        make_invitation(session, person, commit=False)
    db.session.flush()
    assert ops.queue_meeting_published(meeting, now) == 2
    db.session.commit()

    # gunicorn and the scheduler beside it, as in production, with the same fixed clock.
    serve_app(now=published, scheduler=True, webhook=webhook_receiver, smtp=smtp_server)
    (sms,) = webhook_receiver.wait_for(1, timeout=20)
    (mail,) = smtp_server.wait_for(1, timeout=20)

    assert sms.method == "POST" and sms.path == "/send"
    assert sms.json["to"] == "+919800000001" and sms.json["channel"] == "sms"
    assert "जिला अध्यक्षों की बैठक" in sms.json["text"]
    assert sms.headers["Idempotency-Key"] == sms.json["idempotency_key"]
    assert json.loads(sms.body) == sms.json
    assert mail.rcpt_tos == ["praveen@example.org"] and mail.ics() is not None

    # The receivers record a message before they answer; the outbox marks it sent after the answer.
    keys = [sms.json["idempotency_key"], mail.key]

    def states():
        # Read in a transaction of its own and end it at once: on SQLite a transaction outside a request
        # begins IMMEDIATE (the write lock), and held between polls it would keep the scheduler from
        # marking the message sent.
        db.session.rollback()
        try:
            query = sa.select(OutboxMessage.state).where(OutboxMessage.idempotency_key.in_(keys))
            return set(db.session.scalars(query))
        finally:
            db.session.rollback()

    assert wait_until(lambda: states() == {MessageState.SENT}, timeout=10), states()
