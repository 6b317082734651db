import os
import subprocess
import sys
from pathlib import Path

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
