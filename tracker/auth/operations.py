"""Users and logins. Operations flush; the caller commits once."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, partial

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit.operations import record
from tracker.auth import signals, throttle
from tracker.auth.models import Role, SignInCode, User
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


# --- sign-in by mobile number with a one-time code ---------------------------------------------


@dataclass
class CodeRequest:
    """What a request for a sign-in code came to. The same for a number of no login, so that the
    answer does not tell which numbers have one (except ``refused``: a number of several logins)."""

    # Set when the request was not served: the number or the client address must wait until then.
    wait_until: datetime | None = None
    # Why the number cannot sign in (shown to the user).
    refused: str | None = None
    # Sends the code: to be called once the request's changes are committed. For a number of no
    # login it does the same work but sends nothing.
    send: Callable[[], object] | None = None


def normalized_mobile(text: str) -> str | None:
    """The number in E.164 as the directory keeps it, or None when it is not a valid number."""
    from tracker.directory.operations import normalize_mobile

    try:
        return normalize_mobile(text)
    except DomainError:
        return None


def code_hash(user_id: int, code: str) -> str:
    """The only form in which a code is kept: an HMAC under the secret key, bound to the login."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"sign-in-code:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def logins_with_mobile(number: str) -> list[User]:
    """The active logins whose linked person has this (E.164) mobile number."""
    from tracker.directory.models import Person

    return list(db.session.scalars(
        sa.select(User).join(Person, Person.id == User.person_id)
        .where(Person.mobile == number, User.is_active_flag.is_(True)).order_by(User.id)
    ))


def _request_wait(number: str, address: str | None, now: datetime) -> datetime | None:
    """Count the request per client address and per number; when one of them must wait, until when."""
    address_key = "code-" + throttle.address_key(address)
    wait = throttle.waiting_until(address_key, now)
    if wait is not None:
        return wait
    key, policy = throttle.mobile_key(number), throttle.code_policy()
    requests = throttle.count_attempt(key, policy, now, claim=True)
    if requests is None:
        return throttle.waiting_until(key, now) or now
    throttle.set_wait(key, requests, policy, now)
    by_address = throttle.code_address_policy()
    throttle.set_wait(address_key, throttle.count_attempt(address_key, by_address, now, claim=False), by_address, now)
    return None


def _under_daily_cap(number: str, now: datetime) -> bool:
    sent_today = throttle.count_attempt(throttle.mobile_key(number, "day"), throttle.daily_policy(), now, claim=False)
    return sent_today <= int(current_app.config["SIGN_IN_CODES_PER_DAY"])


def _open_codes(user_id: int, now: datetime):
    return (sa.select(SignInCode)
            .where(SignInCode.user_id == user_id, SignInCode.ended_at.is_(None), SignInCode.expires_at > now)
            .order_by(SignInCode.id.desc()))


def _new_code(user: User, now: datetime) -> str:
    """A fresh 6-digit code for the login (its earlier codes end); only its hash is kept."""
    for earlier in db.session.scalars(_open_codes(user.id, now)):
        earlier.ended_at = now
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = int(current_app.config["SIGN_IN_CODE_MINUTES"])
    db.session.add(SignInCode(user_id=user.id, code_hash=code_hash(user.id, code), created_at=now,
                              expires_at=now + timedelta(minutes=minutes), tries=0))
    db.session.flush()
    return code


def request_sign_in_code(number_text: str, address: str | None, host: str,
                         now: datetime | None = None) -> CodeRequest:
    """Make a sign-in code for the login of this mobile number, throttled per number and per client
    address (tracker.auth.throttle) and capped per day. A number of no login is counted and answered
    alike, and no message goes out. The caller keeps what this wrote, and calls ``send`` after the
    commit (the code is then sent at once, in the person's language, through the channel)."""
    from tracker.i18n import _

    now = now or now_utc()
    number = normalized_mobile(number_text) or "invalid:" + number_text.strip()[:40]
    wait = _request_wait(number, address, now)
    if wait is not None:
        return CodeRequest(wait_until=wait)
    logins = logins_with_mobile(number) if not number.startswith("invalid:") else []
    if len(logins) > 1:
        return CodeRequest(refused=_("This mobile number belongs to more than one login, so it cannot be used "
                                     "to sign in. Please ask the office to correct it, or sign in with your "
                                     "username and password."))
    under_cap = _under_daily_cap(number, now)
    throttle.delete_expired(now)
    minutes = int(current_app.config["SIGN_IN_CODE_MINUTES"])
    if not logins or not under_cap:
        # The same work as for a login's number: a code is made and its message rendered, but with no
        # person to send it to (the receiver sends nothing), and nothing is kept.
        list(db.session.scalars(_open_codes(0, now)))
        code = f"{secrets.randbelow(10**6):06d}"
        code_hash(0, code)
        db.session.flush()
        return CodeRequest(send=partial(signals.sign_in_code_ready.send, None, person=None, code=code, host=host,
                                        minutes=minutes))
    user = logins[0]
    code = _new_code(user, now)
    return CodeRequest(send=partial(signals.sign_in_code_ready.send, user, person=user.person, code=code,
                                    host=host, minutes=minutes))


def check_sign_in_code(number_text: str, code: str, now: datetime | None = None) -> User | None:
    """The login whose open code for this number is ``code`` (the code is then used), else None. A
    wrong code counts a try; the ``SIGN_IN_CODE_MAX_TRIES``-th ends the code. The caller keeps what
    this wrote even when the sign-in fails."""
    now = now or now_utc()
    number = normalized_mobile(number_text)
    logins = logins_with_mobile(number) if number else []
    user = logins[0] if len(logins) == 1 else None
    given = code_hash(user.id if user else 0, (code or "").strip())
    row = db.session.scalar(_open_codes(user.id, now).limit(1).with_for_update()) if user else None
    if row is None:
        return None
    if hmac.compare_digest(row.code_hash, given):
        row.ended_at = now
        user.last_login_at = now
        db.session.flush()
        return user
    row.tries += 1
    if row.tries >= int(current_app.config["SIGN_IN_CODE_MAX_TRIES"]):
        row.ended_at = now
    db.session.flush()
    return None
