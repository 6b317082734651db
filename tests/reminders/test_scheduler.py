"""The scheduler's set-up: jobs, misfire policy, and no work without the lease (no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.reminders.scheduler import Lease, SchedulerProcess


def test_jobs_and_their_misfire_policy(app):
    process = SchedulerProcess(app, holder="me")
    scheduler = process.build_scheduler()
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"deliver", "lease", "digest", "action_items", "expire_posts"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time >= 1
    assert str(jobs["digest"].trigger.timezone) == "Asia/Kolkata"
    assert "hour='8'" in str(jobs["digest"].trigger) and "minute='0'" in str(jobs["digest"].trigger)
    assert jobs["digest"].misfire_grace_time == 4 * 3600


def test_a_job_does_nothing_without_the_lease(app, clock):
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))
    assert Lease("somebody-else", 30, now=clock.now).acquire()
    process = SchedulerProcess(app, holder="me", lease_now=clock.now)
    ran = []
    job = process._guarded("test", lambda: ran.append(True))
    job()
    assert ran == []
    clock.advance(seconds=31)  # the other holder died
    job()
    assert ran == [True]


def test_a_waiting_scheduler_stops_cleanly(app, clock):
    clock.set(datetime(2025, 9, 22, 2, 30, tzinfo=UTC))
    assert Lease("somebody-else", 30, now=clock.now).acquire()
    process = SchedulerProcess(app, holder="me", lease_now=clock.now)
    process.stopping.set()
    assert process.wait_for_lease() is False
