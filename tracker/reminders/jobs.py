"""The scheduled jobs. Each needs an app context, reads the app's clock and commits itself."""

from __future__ import annotations

import logging
from datetime import time

from flask import current_app

from tracker.audit.operations import acting_as
from tracker.extensions import db
from tracker.reminders import delivery
from tracker.reminders import operations as ops
from tracker.timeutil import now_utc, to_local

log = logging.getLogger(__name__)


def parse_hhmm(value: str) -> time:
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def deliver(token_prefix: str = "") -> delivery.DeliveryReport:
    with acting_as(label="scheduler"):
        report = delivery.deliver_due(token_prefix=token_prefix)
    if report.sent or report.failed or report.retrying or report.skipped:
        log.info("outbox: %s sent, %s retrying, %s failed, %s skipped", report.sent, report.retrying,
                 report.failed, report.skipped)
    return report


def queue_digest() -> int:
    """Queue today's digest (idempotent per day: a second run or a second process adds nothing)."""
    now = now_utc()
    with acting_as(label="scheduler"):
        count = ops.queue_digest(to_local(now).date(), now)
        db.session.commit()
    return count


def queue_action_items() -> int:
    now = now_utc()
    with acting_as(label="scheduler"):
        count = ops.queue_action_item_reminders(to_local(now).date(), now)
        db.session.commit()
    return count


def expire_post_logins() -> int:
    """Daily: deactivate the logins of post-holders whose every post has ended (tracker.auth.posts)."""
    from tracker.auth.posts import expire_logins

    with acting_as(label="scheduler"):
        count = len(expire_logins())
        db.session.commit()
    return count


def catch_up() -> list[str]:
    """At start: run the daily jobs a downtime made us miss (their keys carry the date, so never twice).

    The digest is queued only between its time and ``DIGEST_LATEST`` (a digest at 15:00 helps
    nobody); the action-item reminders any time after their time of day.
    """
    local_now = to_local(now_utc())
    done = []
    config = current_app.config
    digest_at, digest_latest = parse_hhmm(config["DIGEST_TIME"]), parse_hhmm(config["DIGEST_LATEST"])
    if digest_at <= local_now.time() < digest_latest:
        queue_digest()
        done.append("digest")
    if local_now.time() >= parse_hhmm(config["ACTION_REMINDER_TIME"]):
        queue_action_items()
        done.append("action_items")
    expire_post_logins()
    done.append("expire_posts")
    return done
