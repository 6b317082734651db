"""Users and logins. Operations flush; the caller commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from tracker.auth import signals
from tracker.auth.models import LoginThrottle, Role, User
from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.timeutil import now_utc

MIN_PASSWORD_LENGTH = 10


class AuthError(DomainError):
    """A refusal with a message for the user (already translated by the caller's locale)."""


@dataclass
class LoginResult:
    user: User | None
    locked_until: datetime | None = None


def _throttle_key(username: str) -> str:
    return username.strip().lower()[:120]


def _get_throttle(key: str) -> LoginThrottle:
    row = db.session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0)
        db.session.add(row)
    return row


def authenticate(username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a login. Repeated failures lock the username for a while (kept in the database)."""
    now = now or now_utc()
    cfg = current_app.config
    key = _throttle_key(username)
    throttle = _get_throttle(key)
    if throttle.locked_until is not None and throttle.locked_until > now:
        return LoginResult(None, throttle.locked_until)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == key))
    if user is not None and user.is_active and user.check_password(password):
        throttle.failures = 0
        throttle.locked_until = None
        user.last_login_at = now
        db.session.flush()
        return LoginResult(user)
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failures = 0
        throttle.locked_until = None
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= cfg["LOGIN_MAX_FAILURES"]:
        throttle.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
    db.session.flush()
    return LoginResult(None, throttle.locked_until if throttle.failures >= cfg["LOGIN_MAX_FAILURES"] else None)


def validate_password(password: str) -> None:
    from tracker.i18n import _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    person_id: int | None = None,
    locale: str | None = None,
) -> User:
    from tracker.i18n import _

    username = username.strip()
    if not username:
        raise AuthError(_("A username is required."))
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())):
        raise AuthError(_("The username %(name)s is already taken.", name=username))
    validate_password(password)
    user = User(username=username, full_name=full_name, role=Role(role), person_id=person_id, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_role(user: User, role: Role | str) -> None:
    user.role = Role(role)
    db.session.flush()


def set_password(user: User, new_password: str) -> None:
    """Set a new password, end every other session of the user and revoke their API tokens."""
    validate_password(new_password)
    user.set_password(new_password)
    user.session_version += 1
    db.session.flush()
    signals.credentials_revoked.send(user, reason="password")


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate a login. Deactivating ends its sessions and revokes its API tokens for
    good: activating it again brings none of them back."""
    if user.is_active_flag == active:
        return
    user.is_active_flag = active
    if not active:
        user.session_version += 1
    db.session.flush()
    if not active:
        signals.credentials_revoked.send(user, reason="deactivated")


def change_password(user: User, current_password: str, new_password: str) -> None:
    from tracker.i18n import _

    if not user.check_password(current_password):
        raise AuthError(_("The current password is not right."))
    set_password(user, new_password)


def end_sessions(user: User) -> None:
    """Logout: every session of the user ends (the session version no longer matches)."""
    user.session_version += 1
    db.session.flush()


def set_user_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session version>"``."""
    try:
        uid, version = (int(x) for x in user_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def login_of(person_id: int) -> User | None:
    """The login linked to a person of the directory, if any."""
    return db.session.scalar(sa.select(User).where(User.person_id == person_id))
