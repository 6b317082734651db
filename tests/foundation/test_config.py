import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_settings_layering(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("TIMEZONE = 'Asia/Kolkata'\nPAGE_SIZE = 10\nDEFAULT_LOCALE = 'en'\n")
    monkeypatch.setenv("TRACKER_PAGE_SIZE", "40")
    app = create_app({"DEFAULT_LOCALE": "hi"})
    # defaults < instance/config.py < environment < mapping
    assert app.config["PAGE_SIZE"] == 40
    assert app.config["DEFAULT_LOCALE"] == "hi"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"


def test_secret_key_generated_once_and_kept_in_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_environment_database_url_uses_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_sqlite_connection_pragmas(app):
    from tracker.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_writes_begin_immediate(app):
    """Outside a GET request, transactions take the write lock at BEGIN."""
    from sqlalchemy import event

    from tracker.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    seen = []

    def hook(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("SELECT 1")
        with app.test_request_context("/", method="GET"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("SELECT 1")
        with app.test_request_context("/", method="POST"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("SELECT 1")
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
    begins = [s for s in seen if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN", "BEGIN IMMEDIATE"]


@pytest.mark.slow  # starts the command line twice
def test_tracker_help_lists_command_groups(tmp_path):
    env = dict(os.environ, TRACKER_INSTANCE_PATH=str(tmp_path))
    out = subprocess.run([str(ROOT / ".venv/bin/tracker"), "--help"], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    for group in ("users", "db", "setup", "serve", "translations"):
        assert group in out.stdout
    flask = subprocess.run([sys.executable, "-m", "flask", "--app", "tracker", "users", "--help"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert flask.returncode == 0 and "create" in flask.stdout


def test_mapping_database_wins_over_the_environment(tmp_path, monkeypatch):
    """Defect 1: a database exported in the shell must not replace the one the caller names (benchmarks)."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'mine.sqlite'}"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'mine.sqlite'}"
    # The short name in a mapping wins too, and the environment still wins over instance/config.py.
    (tmp_path / "config.py").write_text("DATABASE_URL = 'sqlite:////nowhere/instance.sqlite'\n")
    assert create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'short.sqlite'}"}).config[
        "SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'short.sqlite'}"
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://postgres@127.0.0.1:5432/production")


def test_bench_pages_never_touches_the_configured_database(tmp_path, monkeypatch):
    """Defect 1 as it was found: bench.pages's app, with a production database exported in the shell."""
    from bench.pages import make_app

    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/production")
    app = make_app(f"sqlite:///{tmp_path / 'bench.sqlite'}", str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'bench.sqlite'}"


_RACE = """
import sys, time
from tracker.config import secret_key_from_instance
start = float(sys.argv[2])
while time.time() < start:
    pass
print(secret_key_from_instance(sys.argv[1]))
"""


@pytest.mark.slow  # starts 20 processes
def test_workers_starting_together_keep_one_secret_key(tmp_path):
    """Defect 2: the key file was made with truncation, so two workers on a fresh instance could keep two keys."""
    import time

    for round_ in range(5):
        instance = tmp_path / f"instance-{round_}"
        start = time.time() + 1.0
        procs = [subprocess.Popen([sys.executable, "-c", _RACE, str(instance), str(start)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True) for _ in range(4)]
        keys = {p.communicate(timeout=60)[0].strip() for p in procs}
        assert len(keys) == 1 and len(keys.pop()) > 40
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary file left


def test_secret_key_file_made_exclusively(tmp_path, monkeypatch):
    """Defect 2, deterministically: a key that appears between the check and the write is kept, not replaced."""
    from tracker import config

    real_open = os.open

    def racing_open(path, flags, *args):
        if not (tmp_path / "secret_key").exists():
            (tmp_path / "secret_key").write_text("the-other-workers-key\n")
        return real_open(path, flags, *args)

    monkeypatch.setattr(config.os, "open", racing_open)
    assert config.secret_key_from_instance(str(tmp_path)) == "the-other-workers-key"


def test_bench_checkin_runs_gunicorn_from_the_running_interpreter(tmp_path):
    """Defect 4: bench.checkin called ``.venv/bin/gunicorn`` by path, which exists in no other environment."""
    from bench.checkin import gunicorn_command

    cmd = gunicorn_command(8123)
    assert cmd[:3] == [sys.executable, "-m", "gunicorn"] and "tracker:create_app()" in cmd
    version = subprocess.run([*cmd[:3], "--version"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert version.returncode == 0 and "gunicorn" in version.stdout.lower()
