"""Party directory: units, people, posts and terms."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="The Madhya Pradesh demo data.")


@demo_cli.command("load")
def load_command():
    """Load the demo data (units, people, posts, logins). Loading twice changes nothing."""
    from tracker.directory import demo

    demo.load_demo()
    click.echo("demo data loaded")
    click.echo(f"Demo logins (password for all: {current_app.config['DEMO_PASSWORD']}):")
    for username, description in demo.demo_logins():
        click.echo(f"  {username:14} {description}")


def init_app(app: Flask) -> None:
    from tracker.core.nav import register_nav
    from tracker.directory import models  # noqa: F401
    from tracker.directory.views import bp
    from tracker.i18n import _l

    app.register_blueprint(bp)
    app.cli.add_command(demo_cli)
    register_nav("directory.tree", _l("Directory"), "directory.view", order=20)
    # --- part B: search, import/export, the `tracker directory` CLI register themselves ---
    from tracker.directory import cli, io_views, search_views

    for part in (cli, io_views, search_views):
        part.init_app(app)
