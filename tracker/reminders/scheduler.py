"""``tracker scheduler``: APScheduler 3 in its own process, behind a lease in the database.

Only the holder of the lease row ``scheduler`` runs jobs. The lease is taken and renewed with one
atomic ``UPDATE … WHERE name = 'scheduler' AND (expires_at < now OR holder = me)`` (an INSERT the
very first time), so of two processes — two ``tracker scheduler``s, or one per gunicorn worker if
somebody started it there — exactly one wins; the others wait and take over when the holder dies
and its lease expires. Every job re-checks the lease before it runs; a holder that loses it stops
its scheduler and goes back to waiting. The lease is timed in real seconds
(:func:`~tracker.timeutil.wall_now`), not by the app's clock: under a fixed ``NOW`` (tests,
demos) that clock never moves, and a killed holder's lease would never run out. The jobs read the
app's clock (:func:`~tracker.timeutil.now_utc`), like every page and operation.

Jobs are rebuilt from configuration at every start (an in-memory job store): what must not be
lost lives in the outbox table, not in the job store. Misfires are handled on purpose:
``coalesce=True`` (one run for many missed ones), ``max_instances=1``, a ``misfire_grace_time`` per
job, and at start :func:`tracker.reminders.jobs.catch_up` queues the daily jobs a downtime missed
(their idempotency keys carry the date, so the digest is never queued twice for one day).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.reminders import delivery, jobs
from tracker.reminders.models import SchedulerLease
from tracker.timeutil import local_zone, wall_now

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    """The scheduler's lease row. Every method runs in its own committed transaction.

    ``now`` tells the time of the lease: real time (:func:`~tracker.timeutil.wall_now`) unless a
    test hands in the app's clock to move it by hand.
    """

    def __init__(self, holder: str, seconds: float, now: Callable[[], datetime] = wall_now,
                 name: str = LEASE_NAME):
        self.holder, self.seconds, self.now, self.name = holder, seconds, now, name

    def acquire(self) -> bool:
        """Take or renew the lease; True if we hold it now."""
        now = self.now()
        expires = now + timedelta(seconds=self.seconds)
        try:
            result = db.session.execute(
                sa.update(SchedulerLease)
                .where(SchedulerLease.name == self.name,
                       sa.or_(SchedulerLease.expires_at < now, SchedulerLease.holder == self.holder))
                .values(holder=self.holder, expires_at=expires,
                        acquired_at=sa.case((SchedulerLease.holder == self.holder, SchedulerLease.acquired_at),
                                            else_=now))
                .execution_options(synchronize_session=False)
            )
            if (result.rowcount or 0) == 1:
                db.session.commit()
                return True
            exists = db.session.scalar(sa.select(sa.func.count()).where(SchedulerLease.name == self.name))
            if exists:
                db.session.rollback()
                return False
            db.session.add(SchedulerLease(name=self.name, holder=self.holder, acquired_at=now, expires_at=expires))
            db.session.commit()
            return True
        except IntegrityError:  # another process inserted the row first
            db.session.rollback()
            return False
        except Exception:
            db.session.rollback()
            raise

    def release(self) -> None:
        """Let a waiting process take over at once (on a clean stop)."""
        db.session.execute(
            sa.update(SchedulerLease)
            .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.holder)
            .values(expires_at=self.now() - timedelta(seconds=1))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    def current(self) -> SchedulerLease | None:
        lease = db.session.get(SchedulerLease, self.name, populate_existing=True)
        db.session.rollback()
        return lease


class StopFlag:
    """A stop request that a signal handler may raise at any moment.

    ``set`` only assigns an attribute: no lock, so a SIGTERM handler cannot deadlock on a lock the
    main thread holds (``threading.Event.set`` can). ``wait`` polls it in short sleeps.
    """

    STEP = 0.05

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._set:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(self.STEP, left))
        return self._set


class SchedulerProcess:
    """Wait for the lease, then run the jobs until stopped or the lease is lost.

    The main thread owns the APScheduler (a background one): it starts it only if no stop was asked
    for, then waits on :attr:`stopping` and :attr:`lease_lost` and shuts it down itself. A signal
    handler or a job only raise those flags, so a stop at any moment, even before the scheduler
    runs, ends the process promptly.
    """

    def __init__(self, app: Flask, holder: str | None = None, lease_now: Callable[[], datetime] = wall_now):
        """The jobs read the app's clock (what is due); the lease runs on ``lease_now``, real time by
        default, so that a dead holder's lease expires even when the app's clock is fixed."""
        self.app = app
        self.holder = holder or new_holder_id()
        config = app.config
        self.lease_seconds = float(config["SCHEDULER_LEASE_SECONDS"])
        self.interval = float(config["SCHEDULER_DELIVERY_INTERVAL"])
        self.lease = Lease(self.holder, self.lease_seconds, now=lease_now)
        self.stopping = StopFlag()
        self.lease_lost = StopFlag()
        # Claim tokens start with this, so that recovery at start spares our own claims.
        self.token_prefix = uuid.uuid4().hex[:12] + "-"

    # -- the job wrapper: no lease, no work ---------------------------------------------------

    def _guarded(self, name: str, fn):
        def run():
            with self.app.app_context():
                try:
                    if not self.lease.acquire():
                        log.warning("lost the scheduler lease; stopping the jobs (%s skipped)", name)
                        self.lease_lost.set()
                        return
                    fn()
                except Exception:
                    db.session.rollback()
                    log.exception("scheduled job %s failed", name)
                finally:
                    db.session.remove()

        run.__name__ = f"job_{name}"
        return run

    def build_scheduler(self):
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        config = self.app.config
        zone = local_zone()
        scheduler = BackgroundScheduler(
            timezone=zone,
            executors={"default": ThreadPoolExecutor(max_workers=3)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        )
        digest_at = jobs.parse_hhmm(config["DIGEST_TIME"])
        items_at = jobs.parse_hhmm(config["ACTION_REMINDER_TIME"])
        prefix = self.token_prefix

        def add(name: str, fn, trigger, grace: int) -> None:
            # Explicit on every job (not only in job_defaults): one run for many missed ones, never two
            # at once, and how late a run may still start.
            scheduler.add_job(self._guarded(name, fn), trigger, id=name, coalesce=True, max_instances=1,
                              misfire_grace_time=grace)

        add("deliver", lambda: self._deliver(prefix), IntervalTrigger(seconds=self.interval),
            max(int(self.interval), 1))
        add("lease", lambda: None, IntervalTrigger(seconds=max(self.lease_seconds / 3, 0.5)),
            max(int(self.lease_seconds / 3), 1))
        add("digest", lambda: jobs.queue_digest(),
            CronTrigger(hour=digest_at.hour, minute=digest_at.minute, timezone=zone), 4 * 3600)
        add("action_items", lambda: jobs.queue_action_items(),
            CronTrigger(hour=items_at.hour, minute=items_at.minute, timezone=zone), 12 * 3600)
        add("expire_posts", lambda: jobs.expire_post_logins(), CronTrigger(hour=0, minute=5, timezone=zone),
            23 * 3600)
        return scheduler

    def _deliver(self, prefix: str) -> None:
        delivery.recover(token_prefix=prefix)
        jobs.deliver(token_prefix=prefix)

    def stop(self, *_args) -> None:
        """Ask the process to stop (signal handler): only raises a flag, the main thread does the rest."""
        self.stopping.set()

    def wait_for_lease(self) -> bool:
        poll = min(max(self.lease_seconds / 3, 0.2), 5.0)
        announced = False
        while not self.stopping.is_set():
            with self.app.app_context():
                try:
                    if self.lease.acquire():
                        log.info("scheduler %s holds the lease", self.holder)
                        return True
                    if not announced:
                        current = self.lease.current()
                        log.info("scheduler %s waits: the lease is held by %s", self.holder,
                                 current.holder if current else "?")
                        announced = True
                finally:
                    db.session.remove()
            self.stopping.wait(poll)
        return False

    def start_up(self) -> None:
        """With the lease just taken: recover claims of dead deliverers and catch up missed days."""
        with self.app.app_context():
            try:
                delivery.recover(token_prefix=self.token_prefix, at_start=True)
                done = jobs.catch_up()
                if done:
                    log.info("caught up after downtime: %s", ", ".join(done))
            finally:
                db.session.remove()

    def run_jobs(self) -> None:
        """Run the jobs until a stop is asked for or a job finds the lease lost."""
        self.lease_lost = StopFlag()
        scheduler = self.build_scheduler()
        if self.stopping.is_set():
            return
        scheduler.start()
        try:
            while not self.stopping.wait(0.2) and not self.lease_lost.is_set():
                pass
        finally:
            scheduler.shutdown(wait=False)

    def run(self) -> None:
        while not self.stopping.is_set():
            if not self.wait_for_lease():
                break
            self.start_up()
            if self.stopping.is_set():
                break
            self.run_jobs()
        with self.app.app_context():
            try:
                self.lease.release()
            finally:
                db.session.remove()
        log.info("scheduler %s stopped", self.holder)


def run_forever(app: Flask) -> None:
    process = SchedulerProcess(app)
    signal.signal(signal.SIGTERM, process.stop)
    signal.signal(signal.SIGINT, process.stop)
    process.run()
