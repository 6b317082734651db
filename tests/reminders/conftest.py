"""Fixtures of the reminders tests: a real SMTP server (aiosmtpd), a webhook receiver, the app's clock
fixed at the meeting's publication, and a published meeting with invitees."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import make_invitation, make_meeting, make_person, make_session
from tests.harness.receivers import ReceivedMail as Received
from tracker.extensions import db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """aiosmtpd handler: keeps every message that reached end-of-data (like a real MTA's queue).

    ``delay`` makes it slow to answer after the final dot, so that a test can kill the sender while it
    waits; ``rcpt_delay`` slows it before the dot. During ``delay`` the message is in ``answering``.
    ``store_before_answer`` says what a sender that goes away meanwhile leaves behind: True (the
    default), a server that stored the message and is slow to say "250" (it is delivered although the
    sender never heard so: the classic duplicate window); False, a server that takes responsibility
    only with its answer (RFC 5321 §4.1.1.4: the message is gone, the classic loss window). Either way
    the message goes to ``abandoned``.
    """

    delay: float = 0.0
    rcpt_delay: float = 0.0
    store_before_answer: bool = True
    received: list[Received] = field(default_factory=list)
    answering: list[Received] = field(default_factory=list)
    abandoned: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if address.startswith("refuse"):
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = Received(envelope.mail_from, list(envelope.rcpt_tos),
                        message_from_bytes(envelope.content, policy=policy.default))
        if self.store_before_answer:
            self._store(mail)
        if self.delay:
            with self.lock:
                self.answering.append(mail)
            try:
                await asyncio.sleep(self.delay)
            except asyncio.CancelledError:  # the sender went away before the answer
                with self.lock:
                    self.abandoned.append(mail)
                raise
            finally:
                with self.lock:
                    self.answering.remove(mail)
        if not self.store_before_answer:
            self._store(mail)
        return "250 Message accepted for delivery"

    def _store(self, mail: Received) -> None:
        with self.lock:
            self.received.append(mail)

    def keys(self) -> list[str]:
        with self.lock:
            return [r.key for r in self.received]


@dataclass
class SmtpServer:
    host: str
    port: int
    sink: SmtpSink

    def configure(self, app, monkeypatch) -> None:
        for key, value in {"SMTP_HOST": self.host, "SMTP_PORT": self.port, "SMTP_SECURITY": "none",
                           "SMTP_FROM": "office@tracker.test", "SMTP_TIMEOUT": 10}.items():
            monkeypatch.setitem(app.config, key, value)

    def env(self) -> dict[str, str]:
        return {"TRACKER_SMTP_HOST": self.host, "TRACKER_SMTP_PORT": str(self.port),
                "TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_FROM": "office@tracker.test"}


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, sink)
    finally:
        controller.stop()


# --- webhook ---------------------------------------------------------------------------------------


@dataclass
class WebhookServer:
    url: str
    requests: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give, in order (then 200)

    def configure(self, app, monkeypatch, secret: str = "s3cret") -> None:
        monkeypatch.setitem(app.config, "WEBHOOK_URL", self.url)
        monkeypatch.setitem(app.config, "WEBHOOK_SECRET", secret)
        monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", 5)


@pytest.fixture
def webhook_server():
    state = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"headers": dict(self.headers), "body": body, "json": json.loads(body)})
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "no"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --- clock and world -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reminder_receivers():
    """Our receivers are connected in init_app; reconnect (a no-op when connected) in case a test
    elsewhere in the run cleared a signal's receivers."""
    from tracker.reminders import handlers

    handlers.connect()


# Monday 22 September 2025, 11:00 in Asia/Kolkata, as in the reference scenario.
SESSION_START = datetime(2025, 9, 22, 5, 30, tzinfo=UTC)
PUBLISHED_AT = datetime(2025, 9, 15, 6, 0, tzinfo=UTC)


@pytest.fixture
def clock(app_clock):
    """The app's one clock, fixed at the meeting's publication (``.set()``, ``.advance()``, ``.now()``)."""
    app_clock.set(PUBLISHED_AT)
    return app_clock


@dataclass
class World:
    meeting: object
    session: object
    hindi: object  # prefers e-mail, Hindi
    english: object  # prefers e-mail, English
    sms: object  # prefers SMS, Hindi
    unreachable: object  # prefers SMS but has no mobile


@pytest.fixture
def world(app) -> World:
    from tracker.directory.models import Channel

    meeting = make_meeting(status="published", title_en="District presidents' meeting",
                           title_hi="जिला अध्यक्षों की बैठक", commit=False)
    session = make_session(meeting, starts_at=SESSION_START, minutes=120, commit=False)
    hindi = make_person("Praveen Saxena", "प्रवीण सक्सेना", email="praveen@example.org",
                        preferred_channel=Channel.EMAIL, preferred_locale="hi", commit=False)
    english = make_person("Priyavrat Singh", "प्रियवृत सिंह", email="priyavrat@example.org",
                          preferred_channel=Channel.EMAIL, preferred_locale="en", commit=False)
    sms = make_person("Anokhilal Patel", "अनोखीलाल पटेल", mobile="+919800000001",
                      preferred_channel=Channel.SMS, preferred_locale="hi", commit=False)
    unreachable = make_person("Nobody Reachable", "कोई नहीं", mobile="", preferred_channel=Channel.SMS,
                              commit=False)
    unreachable.mobile = None
    for person in (hindi, english, sms, unreachable):
        make_invitation(session, person, commit=False)
    db.session.commit()
    return World(meeting, session, hindi, english, sms, unreachable)


def wait_for(predicate, timeout: float, interval: float = 0.05) -> bool:
    """Poll a condition of an outside process (subprocess tests only; unit tests use the fixed clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
