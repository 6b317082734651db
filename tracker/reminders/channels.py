"""Transports: e-mail by SMTP, SMS/WhatsApp through an HTTP webhook, and the console.

A transport is opened once per delivery batch (one SMTP connection for many messages) and sends
one :class:`Outgoing` at a time. Each send calls ``hand_over()`` exactly at the channel's point
of no return (just before the SMTP end-of-data dot, just before the webhook POST); the caller
commits that moment to the database, and ``hand_over`` raises :class:`ClaimLost` if the message
was taken away meanwhile, in which case nothing is delivered.

A message that was handed over but never confirmed (the process died waiting for the answer) is
sent again, identical: every channel is at-least-once, and a repeat is recognisable — an e-mail by
its ``Message-ID`` (derived from the idempotency key, the same on every attempt; receivers and
mail clients de-duplicate on it), a webhook post by its ``Idempotency-Key`` (the receiver must
de-duplicate on it). See docs/reminders.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import smtplib
import ssl
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate

import requests

from tracker.timeutil import now_utc

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A temporary failure: try again later."""


class ChannelDown(DeliveryError):
    """The channel cannot be reached at all: the rest of the batch on it waits for the next run."""


class PermanentError(DeliveryError):
    """The channel refused the message for good (e.g. unknown recipient): do not retry."""


class ClaimLost(Exception):
    """The message was recovered by another deliverer before the point of no return."""


@dataclass(frozen=True)
class Outgoing:
    idempotency_key: str
    channel: str  # email | sms | whatsapp | console
    kind: str
    address: str
    subject: str
    body: str
    ics: str | None = None
    # SMS/WhatsApp: the registered template, {name, id, language, variables} (message_templates.payload);
    # ``body`` is its text with the variables filled in.
    template: dict | None = None
    # Files made at delivery (tracker/reminders/attachments.py): e-mail only.
    attachments: tuple = ()


HandOver = Callable[[], None]


class Transport(AbstractContextManager):
    def send(self, message: Outgoing, hand_over: HandOver) -> None:
        raise NotImplementedError

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


# --- e-mail ----------------------------------------------------------------------------------


def message_id(idempotency_key: str, sender: str) -> str:
    """A Message-ID derived from the outbox message's idempotency key (unique per message, never
    changed) and the sender's domain: the same on every attempt, so that a copy sent again after a
    crash is recognised as the same message by the receiving server and mail clients."""
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "tracker.invalid"
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def build_email(message: Outgoing, sender: str) -> EmailMessage:
    mail = EmailMessage(policy=SMTP_POLICY)
    mail["From"] = sender
    mail["To"] = message.address
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(now_utc().timestamp(), usegmt=True)  # the app's clock, like the rest of the message
    mail["Message-ID"] = message_id(message.idempotency_key, sender)
    mail["X-Tracker-Idempotency-Key"] = message.idempotency_key
    mail.set_content(message.body)
    if message.ics:
        mail.add_attachment(
            message.ics.encode(), maintype="text", subtype="calendar", filename="invitation.ics",
            params={"method": "PUBLISH"},
        )
    for attachment in message.attachments:
        maintype, _slash, subtype = attachment.mimetype.partition("/")
        mail.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                            filename=attachment.filename)
    return mail


_LEADING_DOT = re.compile(rb"(?m)^\.")


