"""Receivers of the meetings domain's signals: they queue messages in the sender's transaction, and tell the
meetings domain when a meeting's reminders go out."""

from __future__ import annotations

from datetime import time, timedelta

from tracker.reminders import operations as ops
from tracker.reminders import personal_links
from tracker.timeutil import local_to_utc, now_utc


def on_meeting_published(meeting, **_kw) -> None:
    ops.queue_meeting_published(meeting, now_utc())


def on_session_changed(session, old_starts_at=None, old_ends_at=None, **_kw) -> None:
    ops.queue_session_changed(session, old_starts_at, old_ends_at, now_utc())


def on_session_cancelled(session, **_kw) -> None:
    ops.queue_session_cancelled(session, now_utc())


def on_invitation_added(invitation, **_kw) -> None:
    ops.queue_invitation_added(invitation, now_utc())


def on_invitation_removed(session, person=None, **_kw) -> None:
    if person is not None:
        ops.queue_invitation_removed(session, person, now_utc())


def on_reply_recorded(invitation, reply=None, **_kw) -> None:
    if reply is not None:
        ops.reply_recorded(invitation, reply, now_utc())


def on_post_ended(post, **_kw) -> None:
    """A post's term ends: the person's personal links end with it (at once if it has ended already)."""
    personal_links.end_with_post(post.person_id, local_to_utc(post.end_date + timedelta(days=1), time(0)), now_utc())


def on_credentials_revoked(user, reason: str = "", **_kw) -> None:
    """A lost or changed phone, or a deactivated login: the person's personal links end too (a new password
    does not touch them: the link is the person's, not the password's)."""
    if reason in ("phone", "deactivated") and user.person_id is not None:
        personal_links.revoke_all(user.person_id, now_utc(), reason)


def on_reminder_offsets(meeting, **_kw) -> tuple[int, int]:
    setting = ops.reminder_setting(meeting.id)
    return setting.day_before_minutes, setting.same_day_minutes


def connect() -> None:
    """Connect once (blinker keeps strong references: ``weak=False``; connecting twice is a no-op)."""
    from tracker.attendance import signals as attendance_signals
    from tracker.auth.signals import credentials_revoked, sign_in_code_ready
    from tracker.core.signals import post_ended
    from tracker.meetings import signals
    from tracker.reminders import absentee_messages, reply_requests
    from tracker.reminders.sign_in import send_sign_in_code

    sign_in_code_ready.connect(send_sign_in_code, weak=False)
    post_ended.connect(on_post_ended, weak=False)
    credentials_revoked.connect(on_credentials_revoked, weak=False)

    signals.meeting_published.connect(on_meeting_published, weak=False)
    signals.session_changed.connect(on_session_changed, weak=False)
    signals.session_cancelled.connect(on_session_cancelled, weak=False)
    signals.invitation_added.connect(on_invitation_added, weak=False)
    signals.invitation_removed.connect(on_invitation_removed, weak=False)
    signals.reminder_offsets.connect(on_reminder_offsets, weak=False)
    signals.reply_recorded.connect(on_reply_recorded, weak=False)
    signals.reply_request_routes.connect(reply_requests.routes, weak=False)
    signals.reply_request.connect(reply_requests.queue, weak=False)
    attendance_signals.absentee_message_routes.connect(absentee_messages.routes, weak=False)
    attendance_signals.absentee_message.connect(absentee_messages.queue, weak=False)
