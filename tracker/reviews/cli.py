"""``tracker reviews``: give or take office staff the right to read review notes."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.audit.operations import acting_as
from tracker.auth.models import User
from tracker.extensions import db
from tracker.reviews import operations as ops

reviews_cli = AppGroup("reviews", help="Reviews: the right to read notes.")


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


@reviews_cli.command("grant-read")
@click.argument("username")
def grant_read(username):
    """Let an office login read review notes (the grant "reviews.read")."""
    with acting_as(label="cli"):
        ops.set_read_grant(_user(username), True)
        db.session.commit()
    click.echo(f"{username} may read review notes")


@reviews_cli.command("revoke-read")
@click.argument("username")
def revoke_read(username):
    """Take the right to read review notes away again."""
    with acting_as(label="cli"):
        ops.set_read_grant(_user(username), False)
        db.session.commit()
    click.echo(f"{username} may no longer read review notes")
