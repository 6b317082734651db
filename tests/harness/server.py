"""The app served by gunicorn in processes of its own, on the test run's database.

A :class:`ServedApp` runs ``gunicorn 'tracker:create_app()'`` (and, when asked, ``tracker scheduler``
beside it, as in production) in a new process group each, so that :meth:`ServedApp.kill` can take
the whole server down with SIGKILL, as a power cut would, and :meth:`ServedApp.restart` brings it
back on the same port and the same database. Every process it starts is ended at teardown, and at
interpreter exit should a test run be interrupted.

The database is the test run's own (the SQLite file, or the PostgreSQL database of the run when
``TRACKER_TEST_DATABASE_URL`` is set), already migrated by the ``app`` fixture and emptied after every
test: the test writes through ``db.session`` as usual and the server reads the same rows once they
are committed. :meth:`ServedApp.sync` commits the test's session (seed data) and expires it (so that
what the server wrote is read afresh).
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from tracker.config import ROOT

TEST_SECRET_KEY = "served-app-test-secret"
_RUNNING: dict[int, subprocess.Popen] = {}  # pgid -> process, for the exit handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@atexit.register
def kill_leftovers() -> list[int]:
    """Kill every process group a ServedApp started and did not end; return their ids (normally none)."""
    left = [pgid for pgid, proc in _RUNNING.items() if proc.poll() is None]
    for proc in list(_RUNNING.values()):
        _kill_group(proc)
        proc.wait(timeout=10)
    _RUNNING.clear()
    return left


def _gunicorn_options() -> list[str]:
    """No shared control socket (gunicorn >= 24 opens ~/.gunicorn/gunicorn.ctl: servers would collide)."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []


