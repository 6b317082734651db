"""Sign-in by mobile number with a one-time code (issue 12): asking for a code, and checking it. Each is
throttled in the database (tracker.auth.throttle) per mobile number and per client address; a number of
no login is answered alike. Operations flush; the caller commits once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import sqlalchemy as sa
from flask import current_app

from tracker.auth import signals, throttle
from tracker.auth.models import PASSWORD_ROLES, SignInCode, User
from tracker.auth.operations import normalized_mobile
from tracker.extensions import db
from tracker.timeutil import now_utc


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
    # A login that must sign in with its password is answered like a number of no login: no message goes
    # out, and the answer tells nobody that the number belongs to an administrator or the office.
    logins = [user for user in logins if may_sign_in_by_code(user)] if len(logins) == 1 else logins
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


def may_sign_in_by_code(user: User) -> bool:
    """Whether the login may sign in with a code: not administrators and office staff when they must
    keep a password (``STAFF_PASSWORD_REQUIRED``)."""
    return not (current_app.config["STAFF_PASSWORD_REQUIRED"] and user.role in PASSWORD_ROLES)


@dataclass
class CodeCheck:
    """What typing a code came to: the login signed in, or nothing; ``wait_until`` when the client
    address must wait (too many wrong codes) and the code was not checked."""

    user: User | None = None
    wait_until: datetime | None = None


def check_sign_in_code(number_text: str, code: str, address: str | None = None,
                       now: datetime | None = None) -> CodeCheck:
    """The login whose open code for this number is ``code`` (the code is then used). A wrong code
    counts a try (the ``SIGN_IN_CODE_MAX_TRIES``-th ends the code) and a failure of the client address:
    after ``SIGN_IN_CODE_ADDRESS_FREE_FAILURES`` of them (generous: a venue's shared Wi-Fi) the address
    waits 1 s, 2 s, 4 s … (tracker.auth.throttle) before its next code is even checked, whatever the
    numbers it tries. Right codes do not count. The caller keeps what this wrote even when it fails."""
    now = now or now_utc()
    address_key = "code-try-" + throttle.address_key(address)
    wait = throttle.waiting_until(address_key, now)
    if wait is not None:
        return CodeCheck(wait_until=wait)
    user = _check_code(number_text, code, now)
    if user is None:
        policy = throttle.code_failure_policy()
        throttle.set_wait(address_key, throttle.count_attempt(address_key, policy, now, claim=False), policy, now)
        throttle.delete_expired(now)
        db.session.flush()
    return CodeCheck(user=user)


def _check_code(number_text: str, code: str, now: datetime) -> User | None:
    number = normalized_mobile(number_text)
    logins = logins_with_mobile(number) if number else []
    user = logins[0] if len(logins) == 1 and may_sign_in_by_code(logins[0]) else None
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
