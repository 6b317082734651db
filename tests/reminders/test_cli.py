"""``tracker outbox …``: the scheduler's jobs run once by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import make_person, make_user
from tracker.directory.models import Channel
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders.models import MessageKind, MessageState, OutboxMessage


def test_outbox_deliver_sends_the_due_messages(runner, world, clock):
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "3 भेजे गए" in result.output  # in the default language
    db.session.expire_all()
    states = db.session.scalars(sa.select(OutboxMessage.state).where(OutboxMessage.kind == MessageKind.INVITATION))
    assert set(states) == {MessageState.SENT}


def test_outbox_digest_for_a_given_day_is_queued_once(runner, clock):
    person = make_person("Office One", email="one@example.org", preferred_channel=Channel.EMAIL)
    make_user("office", person=person)
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))
    for _ in range(2):
        result = runner.invoke(args=["outbox", "digest", "--date", "2025-09-22"])
        assert result.exit_code == 0, result.output
        assert "22 सितंबर 2025 का 1 सारांश संदेश कतार में डाला गया" in result.output  # the default language
    db.session.expire_all()
    keys = db.session.scalars(sa.select(OutboxMessage.idempotency_key)).all()
    assert keys == [f"digest:2025-09-22:p{person.id}"]


def test_outbox_action_items_without_items(runner, clock):
    with force_locale("en"):
        result = runner.invoke(args=["outbox", "action-items"])
    assert result.exit_code == 0 and "0 action-item reminders queued" in result.output