def _as_setting(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("now needs an aware datetime")
    return value.isoformat()


class ServedApp:
    """gunicorn (and optionally the scheduler) serving the app on ``127.0.0.1:<port>``.

    ``now`` (ISO 8601 with offset, or an aware datetime) becomes ``TRACKER_NOW``; with
    ``now_running=True`` the clock runs on from that instant (``TRACKER_NOW_RUNNING_SINCE`` is the
    moment of :meth:`start`). ``webhook`` and ``smtp`` are receivers from
    :mod:`tests.harness.receivers` (anything with ``env()``); ``env`` adds or overrides ``TRACKER_*``
    settings. ``workers``/``threads`` size gunicorn (1 x 4 threads is light on a 2-core machine).
    """

    def __init__(self, database_url: str, workdir: Path, *, now: datetime | str | None = None,
                 now_running: bool = False, webhook=None, smtp=None, scheduler: bool = False,
                 env: Mapping[str, str] | None = None, workers: int = 1, threads: int = 4,
                 port: int | None = None, start_timeout: float = 30.0):
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.instance_path = self.workdir / "instance"
        self.now = _as_setting(now)
        self.now_running = now_running
        self.webhook, self.smtp = webhook, smtp
        self.scheduler = scheduler
        self.extra_env = dict(env or {})
        self.workers, self.threads = workers, threads
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.log_path = self.workdir / "server.log"
        self._procs: dict[str, subprocess.Popen] = {}
        self._log = None
        self._since: float | None = None

    # -- what the processes get ---------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The environment of every process started for this app (also :meth:`cli`)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update({
            "TRACKER_SQLALCHEMY_DATABASE_URI": self.database_url,
            "TRACKER_INSTANCE_PATH": str(self.instance_path),
            "TRACKER_SECRET_KEY": TEST_SECRET_KEY,
            "TRACKER_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "TRACKER_SCHEDULER_DELIVERY_INTERVAL": "0.2",
            "TRACKER_SCHEDULER_LEASE_SECONDS": "1.5",
            "PYTHONUNBUFFERED": "1",
        })
        if self.now:
            env["TRACKER_NOW"] = self.now
            if self.now_running:
                if self._since is None:
                    self._since = time.time()
                env["TRACKER_NOW_RUNNING_SINCE"] = repr(self._since)
        for receiver in (self.webhook, self.smtp):
            if receiver is not None:
                env.update(receiver.env())
        env.update(self.extra_env)
        return env

    # -- life cycle ---------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str]) -> None:
        if self._log is None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop/kill)
        self._log.write(f"\n===== {name} start {time.strftime('%H:%M:%S')} =====\n".encode())
        self._log.flush()
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env(), stdout=self._log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self._procs[name] = proc
        _RUNNING[proc.pid] = proc

    def start(self) -> ServedApp:
        """Start what is not running (gunicorn; the scheduler when asked) and wait for /healthz."""
        for name, proc in list(self._procs.items()):
            if proc.poll() is not None:  # ended by itself
                _RUNNING.pop(proc.pid, None)
                del self._procs[name]
        if "gunicorn" not in self._procs:
            self._spawn("gunicorn", [
                sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads), "--worker-class", "gthread",
                "--timeout", "60", "--graceful-timeout", "2", "--access-logfile", "-", "--error-logfile", "-",
                *_gunicorn_options(), "tracker:create_app()",
            ])
        if self.scheduler and "scheduler" not in self._procs:
            self._spawn("scheduler", [sys.executable, "-m", "tracker.cli", "scheduler"])
        try:
            self.wait_healthy(self.start_timeout)
        except Exception:
            self.kill()
            raise
        return self

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            proc = self._procs.get("gunicorn")
            if proc is None or proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited while starting:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:  # not yet healthy: close its connection (no stray socket)
                last_error = str(exc)
                exc.close()
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            time.sleep(0.1)
        raise RuntimeError(f"{self.url}/healthz did not answer in {timeout}s ({last_error}):\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        proc = self._procs.get("gunicorn")
        return proc is not None and proc.poll() is None

    def kill(self, *names: str) -> None:
        """SIGKILL the server's processes at once: all (gunicorn's master and workers, the scheduler) or
        those named (``kill("scheduler")``); :meth:`start` brings back what is missing."""
        chosen = self._chosen(names)
        for proc in chosen.values():
            _kill_group(proc, signal.SIGKILL)
        self._reap(chosen, timeout=10)

    def stop(self, *names: str, timeout: float = 10.0) -> None:
        """A clean stop (SIGTERM to each process group, all or those named); SIGKILL what is still alive
        after ``timeout``."""
        chosen = self._chosen(names)
        for proc in chosen.values():
            if proc.poll() is None:
                _kill_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in chosen.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _kill_group(proc, signal.SIGKILL)  # stragglers in the group (orphaned workers)
        self._reap(chosen, timeout=5)

    def _chosen(self, names: tuple[str, ...]) -> dict[str, subprocess.Popen]:
        unknown = set(names) - {"gunicorn", "scheduler"}
        if unknown:
            raise ValueError(f"unknown process {sorted(unknown)}: gunicorn or scheduler")
        return {n: p for n, p in self._procs.items() if not names or n in names}

    def _reap(self, chosen: dict[str, subprocess.Popen], timeout: float) -> None:
        for name, proc in chosen.items():
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass
            _RUNNING.pop(proc.pid, None)
            self._procs.pop(name, None)
        if "gunicorn" in chosen:
            self._wait_port_free(timeout)
        if not self._procs and self._log is not None:
            self._log.close()
            self._log = None

    def _wait_port_free(self, timeout: float) -> None:
        """Until nothing accepts on our port (killed workers may take a moment to go)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                sock.settimeout(0.2)
                if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def restart(self, *, kill: bool = False, now: datetime | str | None = None, **settings) -> ServedApp:
        """Stop (or ``kill=True``: kill -9) and start again on the same port and database.

        ``now`` changes the fixed clock; other keywords are ``TRACKER_*`` settings without the
        prefix (``restart(WEBHOOK_TIMEOUT="2")``).
        """
        if kill:
            self.kill()
        else:
            self.stop()
        if now is not None:
            self.now = _as_setting(now)
            self._since = None
        for key, value in settings.items():
            self.extra_env[f"TRACKER_{key}"] = str(value)
        return self.start()

    # -- helpers ------------------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``tracker <args>`` with the server's settings (database, clock, receivers)."""
        result = subprocess.run([sys.executable, "-m", "tracker.cli", *args], cwd=ROOT, env=self.env(),
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"tracker {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        """A plain GET (no session): status and body text."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode()

    def login_session(self, username: str, password: str):
        """A ``requests.Session`` logged in through the login form (CSRF token included)."""
        import re

        import requests

        http = requests.Session()
        page = http.get(self.url + "/login", timeout=10)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        response = http.post(self.url + "/login", timeout=10, allow_redirects=False, data={
            "csrf_token": token.group(1) if token else "", "username": username, "password": password})
        if response.status_code not in (302, 303):
            raise AssertionError(f"login as {username} failed: HTTP {response.status_code}")
        return http

    @staticmethod
    def sync() -> None:
        """Commit the test's session (the server sees the seed) and expire it (reads see the server's writes)."""
        from tracker.extensions import db

        db.session.commit()
        db.session.expire_all()

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
