"""Users and logins. Operations flush; the caller commits once."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit.operations import record
from tracker.auth import signals, throttle
from tracker.auth.models import Role, User
from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.timeutil import now_utc

MIN_PASSWORD_LENGTH = 10


class AuthError(DomainError):
    """A refusal with a message for the user (already translated by the caller's locale)."""


@dataclass
class LoginResult:
    user: User | None
    # Set when the attempt was not checked: the account or the client address must wait until then.
    wait_until: datetime | None = None
    # On success: the known-device cookie for this browser (tracker.auth.throttle).
    device_token: str | None = None


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with the configured method, once per process and method: an
    unknown username costs the same check as a wrong password."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password at the same cost whether the user exists, is inactive or not."""
    if user is None:
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return False
    return user.check_password(password) and user.is_active


def authenticate(username: str, password: str, address: str | None = None, device: str | None = None,
                 now: datetime | None = None) -> LoginResult:
    """Check a sign-in, throttled per client address and per account (tracker.auth.throttle); from a
    known device of the account (``device``, the cookie an earlier sign-in left), per device instead.

    An attempt while its key must wait is refused unchecked and not counted. The caller keeps what
    this wrote even when the sign-in fails (the failure is counted), and gives the browser the
    result's ``device_token`` on success."""
    now = now or now_utc()
    policy, by_address = throttle.account_policy(), throttle.address_policy()
    address_key = throttle.address_key(address)
    known_device = throttle.device_key(device, username, now)
    key = known_device or throttle.account_key(username)
    if known_device is None:
        wait = throttle.waiting_until(address_key, now)
        if wait is not None:
            return LoginResult(None, wait)
    failures = throttle.count_attempt(key, policy, now, claim=True)
    if failures is None:
        return LoginResult(None, throttle.waiting_until(key, now) or now)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.strip().lower()))
    if _password_matches(user, password):
        throttle.forget(key)
        user.last_login_at = now
        db.session.flush()
        return LoginResult(user, device_token=throttle.device_token(username, now))
    throttle.set_wait(key, failures, policy, now)
    client = address_key.split(":", 1)[1]
    # The start of a delay goes to the audit trail (an unknown username's has no user to name).
    if failures == policy.free and user is not None:
        record(db.session, "users", user.id, "login_throttled",
               {"failures": [None, failures], "address": [None, client], "known_device": [None, bool(known_device)]})
    if known_device is None:
        address_failures = throttle.count_attempt(address_key, by_address, now, claim=False)
        throttle.set_wait(address_key, address_failures, by_address, now)
        if address_failures == by_address.free:
            record(db.session, "login_addresses", 0, "login_throttled",
                   {"failures": [None, address_failures], "address": [None, client]})
    throttle.delete_expired(now)
    db.session.flush()
    return LoginResult(None)


def seconds_until(instant: datetime) -> int:
    """Whole seconds from now until ``instant`` (at least 1): how long a throttled client waits."""
    return max(1, math.ceil((instant - now_utc()).total_seconds()))


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
