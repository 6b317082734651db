"""Issue 13: ``tracker serve --https`` on a venue's LAN, with a self-signed certificate made on first use."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tracker.core.venue_https import ensure_certificate

ROOT = Path(__file__).resolve().parents[2]


def test_the_certificate_is_made_once_for_this_machines_names(tmp_path):
    cert, key = ensure_certificate(tmp_path, "192.168.7.20")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"], capture_output=True,
                          text=True, check=True).stdout
    for name in ("DNS:localhost", "IP Address:127.0.0.1", "IP Address:192.168.7.20", "CA:TRUE"):
        assert name in text, name
    made = cert.read_bytes()
    assert ensure_certificate(tmp_path, "192.168.7.20") == (cert, key)
    assert cert.read_bytes() == made  # kept: the phones that installed it keep trusting it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_https_answers_over_tls_with_that_certificate(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_INSTANCE_PATH": str(tmp_path),
           "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite"}
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "serve", "--https", "--alone", "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        cert = tmp_path / "venue-cert.pem"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = requests.get(f"https://127.0.0.1:{port}/sw.js", verify=str(cert), timeout=5)
                break
            except (requests.ConnectionError, OSError):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
                time.sleep(0.3)
        assert response.status_code == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        with pytest.raises(requests.exceptions.SSLError):  # not a certificate the machine trusts by itself
            requests.get(f"https://127.0.0.1:{port}/sw.js", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        proc.stdout.close()


def test_behind_a_trusted_proxy_that_terminates_https_the_request_is_secure():
    from tracker import create_app

    app = create_app({"TESTING": True, "TRUSTED_PROXIES": 1, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    response = app.test_client().get("/sw.js", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    alone = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})  # no proxy trusted: ignored
    response = alone.test_client().get("/sw.js", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
