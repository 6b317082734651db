"""``tracker serve`` starts the scheduler beside the web server; stopping the server stops both.

Real processes: the test starts ``tracker serve`` on a free port with a temporary instance, waits
for /healthz, finds the scheduler child in /proc, sends a signal to the server only, and checks
that both processes are gone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
              pytest.mark.serial]

TRACKER = Path(sys.executable).with_name("tracker")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_INSTANCE_PATH"] = str(instance)
    env["TRACKER_SECRET_KEY"] = "serve-test"
    return env


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (read from /proc/*/stat; psutil is not a dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve-instance")
    subprocess.run([str(TRACKER), "setup", "--no-demo"], env=_env(path), check=True, capture_output=True,
                   timeout=180)
    return path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_its_scheduler(instance, signum):
    port = _free_port()
    server = subprocess.Popen([str(TRACKER), "serve", "--port", str(port)], env=_env(instance),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = None
    try:
        assert _wait_until(lambda: _healthy(port), 60), "the server never answered /healthz"
        assert _wait_until(lambda: bool(_children(server.pid)), 10), "no scheduler process was started"
        (scheduler,) = _children(server.pid)
        cmdline = Path(f"/proc/{scheduler}/cmdline").read_bytes().split(b"\0")
        assert b"scheduler" in cmdline
        time.sleep(0.5)  # let the scheduler get to its loop (it must still stop if it has not)
        assert _alive(scheduler)

        os.kill(server.pid, signum)  # the server only, not the process group

        server.wait(timeout=40)
        assert _wait_until(lambda: not _alive(scheduler), 20), "the scheduler outlived the server"
        assert not _healthy(port)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if scheduler is not None and _alive(scheduler):
            os.kill(scheduler, signal.SIGKILL)
