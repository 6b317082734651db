"""Deliver due outbox messages, each at least once, never silently lost.

One transaction per step, committed before the next step touches the outside world:

1. **claim**: ``pending → sending`` with a fresh claim token (a conditional UPDATE, so two
   deliverers — two schedulers, or a scheduler and ``tracker outbox deliver`` — never both win);
   the claim is a lease: ``OUTBOX_CLAIM_TIMEOUT`` after ``claimed_at`` another deliverer may
   recover it;
2. **hand over**: just before the channel's point of no return (the SMTP end-of-data dot, the
   webhook POST) ``handed_over_at`` is committed, again conditional on the claim token;
3. **sent** (or a counted failure with back-off) only after the channel answered (SMTP "250").

A process killed at any moment leaves a message either ``pending`` (sent later: fine) or
``sending``; a claim whose lease ran out (or every claim of a dead process, when a scheduler
starts) goes back to ``pending`` and is sent again. If it had been handed over, the receiver may
get it twice, with the same ``Message-ID`` (e-mail) or ``Idempotency-Key`` (webhook), on which
it de-duplicates. See docs/reminders.md.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.reminders import attachments, errors, message_templates, personal_links, queries
from tracker.reminders import operations as ops
from tracker.reminders.channels import (
    ChannelDown,
    ClaimLost,
    DeliveryError,
    Outgoing,
    PermanentError,
    Transport,
    transport_for,
)
from tracker.reminders.models import MessageState, OutboxChannel, OutboxMessage
from tracker.timeutil import now_utc

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: int = 0
    paused: bool = False
    errors: list[str] = field(default_factory=list)


def recover(token_prefix: str | None = None, at_start: bool = False) -> tuple[int, int]:
    """Recover claims of dead deliverers (every claim not ours at start; stale ones afterwards).
    Returns (re-queued, of which handed over: they may arrive twice)."""
    now = now_utc()
    timeout = timedelta(seconds=float(current_app.config["OUTBOX_CLAIM_TIMEOUT"]))
    claimed_before = now if at_start else now - timeout
    result = ops.recover_claims(now, claimed_before, exclude_token_prefix=token_prefix)
    db.session.commit()
    return result


def outgoing(message: OutboxMessage) -> Outgoing:
    """The message as it leaves: the personal link's token filled in (in the text and the variables), the
    registered template's id of today's configuration, an e-mail's file made (tracker/reminders/attachments.py;
    when it cannot be, the e-mail goes without it and says so)."""
    template = None
    if message.template and message.template_variables is not None:
        variables = [(slot, personal_links.fill(value)) for slot, value in message.template_variables]
        template = message_templates.payload(message.template, message.locale, variables)
    body, files = personal_links.fill(message.body), ()
    if message.attachment and message.channel == OutboxChannel.EMAIL:
        try:
            files = (attachments.make(message.attachment, message.locale),)
        except attachments.AttachmentUnavailable as missing:
            log.warning("message %s goes without its attachment %s", message.id, message.attachment)
            if missing.note:
                body = body.rstrip("\n") + "\n\n" + missing.note + "\n"
    return Outgoing(
        idempotency_key=message.idempotency_key, channel=message.channel.value, kind=message.kind.value,
        address=message.address, subject=message.subject, body=body, ics=message.ics,
        template=template, attachments=files,
    )


def deliver_due(token_prefix: str = "", limit: int | None = None, transports: dict[str, Transport] | None = None) -> DeliveryReport:
    """Send the due messages (one batch). Commits after every step; the caller needs an app context."""
    report = DeliveryReport()
    now = now_utc()
    if ops.sending_paused():
        db.session.rollback()
        report.paused = True
        return report
    report.skipped = ops.skip_stale(now)
    db.session.commit()
    limit = limit or int(current_app.config["OUTBOX_BATCH_SIZE"])
    ids = queries.due_message_ids(now, limit)
    db.session.commit()
    if not ids:
        return report
    channels = _channels_of(ids)
    opened: dict[str, Transport] = {}
    down: set[str] = set()  # unreachable this run: their messages wait, without counting attempts
    try:
        for message_id in ids:
            if ops.sending_paused():
                report.paused = True
                break
            channel = channels[message_id]
            if channel in down:
                continue
            if channel not in opened:
                opened[channel] = (transports or {}).get(channel) or transport_for(channel, current_app.config)
            if not _deliver_one(message_id, opened[channel], token_prefix, report):
                down.add(channel)
    finally:
        db.session.rollback()
        for transport in opened.values():
            if transports is None or transport not in transports.values():
                transport.close()
    return report


def _channels_of(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.channel).where(OutboxMessage.id.in_(ids)))
    result = defaultdict(lambda: "console")
    result.update({row.id: row.channel.value for row in rows})
    db.session.commit()
    return result


def _error_code(exc: DeliveryError) -> str:
    if isinstance(exc, ChannelDown):
        return errors.CHANNEL_DOWN
    return errors.REFUSED if isinstance(exc, PermanentError) else errors.FAILED


def _deliver_one(message_id: int, transport: Transport, token_prefix: str, report: DeliveryReport) -> bool:
    """Claim, send and record one message. False if the channel turned out to be unreachable."""
    token = f"{token_prefix}{secrets.token_hex(8)}"[:64]
    if not ops.claim(message_id, token, now_utc()):
        db.session.rollback()
        return True
    db.session.commit()
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    try:
        data = outgoing(message)
    except Exception as exc:  # its file could not be made for an unexpected reason: a failed attempt
        db.session.rollback()
        log.exception("message %s could not be prepared", message_id)
        ops.mark_failed_attempt(message_id, token, now_utc(),
                                errors.stored(errors.UNEXPECTED, f"{type(exc).__name__}: {exc}"), permanent=False)
        db.session.commit()
        report.retrying += 1
        return True
    db.session.commit()

    def hand_over() -> None:
        ok = ops.hand_over(message_id, token, now_utc())
        db.session.commit()
        if not ok:
            raise ClaimLost(message_id)

    try:
        transport.send(data, hand_over)
    except ClaimLost:
        db.session.rollback()
        log.warning("message %s was recovered by another deliverer before hand-over; not sent", message_id)
        return True
    except DeliveryError as exc:
        db.session.rollback()
        state = ops.mark_failed_attempt(message_id, token, now_utc(), errors.stored(_error_code(exc), str(exc)),
                                        permanent=isinstance(exc, PermanentError))
        db.session.commit()
        report.errors.append(str(exc))
        if state == MessageState.FAILED:
            report.failed += 1
        else:
            report.retrying += 1
        return not isinstance(exc, ChannelDown)
    except Exception as exc:  # a bug or an unexpected library error: count it, keep the batch going
        db.session.rollback()
        log.exception("sending message %s failed", message_id)
        ops.mark_failed_attempt(message_id, token, now_utc(),
                                errors.stored(errors.UNEXPECTED, f"{type(exc).__name__}: {exc}"), permanent=False)
        db.session.commit()
        report.retrying += 1
        return True
    ops.mark_sent(message_id, token, now_utc())
    db.session.commit()
    report.sent += 1
    return True



def record_sent_outside(kind, person_id: int | None, channel: str, address: str, locale: str, subject: str,
                        body: str, error: str | None, keep: bool = True) -> None:
    """Keep, in a transaction of its own, the record of a message that was sent at once outside the
    outbox (a sign-in code, sent after its request committed): the office sees that it went out, or why
    not. Its body and error come masked. A failure to record is logged; the message is sent all the same.
    With ``keep`` False the record is made and dropped: the same work for a message sent to nobody."""
    try:
        ops.record_sent_outside(kind, person_id, channel, address, locale, subject, body, error, now_utc())
        if keep:
            db.session.commit()
        else:
            db.session.rollback()
    except Exception as exc:
        db.session.rollback()
        log.error("the record of a %s message could not be kept: %s", kind.value, type(exc).__name__)
