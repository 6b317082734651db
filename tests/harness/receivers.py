"""Local receivers for the messages the app sends: an HTTP webhook receiver and an SMTP server.

Both listen on 127.0.0.1, record everything they receive, and give the ``TRACKER_*`` settings
(:meth:`env`, for a served app or a CLI run) or the config items (:meth:`configure`, for the test
app) that point the reminders' channels at them: ``WEBHOOK_URL``/``WEBHOOK_SECRET`` for SMS and
WhatsApp (``tracker/reminders/channels.py`` ``WebhookTransport``), ``SMTP_HOST``/``SMTP_PORT``/
``SMTP_SECURITY``/``SMTP_FROM`` for e-mail.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.harness.server import free_port

WEBHOOK_SECRET = "harness-webhook-secret"


def wait_until(predicate, timeout: float) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


# --- webhook ---------------------------------------------------------------------------------


@dataclass
class WebhookRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    json: object | None


class WebhookReceiver:
    """An HTTP server thread recording every request (any method, any path).

    It answers 200 ``{"ok": true}`` unless told otherwise: :meth:`answer` queues statuses for the
    next requests (``answer(500)``, ``answer(500, times=3)``), :meth:`hang` makes the next requests
    wait without answering until :meth:`release` (or ``seconds``) so that the sender's timeout is
    exercised. A request is recorded before it is answered.
    """

    def __init__(self):
        self.requests: list[WebhookRequest] = []
        self._plan: list[tuple[str, int | float | None]] = []  # ("status", code) | ("hang", seconds)
        self._lock = threading.Lock()
        self._released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                url = urlsplit(self.path)
                with receiver._lock:
                    receiver.requests.append(WebhookRequest(self.command, url.path, url.query,
                                                            dict(self.headers), body, parsed))
                    step = receiver._plan.pop(0) if receiver._plan else ("status", 200)
                if step[0] == "hang":
                    receiver._released.wait(step[1])
                    status = 504
                else:
                    status = int(step[1])
                payload = b'{"ok": true}' if status < 300 else b'{"error": "receiver told to fail"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the sender gave up waiting
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="webhook-receiver", daemon=True)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def close(self) -> None:
        self._released.set()  # no handler thread stays blocked
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- behaviour ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The endpoint to configure as ``WEBHOOK_URL``."""
        return f"http://127.0.0.1:{self.port}/send"

    def answer(self, status: int, times: int = 1) -> None:
        with self._lock:
            self._plan.extend([("status", status)] * times)

    def hang(self, times: int = 1, seconds: float | None = 30.0) -> None:
        """The next ``times`` requests get no answer until :meth:`release` (or ``seconds``; then 504)."""
        self._released.clear()
        with self._lock:
            self._plan.extend([("hang", seconds)] * times)

    def release(self) -> None:
        self._released.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[WebhookRequest]:
        """Wait until ``count`` requests arrived; return them (fail the test otherwise)."""
        if not wait_until(lambda: len(self.requests) >= count, timeout):
            raise AssertionError(f"webhook receiver: {len(self.requests)} requests after {timeout}s, "
                                 f"expected {count}")
        with self._lock:
            return list(self.requests)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self._plan.clear()

    # -- settings -------------------------------------------------------------------------------

    def settings(self) -> dict[str, object]:
        return {"WEBHOOK_URL": self.url, "WEBHOOK_SECRET": WEBHOOK_SECRET, "WEBHOOK_TIMEOUT": 5}

    def env(self) -> dict[str, str]:
        return {f"TRACKER_{k}": str(v) for k, v in self.settings().items()}

    def configure(self, app, monkeypatch) -> None:
        for key, value in self.settings().items():
            monkeypatch.setitem(app.config, key, value)


# --- SMTP ------------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: object  # email.message.EmailMessage

    @property
    def key(self) -> str:
        return str(self.message["X-Tracker-Idempotency-Key"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def ics(self) -> bytes | None:
        for part in self.message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                return part.get_payload(decode=True)
        return None


@dataclass
class SmtpReceiver:
    """aiosmtpd on 127.0.0.1 keeping every message that reached end-of-data.

    ``refuse`` (a set of addresses) answers 550 to those recipients.
    """

    host: str = "127.0.0.1"
    port: int = 0
    received: list[ReceivedMail] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: object = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpReceiver:
        from aiosmtpd.controller import Controller

        self.port = self.port or free_port()
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def close(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def sink(self) -> SmtpReceiver:
        """The reminders tests' name for the recording part (``smtp_server.sink.received``)."""
        return self

    def keys(self) -> list[str]:
        with self._lock:
            return [m.key for m in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        if not wait_until(lambda: len(self.received) >= count, timeout):
            raise AssertionError(f"SMTP receiver: {len(self.received)} messages after {timeout}s, expected {count}")
        with self._lock:
            return list(self.received)

    def settings(self) -> dict[str, object]:
        return {"SMTP_HOST": self.host, "SMTP_PORT": self.port, "SMTP_SECURITY": "none",
                "SMTP_FROM": "office@tracker.test", "SMTP_TIMEOUT": 10}

    def env(self) -> dict[str, str]:
        return {f"TRACKER_{k}": str(v) for k, v in self.settings().items()}

    def configure(self, app, monkeypatch) -> None:
        for key, value in self.settings().items():
            monkeypatch.setitem(app.config, key, value)
