"""Acceptance 2: the real ``tracker scheduler`` process, killed mid-batch and run twice at once.

Each test starts the scheduler as a subprocess against the test database (the SQLite file of the
run, or the PostgreSQL database when the suite runs there) and a local aiosmtpd server, then
counts what arrived at the server by the messages' idempotency keys. E-mail is at least once: a
kill may cause one repeat of the message in flight, with the same Message-ID, never a loss.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_invitation, make_meeting, make_person, make_session
from tests.reminders.conftest import wait_for
from tracker.config import ROOT
from tracker.directory.models import Channel
from tracker.extensions import db
from tracker.reminders import operations as ops
from tracker.reminders.models import MessageKind, MessageState, OutboxMessage

pytestmark = pytest.mark.serial  # starts processes of its own: run alone (scripts/run_tests.sh)


def _queue_invitations(count: int) -> set[str]:
    """A published meeting ten days ahead with ``count`` e-mail invitees; invitations due now."""
    now = datetime.now(UTC)
    meeting = make_meeting(status="published", starts_on=(now + timedelta(days=10)).date(), commit=False)
    session = make_session(meeting, starts_at=now + timedelta(days=10), commit=False)
    for n in range(count):
        person = make_person(f"Invitee {n}", f"आमंत्रित {n}", email=f"invitee{n}@example.org",
                             preferred_channel=Channel.EMAIL, commit=False)
        make_invitation(session, person, commit=False)
    db.session.flush()
    ops.queue_meeting_published(meeting, now)
    db.session.commit()
    keys = set(db.session.scalars(sa.select(OutboxMessage.idempotency_key)
                                  .where(OutboxMessage.kind == MessageKind.INVITATION)))
    db.session.remove()
    assert len(keys) == count
    return keys


def _states() -> Counter:
    db.session.remove()
    rows = db.session.scalars(sa.select(OutboxMessage.state).where(OutboxMessage.kind == MessageKind.INVITATION))
    result = Counter(rows)
    db.session.remove()
    return result


class Schedulers:
    def __init__(self, database_url, smtp_server, tmp_path):
        self.env = {
            **os.environ,
            **smtp_server.env(),
            "TRACKER_SQLALCHEMY_DATABASE_URI": database_url,
            "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
            "TRACKER_SECRET_KEY": "scheduler-test",
            "TRACKER_SCHEDULER_DELIVERY_INTERVAL": "0.2",
            "TRACKER_SCHEDULER_LEASE_SECONDS": "1.5",
            "TRACKER_OUTBOX_CLAIM_TIMEOUT": "20",
            "TRACKER_SMTP_TIMEOUT": "10",
        }
        self.env.pop("TRACKER_TEST_DATABASE_URL", None)
        self.tmp_path = tmp_path
        self.procs: list[tuple[subprocess.Popen, object]] = []

    def start(self) -> subprocess.Popen:
        log = open(self.tmp_path / f"scheduler{len(self.procs)}.log", "w+")  # noqa: SIM115 (closed in stop_all)
        proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "scheduler"], cwd=ROOT, env=self.env,
                                stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        return proc

    def logs(self) -> str:
        out = []
        for _proc, log in self.procs:
            log.flush()
            log.seek(0)
            out.append(log.read())
        return "\n".join(out)

    def stop_all(self) -> None:
        for proc, _log in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, log in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture
def schedulers(database_url, smtp_server, tmp_path):
    runner = Schedulers(database_url, smtp_server, tmp_path)
    try:
        yield runner
    finally:
        runner.stop_all()


def _assert_once_each(smtp_server, keys: set[str]) -> None:
    arrived = Counter(smtp_server.sink.keys())
    duplicates = {k: n for k, n in arrived.items() if n > 1}
    assert duplicates == {}
    assert set(arrived) == keys


def _assert_at_least_once(smtp_server, keys: set[str], in_flight: set[str]) -> Counter:
    """None lost; a message arrived twice at most, only if it was in flight at the kill, and both of its
    copies carry the same Message-ID (distinct messages have distinct ones)."""
    received = list(smtp_server.sink.received)
    arrived = Counter(mail.key for mail in received)
    assert set(arrived) == keys, f"lost: {keys - set(arrived)}"
    duplicates = {key: n for key, n in arrived.items() if n > 1}
    assert all(n == 2 for n in duplicates.values()) and set(duplicates) <= in_flight, duplicates
    ids = {key: {mail.message_id for mail in received if mail.key == key} for key in keys}
    assert all(len(found) == 1 for found in ids.values()), ids
    assert len({found.pop() for found in ids.values()}) == len(keys)
    return arrived


@pytest.mark.parametrize("stored_before_answer", [False, True], ids=["answer-gives-responsibility",
                                                                     "stored-then-slow-to-answer"])
def test_sigkill_mid_batch_then_restart_loses_no_message(app, monkeypatch, smtp_server, schedulers,
                                                         stored_before_answer):
    """SIGKILL while the SMTP server is answering the end of a message's DATA (the message was handed
    over, the "250" not yet read, nothing marked sent), then a restart: at least once.

    * The server takes responsibility only with its "250" (RFC 5321): the message in flight is gone
      with the connection, and must be sent again — at-most-once delivery lost it.
    * The server stored it, then was slow to answer: sent again, it arrives twice, with one Message-ID.
    """
    smtp_server.configure(app, monkeypatch)
    smtp_server.sink.delay = 0.4  # the server is slow to say "250" after the final dot
    smtp_server.sink.rcpt_delay = 0.02
    smtp_server.sink.store_before_answer = stored_before_answer
    keys = _queue_invitations(8)

    first = schedulers.start()
    assert wait_for(lambda: len(smtp_server.sink.keys()) >= 2 and smtp_server.sink.answering, timeout=40,
                    interval=0.01), schedulers.logs()
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert wait_for(lambda: smtp_server.sink.abandoned, timeout=10), "the kill did not land mid-answer"
    in_flight = {mail.key for mail in smtp_server.sink.abandoned}
    assert len(in_flight) == 1 and _states()[MessageState.SENT] < len(keys)
    assert (next(iter(in_flight)) in smtp_server.sink.keys()) is stored_before_answer

    schedulers.start()  # the restart: recovers the dead one's claims once its lease ran out
    assert wait_for(lambda: _states() == Counter({MessageState.SENT: len(keys)}), timeout=40), (
        _states(), schedulers.logs())
    arrived = _assert_at_least_once(smtp_server, keys, in_flight)
    assert arrived[next(iter(in_flight))] == (2 if stored_before_answer else 1)  # sent again after the kill
    assert "handed over" in schedulers.logs()


def test_two_scheduler_processes_send_no_duplicates(app, monkeypatch, smtp_server, schedulers):
    smtp_server.configure(app, monkeypatch)
    smtp_server.sink.delay = 0.05
    schedulers.start()
    schedulers.start()
    # Both are up (one holds the lease, the other waits) before the messages become due.
    assert wait_for(lambda: "holds the lease" in schedulers.logs() and "waits: the lease is held by"
                    in schedulers.logs(), timeout=40), schedulers.logs()
    keys = _queue_invitations(10)

    assert wait_for(lambda: _states() == Counter({MessageState.SENT: len(keys)}), timeout=40), (
        _states(), schedulers.logs())
    _assert_once_each(smtp_server, keys)
    assert schedulers.logs().count("holds the lease") == 1  # the other one never ran a job
    assert all(proc.poll() is None for proc, _log in schedulers.procs)


@pytest.mark.parametrize("attempt", range(3))
def test_sigterm_right_after_taking_the_lease_stops_the_process(app, smtp_server, schedulers, attempt):
    """A stop that lands while the scheduler starts up (lease taken, jobs not yet running) is not lost."""
    proc = schedulers.start()
    assert wait_for(lambda: "holds the lease" in schedulers.logs(), timeout=40, interval=0.01), schedulers.logs()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("the scheduler ran on after SIGTERM:\n" + schedulers.logs())
    assert proc.returncode == 0, schedulers.logs()
    assert "stopped" in schedulers.logs()


def test_under_a_fixed_clock_a_killed_scheduler_is_replaced(app, smtp_server, schedulers):
    """With NOW fixed (tests, demos) the app's clock never moves, yet the lease must expire."""
    schedulers.env["TRACKER_NOW"] = "2025-09-22T09:30:00+05:30"
    first = schedulers.start()
    assert wait_for(lambda: "holds the lease" in schedulers.logs(), timeout=40), schedulers.logs()
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    schedulers.start()  # the lease of the dead one (1.5 s) runs out in real time
    assert wait_for(lambda: schedulers.logs().count("holds the lease") == 2, timeout=30), schedulers.logs()
