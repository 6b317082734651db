"""The harness's pytest fixtures (a plugin loaded by ``tests/conftest.py``)."""

from __future__ import annotations

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


@pytest.fixture
def fixed_now(app, monkeypatch):
    """``fixed_now("2025-09-22T09:30:00+05:30")`` fixes the test app's clock (``NOW``) until the test ends.

    ``fixed_now(None)`` goes back to the real clock. Returns the instant as aware UTC.
    """
    from tracker.timeutil import now_utc

    def set_now(value, running_since: float | None = None):
        monkeypatch.setitem(app.config, "NOW", value)
        monkeypatch.setitem(app.config, "NOW_RUNNING_SINCE", running_since)
        return now_utc() if value else None

    return set_now


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
