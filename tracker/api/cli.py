"""``tracker tokens create|list|revoke``: API tokens from the command line (printed in the default language)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.api import operations as ops
from tracker.audit.operations import acting_as
from tracker.auth.cli import user_named
from tracker.extensions import db
from tracker.i18n import _, fmt_date, fmt_datetime

tokens_cli = AppGroup("tokens", help="Create, list and revoke API tokens.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=None, help="Days until it expires (default: the API_TOKEN_DAYS setting).")
def create(username, name, days):
    """Create a token acting as USERNAME; the token is printed once, alone on the last line."""
    user = user_named(username)
    with acting_as(label="cli"):
        try:
            token, secret = ops.create_token(user, name, days)
        except ops.TokenError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
    click.echo(_("Token %(id)s (%(name)s) for %(username)s, expires %(expires)s; it is not shown again:",
                 id=token.id, name=token.name, username=user.username, expires=fmt_date(token.expires_at)))
    click.echo(secret)


@tokens_cli.command("list")
def list_tokens():
    """List tokens: id, prefix, user, state, created, expires, last used, name (times are local)."""
    for token in ops.all_tokens():
        state = _("revoked") if token.revoked_at else _("expired") if token.is_expired else _("active")
        last = fmt_datetime(token.last_used_at) if token.last_used_at else _("never")
        dates = _("created %(created)s, expires %(expires)s, last used %(last)s",
                  created=fmt_datetime(token.created_at), expires=fmt_date(token.expires_at), last=last)
        click.echo(f"{token.id:5} {token.prefix}…  {token.user.username:16} {state:8} {dates}  {token.name}")


@tokens_cli.command("revoke")
@click.argument("ident")
def revoke(ident):
    """Revoke a token by its id or its prefix (as `tokens list` shows it)."""
    token = ops.find_token(ident.rstrip("…"))
    if token is None:
        raise click.ClickException(_("No single token matches “%(ident)s”.", ident=ident))
    with acting_as(label="cli"):
        ops.revoke_token(token)
        db.session.commit()
    click.echo(_("Revoked token %(id)s (%(prefix)s…) of %(username)s.", id=token.id, prefix=token.prefix,
                 username=token.user.username))
