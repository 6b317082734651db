"""gunicorn in its own processes: start, kill -9, restart on the same port and database, clock, cleanup."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD, make_meeting, make_session, make_user
from tracker.auth.models import Role, User
from tracker.extensions import db

pytestmark = pytest.mark.serial  # starts processes of its own: run alone (scripts/run_tests.sh)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Only zombies left (reaped by init later) count as gone.
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[2]) == pgid and stat[0] != "Z":
                return True
    return False


def test_kill_and_restart_on_the_same_port_and_database(served_app):
    make_user(Role.OFFICE, "office_a", locale="en")  # committed by the factory: the server sees it
    assert served_app.get("/healthz") == (200, '{"status":"ok"}\n')
    http = served_app.login_session("office_a", DEFAULT_PASSWORD)
    assert "office_a" in http.get(served_app.url + "/home", timeout=10).text
    port, pgid = served_app.port, served_app._procs["gunicorn"].pid

    served_app.kill()
    assert not _group_alive(pgid)  # master and workers, all gone
    with pytest.raises(requests.ConnectionError):
        http.get(served_app.url + "/home", timeout=5)

    served_app.restart()
    assert served_app.port == port
    # Same database, same secret: the browser's session cookie still works after the crash.
    assert "office_a" in http.get(served_app.url + "/home", timeout=10).text


def test_the_test_reads_what_the_server_wrote(served_app):
    user = make_user(Role.OFFICE, "office_b", locale="hi")
    http = served_app.login_session("office_b", DEFAULT_PASSWORD)
    token = http.get(served_app.url + "/home", timeout=10).text.split('name="csrf-token" content="', 1)[1].split('"')[0]
    response = http.post(served_app.url + "/locale", data={"locale": "en", "csrf_token": token},
                         allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303)
    served_app.sync()
    assert db.session.scalar(sa.select(User.locale).where(User.id == user.id)) == "en"


def test_the_served_app_obeys_its_fixed_clock(serve_app):
    meeting = make_meeting(status="published", commit=False)
    make_session(meeting, starts_at=datetime(2025, 9, 22, 5, 30, tzinfo=UTC), title_en="Fixed-day session")
    make_user(Role.COORDINATOR, "coord", locale="en")
    served = serve_app(now="2025-09-22T09:30:00+05:30")
    http = served.login_session("coord", DEFAULT_PASSWORD)
    today, _, _rest = http.get(served.url + "/attendance/", timeout=10).text.partition("Coming sessions")
    assert "Fixed-day session" in today

    served.restart(now="2025-09-24T09:30:00+05:30")
    http = served.login_session("coord", DEFAULT_PASSWORD)
    today, _, rest = http.get(served.url + "/attendance/", timeout=10).text.partition("Coming sessions")
    assert "Fixed-day session" not in today and "Fixed-day session" in rest.partition("Recent sessions")[2]


def test_stop_leaves_no_process_behind(serve_app):
    served = serve_app(scheduler=True)
    scheduler = served._procs["scheduler"].pid
    served.kill("scheduler")  # one process alone: the web server goes on
    assert not _group_alive(scheduler) and served.get("/healthz")[0] == 200
    served.start()  # brings back what is missing
    assert served._procs["scheduler"].pid != scheduler
    pgids = [proc.pid for proc in served._procs.values()]
    assert len(pgids) == 2 and all(_group_alive(p) for p in pgids)
    # SIGTERM stops 'tracker scheduler' even while it starts up; nothing may be left.
    served.stop(timeout=3)
    assert not any(_group_alive(p) for p in pgids)
    assert not served.running
