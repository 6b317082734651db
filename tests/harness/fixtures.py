"""The harness's pytest fixtures (a plugin loaded by ``tests/conftest.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.harness import network  # noqa: F401  (sets the Playwright service-worker flag early)
from tests.harness.receivers import SmtpReceiver, WebhookReceiver
from tests.harness.server import ServedApp, kill_leftovers


def pytest_sessionfinish(session, exitstatus):
    """No server may outlive the run: kill any left behind and fail the run if there was one."""
    left = kill_leftovers()
    if left:
        print(f"\nharness: served-app processes left running (killed now): {left}")
        session.exitstatus = 1


class AppClock:
    """The test app's clock, set through its ``NOW`` setting: the one clock every page, rule, model
    timestamp, job and CLI command reads (``tracker.timeutil``). Undone when the test ends.

    ``set("2025-09-22T09:30:00+05:30")`` or ``set(aware_datetime)`` fixes it (``running_since``:
    Unix seconds from which it runs on), ``set(None)`` goes back to the real clock; ``advance(minutes=5)``
    moves a fixed clock on; ``now()`` is the app's now.
    """

    def __init__(self, app, monkeypatch):
        self.app, self.monkeypatch = app, monkeypatch

    def set(self, value, running_since: float | None = None):
        """Fix the clock; returns the instant as aware UTC (None for the real clock)."""
        self.monkeypatch.setitem(self.app.config, "NOW", value)
        self.monkeypatch.setitem(self.app.config, "NOW_RUNNING_SINCE", running_since)
        return self.now() if value else None

    def advance(self, **delta):
        """Move the fixed clock on by a ``timedelta(**delta)``; returns the new instant."""
        if not self.app.config.get("NOW") or self.app.config.get("NOW_RUNNING_SINCE") is not None:
            raise RuntimeError("advance() moves a fixed clock: set() it first, without running_since")
        return self.set(self.now() + timedelta(**delta))

    def now(self):
        from tracker.timeutil import now_utc

        with self.app.app_context():
            return now_utc()


@pytest.fixture
def app_clock(app, monkeypatch) -> AppClock:
    """The test app's clock (see :class:`AppClock`); real time until a test sets it."""
    return AppClock(app, monkeypatch)


@pytest.fixture
def fixed_now(app_clock):
    """``fixed_now("2025-09-22T09:30:00+05:30")`` fixes the test app's clock (``NOW``) until the test ends.

    ``fixed_now(None)`` goes back to the real clock. Returns the instant as aware UTC.
    """
    return app_clock.set


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver().start()
    try:
        yield receiver
    finally:
        receiver.close()


@pytest.fixture
def smtp_server():
    receiver = SmtpReceiver().start()
    try:
        yield receiver
    finally:
        receiver.close()


@pytest.fixture
def serve_app(app, database_url, tmp_path):
    """A factory: ``serve_app(now=..., webhook=..., smtp=..., scheduler=False, env=None)`` starts gunicorn
    on the run's database (see :class:`tests.harness.server.ServedApp`). Every server it started is
    killed at teardown, whatever the test's outcome.
    """
    from tracker.extensions import db

    started: list[ServedApp] = []

    def start(**options) -> ServedApp:
        db.session.commit()  # what the test created so far is seen by the server
        served = ServedApp(database_url, tmp_path / f"served{len(started)}", **options)
        started.append(served)
        return served.start()

    try:
        yield start
    finally:
        for served in started:
            served.kill()  # nothing to wait for: the tables are emptied next


@pytest.fixture
def served_app(serve_app):
    """gunicorn serving the app on the run's database with the real clock; ``.url``, ``.kill()``,
    ``.restart()``, ``.stop()``, ``.sync()``, ``.cli(...)``. Use ``serve_app(now=...)`` for a fixed clock."""
    return serve_app()
