"""Test fixtures.

* The schema is made once per run by the migrations (``upgrade head``), on SQLite or, when
  ``TRACKER_TEST_DATABASE_URL`` names a PostgreSQL server, on a fresh database created for the run.
* Every test runs inside an app context (``db.session`` is the test's own session); after each test
  every table is emptied.
* ``client`` runs each request in a context of its own, as a real server would: the test's session
  is committed before each request, and what the test reads afterwards comes fresh from the database.
* Factories live in ``tests/factories.py``.
"""

from __future__ import annotations

import contextvars
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.extensions import db

DEFAULT_PASSWORD = "correct-horse-battery"

# Hypothesis is reproducible by default: the same examples on every run and on every machine, no example
# database carried between runs ("ci"). HYPOTHESIS_PROFILE=explore searches afresh each run, remembering
# failures in .hypothesis/ (for a developer hunting a new counter-example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The harness (tests/harness): fixed clock, gunicorn-served app, webhook and SMTP receivers.
pytest_plugins = ["tests.harness.fixtures"]

# Tests whose answer does not depend on the database engine: they read the source, the catalogs or the
# templates, run a pure algorithm, or time processes that never reach the database; and the words crawl
# (test_every_page_reads), whose pages test_whole_app renders on both engines. They are marked ``one_engine``
# and the PostgreSQL lane of scripts/run_tests.sh leaves them out (they run on SQLite).
ONE_ENGINE = {
    "tests/test_every_page_reads.py",
    "tests/foundation/test_layers.py",
    "tests/foundation/test_policy_source.py",
    "tests/foundation/test_one_commit.py",
    "tests/foundation/test_export_writers.py",
    "tests/foundation/test_template_bdi.py",
    "tests/foundation/test_template_gettext.py",
    "tests/foundation/test_server_strings.py",
    "tests/foundation/test_one_date_style.py",
    "tests/foundation/test_one_clock.py",
    "tests/foundation/test_i18n_plurals.py",
    "tests/foundation/test_repository.py",
    "tests/foundation/test_reproducible.py",
    "tests/foundation/test_titled_enums.py",
    "tests/foundation/test_venue_https.py",
    "tests/meetings/test_planner_properties.py",
    "tests/directory/test_names.py::test_name_variant_benchmark_reaches_its_goal",
    "tests/foundation/test_config.py::test_tracker_help_lists_command_groups",
    "tests/foundation/test_config.py::test_workers_starting_together_keep_one_secret_key",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module, _sep, _rest = item.nodeid.partition("::")
        if module in ONE_ENGINE or item.nodeid.split("[")[0] in ONE_ENGINE:
            item.add_marker(pytest.mark.one_engine)


def _postgres_url() -> str | None:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL", "")
    return url or None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = _postgres_url()
    if base is None:
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        yield f"sqlite:///{path}"
        return
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base.split("://", 1)[1]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"tracker_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, never in the test's app context."""

    def open(self, *args, **kwargs):
        try:
            db.session.commit()
        except RuntimeError:  # no app context
            pass
        response = contextvars.Context().run(super().open, *args, **kwargs)
        try:
            db.session.expire_all()
        except RuntimeError:
            pass
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    os.environ["TRACKER_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SERVER_NAME": "localhost",
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        from tracker.commands import upgrade_database

        upgrade_database()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    """Empty what the test filled. On PostgreSQL a TRUNCATE of every table costs more than half a second (it
    makes new files for each), so one query finds the tables holding rows and only those are emptied (their
    foreign keys, some of which run both ways, unchecked for this transaction), and every sequence starts
    again at 1 (as TRUNCATE ... RESTART IDENTITY would)."""
    tables = list(reversed(db.metadata.sorted_tables))
    engine = db.engine
    if engine.dialect.name == "postgresql":
        _empty_filled_postgresql_tables(engine, tables)
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            conn.execute(table.delete())


def _empty_filled_postgresql_tables(engine, tables) -> None:
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    with engine.begin() as conn:
        filled = [t for t in tables if t.name in {row[0] for row in conn.exec_driver_sql(probe)}]
        if filled:
            try:
                with conn.begin_nested():
                    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # superuser only
                    for table in filled:
                        conn.execute(table.delete())
            except sa.exc.DBAPIError:  # not a superuser: the slow way, which needs no right
                names = ", ".join(f'"{t.name}"' for t in filled)
                conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")
        conn.exec_driver_sql("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind = 'S' AND n.nspname = current_schema()")


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield
        db.session.remove()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def dialect(app) -> str:
    return db.engine.dialect.name


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = DEFAULT_PASSWORD):
        response = self.client.post("/login", data={"username": username, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def live_server(app):
    """The app served by a real HTTP server thread on 127.0.0.1 (for browser tests). Yields the base URL.

    Commit what the test created before the browser reads it.
    """
    import threading

    from werkzeug.serving import make_server

    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved_server_name = app.config.get("SERVER_NAME")
    app.config["SERVER_NAME"] = None  # the browser's Host header is 127.0.0.1:<port>
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        app.config["SERVER_NAME"] = saved_server_name
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser():
    """A headless Chromium (Playwright). Skipped when Chromium is missing, unless the browser is required."""
    from tests.browser_support import chromium_available, launch_browser

    if not chromium_available():
        if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (TRACKER_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (scripts/ensure_browser.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch_browser(pw)
        try:
            yield instance
        finally:
            instance.close()


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
