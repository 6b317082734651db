"""The ``tracker`` command: a FlaskGroup over the app factory, which adds the domains' command groups and
the project's own commands (:mod:`tracker.commands`)."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from tracker import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main():
    """tracker: the state office's meetings, directory, attendance, reviews and reminders."""


if __name__ == "__main__":
    main()
