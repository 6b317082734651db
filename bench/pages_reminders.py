"""Outbox pages for ``python -m bench.pages``: the outbox list (paginated) and the "could not notify" list.

``seed`` queues a few outbox messages per district president of the synthetic directory (an
invitation and two reminders each, spread over the states), and puts every tenth president on the
"could not notify" list, so the tables grow with the directory while each page shows one page of rows.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tracker.directory.models import Person, Post, PostRole, RoleCode
from tracker.extensions import db
from tracker.reminders.models import (
    MessageKind,
    MessageState,
    NotifyProblem,
    OutboxChannel,
    OutboxMessage,
    ProblemReason,
)
from tracker.timeutil import now_utc

OFFICE = "bench_office"
KINDS = (MessageKind.INVITATION, MessageKind.REMINDER_24H, MessageKind.REMINDER_2H)
STATES = (MessageState.SENT, MessageState.PENDING, MessageState.PENDING)


def seed(districts: int) -> None:
    people = db.session.execute(
        sa.select(Person.id, Person.mobile).join(Post, Post.person_id == Person.id)
        .join(PostRole, PostRole.id == Post.role_id).where(PostRole.code == RoleCode.DISTRICT_PRESIDENT)
        .order_by(Person.id)
    ).all()
    now = now_utc().replace(microsecond=0)
    messages, problems = [], []
    for n, (person_id, mobile) in enumerate(people):
        if n % 10 == 0:
            problems.append({"idempotency_key": f"bench:{person_id}", "kind": MessageKind.INVITATION,
                             "reason": ProblemReason.NO_MOBILE, "person_id": person_id, "created_at": now})
            continue
        for kind, state, hours in zip(KINDS, STATES, (0, 24 * 6, 24 * 7 - 2), strict=True):
            messages.append({
                "idempotency_key": f"bench:{kind.value}:{person_id}", "kind": kind, "channel": OutboxChannel.SMS,
                "recipient_person_id": person_id, "address": mobile or "+910000000000", "locale": "hi",
                "subject": f"बैठक {kind.value}", "body": "नमस्ते\n" * 8, "send_after": now + timedelta(hours=hours),
                "state": state, "attempts": 1 if state == MessageState.SENT else 0, "last_error": "",
                "sent_at": now if state == MessageState.SENT else None, "created_at": now, "updated_at": now,
            })
    if messages:
        db.session.execute(sa.insert(OutboxMessage), messages)
    if problems:
        db.session.execute(sa.insert(NotifyProblem), problems)
    db.session.flush()


def pages() -> list[tuple[str, str, str]]:
    return [
        ("reminders.outbox", "/outbox/", OFFICE),
        ("reminders.outbox_filtered", "/outbox/?state=pending&kind=reminder_2h", OFFICE),
        ("reminders.problems", "/outbox/problems", OFFICE),
    ]