class SmtpTransport(Transport):
    """SMTP with the end-of-data dot sent separately, after ``hand_over()``.

    Until the final ``.`` a server discards the transaction when the connection drops
    (RFC 5321 §4.1.1.4), so a message whose claim was lost before the hand-over is dropped with
    the connection and never delivered. A message is counted as sent only once the server has
    answered "250" to the final dot; if the process dies before that answer the message is sent
    again, with the same ``Message-ID`` (at least once).
    """

    def __init__(self, config):
        self.host = config["SMTP_HOST"]
        self.port = int(config["SMTP_PORT"])
        self.security = str(config["SMTP_SECURITY"]).lower()
        self.username = config["SMTP_USERNAME"]
        self.password = config["SMTP_PASSWORD"]
        self.sender = config["SMTP_FROM"]
        self.timeout = float(config["SMTP_TIMEOUT"])
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo_or_helo_if_needed()
            if self.username:
                smtp.login(self.username, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelDown(f"SMTP connection to {self.host}:{self.port} failed: {exc}") from exc
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def send(self, message: Outgoing, hand_over: HandOver) -> None:
        smtp = self._connect()
        data = build_email(message, self.sender).as_bytes()
        try:
            self._transaction(smtp, message.address, data, hand_over)
        except ClaimLost:
            self._drop()  # closing mid-DATA makes the server discard the transaction
            raise
        except PermanentError:
            self._reset(smtp)
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise DeliveryError(f"SMTP: {exc}") from exc

    def _transaction(self, smtp: smtplib.SMTP, to: str, data: bytes, hand_over: HandOver) -> None:
        code, reply = smtp.mail(self.sender)
        self._check(code, reply, "MAIL")
        code, reply = smtp.rcpt(to)
        self._check(code, reply, "RCPT")
        code, reply = smtp.docmd("DATA")
        if code != 354:
            self._check(code, reply, "DATA")
        payload = _LEADING_DOT.sub(b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        smtp.send(payload)
        hand_over()  # committed: from here on the message counts as handed to the server
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        self._check(code, reply, "end of DATA")

    @staticmethod
    def _check(code: int, reply: bytes, step: str) -> None:
        if 200 <= code < 400:
            return
        text = f"SMTP {step}: {code} {reply.decode(errors='replace')}"
        if 500 <= code < 600:
            raise PermanentError(text)
        raise DeliveryError(text)

    @staticmethod
    def _reset(smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            pass


# --- SMS / WhatsApp webhook -------------------------------------------------------------------


def webhook_payload(message: Outgoing) -> bytes:
    """The documented JSON body (docs/reminders.md). A message made from a registered template is sent as
    exactly that template filled in (``text``), with the template's name, id, language and variables."""
    text = message.body if message.template else f"{message.subject}\n{message.body}"
    payload = {
        "to": message.address,
        "channel": message.channel,
        "text": text,
        "kind": message.kind,
        "idempotency_key": message.idempotency_key,
    }
    if message.template:
        payload["template"] = message.template
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def webhook_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookTransport(Transport):
    """POST the payload; 2xx is delivered, 4xx (but 408/429) permanent, anything else temporary.
    A post may be repeated (at least once): the receiver de-duplicates on ``Idempotency-Key``."""

    def __init__(self, config):
        self.url = config["WEBHOOK_URL"]
        self.secret = config["WEBHOOK_SECRET"] or ""
        self.timeout = float(config["WEBHOOK_TIMEOUT"])
        self._http = requests.Session()

    def close(self) -> None:
        self._http.close()

    def send(self, message: Outgoing, hand_over: HandOver) -> None:
        body = webhook_payload(message)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.idempotency_key,
            "X-Tracker-Signature": webhook_signature(body, self.secret),
        }
        hand_over()
        try:
            response = self._http.post(self.url, data=body, headers=headers, timeout=self.timeout)
        except requests.ConnectionError as exc:
            raise ChannelDown(f"webhook: {exc}") from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"webhook: {exc}") from exc
        if 200 <= response.status_code < 300:
            return
        text = f"webhook: HTTP {response.status_code} {response.text[:200]}"
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise PermanentError(text)
        raise DeliveryError(text)


# --- console ---------------------------------------------------------------------------------


class ConsoleTransport(Transport):
    """Development: print the message instead of sending it."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: Outgoing, hand_over: HandOver) -> None:
        hand_over()
        print(
            f"--- {message.kind} to {message.address} ({message.channel}) [{message.idempotency_key}]\n"
            f"{message.subject}\n\n{message.body}\n---",
            file=self.stream,
            flush=True,
        )


def smtp_configured(config) -> bool:
    return bool(config.get("SMTP_HOST"))


def webhook_configured(config) -> bool:
    return bool(config.get("WEBHOOK_URL"))


TRANSPORT_CLASSES: dict[str, type[Transport]] = {
    "email": SmtpTransport,
    "sms": WebhookTransport,
    "whatsapp": WebhookTransport,
    "console": ConsoleTransport,
}


def transport_for(channel: str, config) -> Transport:
    cls = TRANSPORT_CLASSES.get(channel, ConsoleTransport)
    return ConsoleTransport() if cls is ConsoleTransport else cls(config)
