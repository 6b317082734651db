"""The project's own commands (setup, demo, serve, translations), added to every app by the factory.

The ``tracker`` command itself, a FlaskGroup over the factory, is :mod:`tracker.cli`: the factory adds these
commands, so they cannot live beside the group that imports the factory without the two importing each other.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from tracker.config import ROOT
from tracker.core.companions import serve_companions

logger = logging.getLogger(__name__)


# The first migration history, squashed into one revision before anything was deployed (frozen).
SCHEMA_REVISION = "0001_schema"
SQUASHED_REVISIONS = frozenset({
    "0001_initial", "0002_directory", "0003_meetings", "0004_attendance", "0005_reviews", "0006_reminders",
    "0006b_reminders_outbox_order", "0007_api", "0008_merge", "0009_roster_pass_codes",
})
SQUASHED_HEAD = "0009_roster_pass_codes"  # its last revision: exactly the schema that 0001_schema makes


class UnknownMigrationHistory(click.ClickException):
    """The database is at a revision the migrations do not know: it cannot be upgraded."""


def upgrade_database() -> None:
    """Apply every migration (the only way the schema is made).

    A database made by the squashed first history at its last revision has the schema of
    ``0001_schema``: it is re-stamped to it first. At any other unknown revision it cannot be carried
    over and must be made again (nothing was deployed then: only local and test databases).
    """
    from flask_migrate import stamp, upgrade

    current = _database_revisions()
    unknown = current - _known_revisions()
    if current == {SQUASHED_HEAD}:
        logger.warning("database at %s of the squashed migration history: re-stamped %s (the same schema)",
                       SQUASHED_HEAD, SCHEMA_REVISION)
        stamp(revision=SCHEMA_REVISION, purge=True)
    elif unknown:
        raise UnknownMigrationHistory(_unknown_history_message(unknown))
    upgrade(revision="head")


def _database_revisions() -> set[str]:
    from alembic.migration import MigrationContext

    from tracker.extensions import db

    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _unknown_history_message(unknown: set[str]) -> str:
    from tracker.extensions import db

    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        again = f"delete {url.database} (instance/tracker.sqlite by default) and run `tracker setup` again"
    else:
        again = f"drop and create the database {url.database} again, then run `tracker setup`"
    if unknown <= SQUASHED_REVISIONS:
        why = (f"a revision of the first migration history, squashed into {SCHEMA_REVISION}; only a database "
               f"at its last revision, {SQUASHED_HEAD}, is carried over")
    else:
        why = "a revision this version of tracker does not know (made by a newer one?)"
    return f"the database is at migration {', '.join(sorted(unknown))}: {why}. Make it again: {again}."


@click.command("setup")
@click.option("--no-demo", is_flag=True, help="Do not load the demo data into an empty database.")
@with_appcontext
def setup_command(no_demo):
    """Compile translations, migrate the database, load the demo data when it is empty."""
    from tracker.i18n import compile_catalogs

    compile_catalogs(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    upgrade_database()
    click.echo(f"database ready: {_safe_url(current_app.config['SQLALCHEMY_DATABASE_URI'])}")
    if no_demo:
        return
    from tracker import demo
    from tracker.extensions import db
    from tracker.timeutil import today_local

    if demo.database_is_empty():
        demo.load_demo()
        click.echo("demo data loaded")
    if not demo.is_demo_directory():
        return  # real data: no demo meetings, no demo logins to print
    today = today_local()
    loaded = demo.load_meetings(today)
    db.session.commit()
    if loaded.meetings:
        click.echo(f"demo meetings added: {len(loaded.meetings)} ({loaded.marks} attendance marks, "
                   f"{loaded.notes} review note, {loaded.items} action items; "
                   f"{loaded.cancelled_messages} demo messages cancelled in the outbox, none sent)")
    click.echo("")
    click.echo("Demo meetings:")
    for line in demo.describe(today):
        click.echo(line)
    click.echo("")
    click.echo(f"Log in at /login with one of these demo logins (password for all: "
               f"{current_app.config['DEMO_PASSWORD']}):")
    for username, description in demo.demo_logins():
        click.echo(f"  {username:14} {description}")
    for line in demo.mobile_sign_in_help():
        click.echo(line)


demo_cli = AppGroup("demo", help="The Madhya Pradesh demo data.")


@demo_cli.command("load")
def load_demo_command():
    """Load the demo data (units, people, posts, logins). Loading twice changes nothing."""
    from tracker import demo

    demo.load_demo()
    click.echo("demo data loaded")
    click.echo(f"Demo logins (password for all: {current_app.config['DEMO_PASSWORD']}):")
    for username, description in demo.demo_logins():
        click.echo(f"  {username:14} {description}")
    for line in demo.mobile_sign_in_help():
        click.echo(line)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


i18n_cli = AppGroup("translations", help="Extract, update, compile and check the Hindi and English catalogs.")

BABEL_CFG = ROOT / "babel.cfg"
POT = ROOT / "translations" / "messages.pot"
KEYWORDS = ["-k", "_l", "-k", "N_", "-k", "Nn_:1,2", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
            "-k", "lazy_pgettext:1c,2", "-k", "lazy_npgettext:1c,2,3"]


def _pybabel(*args: str) -> None:
    cmd = [sys.executable, "-m", "babel.messages.frontend", *args]
    subprocess.run(cmd, check=True, cwd=ROOT)


@i18n_cli.command("extract")
def extract():
    """Extract messages into translations/messages.pot."""
    _pybabel("extract", "-F", str(BABEL_CFG), *KEYWORDS, "--sort-by-file", "--no-wrap",
             "-o", str(POT), ".")


@i18n_cli.command("update")
@click.pass_context
def update(ctx):
    """Extract, then merge new messages into every catalog."""
    ctx.invoke(extract)
    _pybabel("update", "-i", str(POT), "-d", str(ROOT / "translations"), "--no-fuzzy-matching", "--no-wrap",
             "--ignore-obsolete")


@i18n_cli.command("compile")
def compile_():
    """Compile the catalogs (.po → .mo)."""
    from tracker.i18n import compile_catalogs

    for path in compile_catalogs(ROOT / "translations", force=True):
        click.echo(f"compiled {path.relative_to(ROOT)}")


@i18n_cli.command("check")
def check():
    """Fail when a Hindi message is untranslated or fuzzy, or a placeholder differs."""
    from tracker.i18n_check import problems

    found = problems(ROOT / "translations")
    for line in found:
        click.echo(line)
    if found:
        raise SystemExit(1)
    click.echo("catalogs complete")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--alone", is_flag=True, help="Do not start the companion processes (scheduler).")
@click.option("--https", "use_https", is_flag=True,
              help="Serve HTTPS with a self-signed certificate made on first use in instance/ (a venue's LAN).")
@with_appcontext
def serve_command(host, port, alone, use_https):
    """Serve the app for development (and its scheduler beside it). Production: gunicorn, see README.

    Stopping the server stops its companions: Ctrl+C (SIGINT), SIGTERM and SIGHUP all end in the
    ``finally`` below, and on Linux a companion also gets SIGTERM if the server dies without
    cleaning up (even by SIGKILL).
    """
    ssl_context = _venue_certificate(host) if use_https else None
    procs = []
    previous = {sig: signal.signal(sig, _stop_serving) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        if not alone:
            for argv in serve_companions():  # registered by the domains (tracker/core/companions.py)
                procs.append(subprocess.Popen([sys.executable, "-m", "tracker.cli", *argv],
                                              preexec_fn=_die_with_parent))
        from werkzeug.serving import run_simple

        # Flask refuses app.run() inside its own CLI; serve the same app object with werkzeug.
        run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False,
                   ssl_context=ssl_context)
    finally:
        stop_companions(procs)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _venue_certificate(host: str) -> tuple[str, str]:
    """The instance's self-signed certificate and key (made on first use), as werkzeug takes them."""
    from tracker.core.venue_https import CertificateError, ensure_certificate
    from tracker.i18n import _

    try:
        cert, key = ensure_certificate(current_app.instance_path, host)
    except CertificateError as exc:
        raise click.ClickException(_("The openssl command is needed to make the certificate.")) from exc
    click.echo(_("HTTPS certificate: %(path)s (install it on the phones, see the README).", path=str(cert)))
    return str(cert), str(key)


def _stop_serving(signum, _frame):
    """SIGTERM/SIGHUP: leave the server loop like Ctrl+C does, so that the companions are stopped."""
    raise SystemExit(128 + signum)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the companion gets SIGTERM when the server process dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def stop_companions(procs: list[subprocess.Popen], timeout: float = 10) -> None:
    """Terminate the companions and wait for them; kill one that does not stop in time."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def register_commands(app) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(demo_cli)
    app.cli.add_command(serve_command)
    app.cli.add_command(i18n_cli)
