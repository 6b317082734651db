"""``tracker tokens create|list|revoke``: API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.api import operations as ops
from tracker.audit.operations import acting_as
from tracker.auth.cli import user_named
from tracker.extensions import db
from tracker.timeutil import to_local

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
    click.echo(f"token {token.id} ({token.name}) for {user.username}, expires {to_local(token.expires_at):%Y-%m-%d}; "
               "it is not shown again:")
    click.echo(secret)


@tokens_cli.command("list")
def list_tokens():
    """List tokens: id, prefix, user, state, created, expires, last used, name (times are local)."""
    for token in ops.all_tokens():
        state = "revoked" if token.revoked_at else "expired" if token.is_expired else "active"
        last = f"{to_local(token.last_used_at):%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(f"{token.id:5} {token.prefix}…  {token.user.username:16} {state:8} "
                   f"created {to_local(token.created_at):%Y-%m-%d %H:%M}  "
                   f"expires {to_local(token.expires_at):%Y-%m-%d}  last used {last}  {token.name}")


@tokens_cli.command("revoke")
@click.argument("ident")
def revoke(ident):
    """Revoke a token by its id or its prefix (as `tokens list` shows it)."""
    token = ops.find_token(ident.rstrip("…"))
    if token is None:
        raise click.ClickException(f"no single token matches {ident!r}")
    with acting_as(label="cli"):
        ops.revoke_token(token)
        db.session.commit()
    click.echo(f"revoked token {token.id} ({token.prefix}…) of {token.user.username}")
