"""``tracker reviews``: give or take office staff the right to read review notes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.audit.operations import acting_as
from tracker.auth.cli import user_named
from tracker.extensions import db
from tracker.i18n import _
from tracker.reviews import operations as ops

reviews_cli = AppGroup("reviews", help="Reviews: the right to read notes.")


def _set_read_grant(username: str, granted: bool) -> None:
    with acting_as(label="cli"):
        ops.set_read_grant(user_named(username), granted)
        db.session.commit()
    click.echo(_("%(username)s may read review notes.", username=username) if granted
               else _("%(username)s may no longer read review notes.", username=username))


@reviews_cli.command("grant-read")
@click.argument("username")
def grant_read(username):
    """Let an office login read review notes (the grant "reviews.read")."""
    _set_read_grant(username, True)


@reviews_cli.command("revoke-read")
@click.argument("username")
def revoke_read(username):
    """Take the right to read review notes away again."""
    _set_read_grant(username, False)
