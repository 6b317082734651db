"""Sign-in codes (asked for on the auth domain's login page) go out at once through the person's SMS or
WhatsApp channel, in their saved language, straight through the channel's transport: not through the
outbox (whose pause would hold it). The outbox keeps only a record with the code masked
(``sign_in_code``, sent or failed), so the office sees that a code went out, or why not; the code
itself is kept nowhere."""

from __future__ import annotations

import logging
import secrets

from flask import current_app
from flask_babel import force_locale

from tracker.directory.models import Channel
from tracker.i18n import _
from tracker.reminders import delivery, message_templates, messages
from tracker.reminders.channels import DeliveryError, Outgoing, transport_for, webhook_configured
from tracker.reminders.models import MessageKind

log = logging.getLogger(__name__)

KIND = MessageKind.SIGN_IN_CODE.value
MASK = "••••••"


def code_text(code: str, host: str, minutes: int, locale: str) -> tuple[str, message_templates.Filled]:
    """The subject and the registered template filled in; its text ends with the WebOTP line
    (``@host #code``) that lets an Android phone fill the code in."""
    with force_locale(locale):
        subject = _("Sign-in code")
    return subject, message_templates.fill(KIND, locale, {"code": code, "minutes": minutes, "host": host})


def channel_for(person) -> str:
    """WhatsApp for those who prefer it, else SMS; the console when no webhook is configured."""
    if not webhook_configured(current_app.config):
        return "console"
    return "whatsapp" if person.preferred_channel == Channel.WHATSAPP else "sms"


def send_sign_in_code(user, person=None, code: str = "", host: str = "", minutes: int = 10, **_kw) -> bool:
    """Send the code now, then record it (masked) in the outbox; False (logged, without the code) when
    it could not be sent. Without a person (a number of no login) the message is only rendered."""
    locale = messages.person_locale(person)
    subject, filled = code_text(code, host.split(":", 1)[0], minutes, locale)
    body = filled.text
    if person is None or not person.mobile or not code:
        # A number of no login: rendered and recorded alike (the same time), sent to nobody, kept nowhere.
        delivery.record_sent_outside(MessageKind.SIGN_IN_CODE, None, "sms", "", locale, subject,
                                     body.replace(code, MASK) if code else body, None, keep=False)
        return False
    channel = channel_for(person)
    message = Outgoing(idempotency_key=f"{KIND}:{secrets.token_hex(12)}", channel=channel, kind=KIND,
                       address=person.mobile, subject=subject, body=body,
                       template=message_templates.payload(KIND, locale, filled.variables))
    error = None
    try:
        with transport_for(channel, current_app.config) as transport:
            transport.send(message, lambda: None)
    except DeliveryError as exc:
        error = str(exc).replace(code, MASK)
        log.warning("the sign-in code for login %s could not be sent: %s", user.id, error)
    except Exception as exc:  # a bug must not turn the committed request into an error page, nor log the code
        error = type(exc).__name__
        log.error("the sign-in code for login %s could not be sent: %s", user.id, error)
    delivery.record_sent_outside(MessageKind.SIGN_IN_CODE, person.id, channel, person.mobile, locale, subject,
                                 body.replace(code, MASK), error)
    return error is None
