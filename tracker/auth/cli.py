from __future__ import annotations

import json
import secrets
from collections.abc import Callable

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.audit.operations import acting_as
from tracker.auth import operations as ops
from tracker.auth.models import Role, User
from tracker.extensions import db
from tracker.i18n import _, localized, ngettext

users_cli = AppGroup("users", help="Create and manage login accounts.")

ROLE_CHOICE = click.Choice([r.value for r in Role])


def user_named(username: str) -> User:
    """The login of that name (case does not matter), or the command fails saying there is none."""
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(_("No login named “%(username)s”.", username=username))
    return user


def _with_password(password: str | None, operation: Callable[[str], object], done: str) -> None:
    """Run the operation with the given password, or a generated one that is then printed; commit."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        operation(password)
    except ops.AuthError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(done)
    if generated:
        click.echo(_("Password: %(password)s", password=password))


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--password", help="Generated and printed when omitted.")
@click.option("--name", "full_name", default="")
@click.option("--person-id", type=int, default=None, help="Link the login to a person of the directory.")
def create(username, role, password, full_name, person_id):
    """Create a login."""
    _with_password(password, lambda secret: ops.create_user(username, secret, role, full_name=full_name,
                                                            person_id=person_id),
                   _("Created %(username)s (%(role)s).", username=username, role=Role(role).title))


@users_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_users(fmt):
    """List logins."""
    users = db.session.scalars(sa.select(User).order_by(User.username)).all()
    if fmt == "json":
        click.echo(json.dumps([
            {"username": u.username, "role": u.role.value, "person_id": u.person_id, "active": u.is_active}
            for u in users
        ], ensure_ascii=False))
        return
    for u in users:
        click.echo(f"{u.username:20} {u.role.value:12} {_('active') if u.is_active else _('disabled'):8} {u.full_name}")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def set_role(username, role):
    """Change a login's role."""
    try:
        ops.set_role(user_named(username), role)
    except ops.AuthError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(_("%(username)s is now %(role)s.", username=username, role=Role(role).title))


@users_cli.command("reset-password")
@click.argument("username")
@click.option("--password", help="Generated and printed when omitted.")
def reset_password(username, password):
    """Set a new password (ends the user's sessions)."""
    _with_password(password, lambda secret: ops.set_password(user_named(username), secret),
                   _("Password of %(username)s reset.", username=username))


def _set_active(username: str, active: bool, said: str) -> None:
    with acting_as(label="cli"):
        ops.set_active(user_named(username), active)
        db.session.commit()
    click.echo(said)


@users_cli.command("deactivate")
@click.argument("username")
def deactivate(username):
    """Deactivate a login: it can no longer sign in, its sessions end and its API tokens are revoked."""
    _set_active(username, False, _("%(username)s is deactivated; their sessions ended and their API tokens were "
                                   "revoked.", username=username))


@users_cli.command("activate")
@click.argument("username")
def activate(username):
    """Activate a login again (its revoked API tokens stay revoked)."""
    _set_active(username, True, _("%(username)s is active.", username=username))


def _units_by_code(codes: tuple[str, ...]) -> list[int]:
    from tracker.directory.models import Unit

    found = dict(db.session.execute(sa.select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all())
    missing = [code for code in codes if code not in found]
    if missing:
        raise click.ClickException(_("No unit with the code %(codes)s.", codes=", ".join(missing)))
    return list(found.values())


@users_cli.command("from-posts")
@click.option("--unit", "units", multiple=True, required=True, help="A unit's code (repeat for several).")
@click.option("--role", "kind", type=click.Choice(list(ops.POST_KINDS)), default="district_president",
              show_default=True, help="Which posts' holders get a login.")
@click.option("--dry-run", is_flag=True, help="Show who would get a login; change nothing.")
def from_posts(units, kind, dry_run):
    """Create a login for every current holder of a kind of post under some units who has none:
    linked to the person, an unusable password (they sign in by mobile number)."""
    unit_ids = _units_by_code(units)
    with acting_as(label="cli"):
        if dry_run:
            report = ops.plan_from_posts(kind, unit_ids)
        else:
            report = ops.logins_from_posts(kind, unit_ids)
            db.session.commit()
    for c in report.created:
        said = _("Would create %(username)s (%(role)s) for %(name)s [%(unit)s]") if dry_run else \
            _("Created %(username)s (%(role)s) for %(name)s [%(unit)s]")
        click.echo(said % {"username": c.username, "role": report.kind.role.title, "name": localized(c.person),
                           "unit": c.post.unit.code})
    for c in report.skipped:
        click.echo(_("Skipped %(name)s [%(unit)s]: %(reason)s", name=localized(c.person), unit=c.post.unit.code,
                     reason=c.reason) + (f" ({c.existing})" if c.existing else ""))
    said = _("%(created)s to create, %(skipped)s skipped") if dry_run else _("%(created)s created, %(skipped)s skipped")
    click.echo(said % {"created": len(report.created), "skipped": len(report.skipped)})


@users_cli.command("expire-posts")
@click.option("--dry-run", is_flag=True, help="Show which logins would be deactivated; change nothing.")
def expire_posts(dry_run):
    """Deactivate the logins of post-holders whose every post has ended (the scheduler does it daily)."""
    from tracker.auth.posts import expire_logins

    with acting_as(label="cli"):
        done = expire_logins(dry_run=dry_run)
        if not dry_run:
            db.session.commit()
    for user, reason in done:
        said = _("%(username)s: would be deactivated (%(reason)s)") if dry_run else \
            _("%(username)s: deactivated (%(reason)s)")
        click.echo(said % {"username": user.username, "reason": reason})
    if dry_run:
        click.echo(ngettext("%(num)s login to deactivate", "%(num)s logins to deactivate", len(done)))
    else:
        click.echo(ngettext("%(num)s login deactivated", "%(num)s logins deactivated", len(done)))
