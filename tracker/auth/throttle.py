"""The sign-in throttle: one mechanism, kept in the database, per account and per client address.

Every key (an account, a client address) has one ``login_throttles`` row while it has recent
failures. After ``free`` failures within the window, each further failure makes the key wait before
its next attempt is even checked: 1 s, 2 s, 4 s … doubling up to ``LOGIN_MAX_DELAY_SECONDS`` (five
minutes by default). An attempt during the wait is refused without being checked and without
counting: it neither extends the wait nor grows the delay, so however long an attacker keeps failing,
the wait never exceeds the cap, and the right password tried after it gets in. The delay does not
lock anyone out: a quarter of an hour of refusals of the right password is what it replaces.

* Account keys are an HMAC of the normalised username under the secret key, for unknown usernames as
  for known ones: an unknown username is throttled exactly like an existing one, so the answers do
  not tell which usernames exist, and the table holds no username in clear.
* Address keys are the client's IPv4 address, or its IPv6 /64 (one subscriber's network). Successful
  sign-ins do not count against an address: 70 people behind one venue Wi-Fi sign in unhindered,
  while 40 failures from one address over random usernames are slowed.
* Rows expire ``LOGIN_THROTTLE_WINDOW_MINUTES`` after their last failure and are deleted then
  (a few at each failure), so the table holds at most the keys that failed within the window; the
  per-address limit bounds how many one address can make.
* Counting is atomic on SQLite and PostgreSQL: one ``INSERT … ON CONFLICT DO UPDATE`` statement per
  key. The account's statement also claims the attempt (it only counts when no wait is on, and holds
  the row until the request commits), so parallel attempts on one account cannot all slip through
  an opening, and two first failures of a new key cannot collide on its primary key.
* A browser that has signed in to the account before carries a known-device cookie (OWASP's "device
  cookies"): its attempts on that account are throttled by the cookie's own key instead of the
  account's and the address's, so no attacker elsewhere can make the owner wait on a browser they
  have used. A stolen cookie is worth no more guesses than any other key.
* The start of a delay is recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite

from tracker.auth.models import LoginThrottle
from tracker.extensions import db

TABLE = LoginThrottle.__table__
CLEANUP_BATCH = 200
KNOWN_DEVICE_COOKIE = "tracker_known_device"
KNOWN_DEVICE_DAYS = 365


@dataclass(frozen=True)
class Policy:
    free: int  # failures within the window that cost no wait
    max_delay: timedelta
    window: timedelta  # failures are forgotten this long after the last one

    def delay(self, failures: int) -> timedelta | None:
        """The wait after the ``failures``-th failure: none while free, then 1 s doubling to the cap."""
        if failures < self.free:
            return None
        exponent = min(failures - self.free, 30)
        return min(timedelta(seconds=2**exponent), self.max_delay)


def account_policy() -> Policy:
    cfg = current_app.config
    return _policy(cfg["LOGIN_FREE_FAILURES"])


def address_policy() -> Policy:
    return _policy(current_app.config["LOGIN_ADDRESS_FREE_FAILURES"])


def _policy(free: int) -> Policy:
    cfg = current_app.config
    max_delay = timedelta(seconds=cfg["LOGIN_MAX_DELAY_SECONDS"])
    window = max(timedelta(minutes=cfg["LOGIN_THROTTLE_WINDOW_MINUTES"]), max_delay)
    return Policy(free=max(1, int(free)), max_delay=max_delay, window=window)


def account_key(username: str) -> str:
    """The account's key: an HMAC of the normalised username (the same for unknown usernames)."""
    name = username.strip().lower().encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "account:" + hmac.new(secret, b"login-throttle:" + name, hashlib.sha256).hexdigest()[:40]


def code_policy() -> Policy:
    """Requests for a sign-in code, per mobile number."""
    return _policy(current_app.config["SIGN_IN_CODE_FREE_REQUESTS"])


def code_address_policy() -> Policy:
    """Requests for a sign-in code, per client address (generous: a venue's shared Wi-Fi)."""
    return _policy(current_app.config["SIGN_IN_CODE_ADDRESS_FREE_REQUESTS"])


def code_failure_policy() -> Policy:
    """Wrong sign-in codes, per client address (generous: a venue's shared Wi-Fi)."""
    return _policy(current_app.config["SIGN_IN_CODE_ADDRESS_FREE_FAILURES"])


def daily_policy() -> Policy:
    """Messages to one number: counted over a day (the cap is SIGN_IN_CODES_PER_DAY)."""
    return Policy(free=1, max_delay=timedelta(0), window=timedelta(days=1))


def mobile_key(number: str, purpose: str = "code") -> str:
    """A mobile number's key: an HMAC of the number (the same for numbers of no login)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"sign-in-{purpose}:{number}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"mobile-{purpose}:{digest}"


def address_key(address: str | None) -> str:
    """The client's key: its IPv4 address, or the /64 network of an IPv6 address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "address:unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.IPv6Network((ip, 64), strict=False)}"
    return f"address:{ip}"


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="tracker.known-device")


def device_token(username: str, now: datetime) -> str:
    """The known-device cookie's value for a browser that just signed in as ``username``."""
    return _device_serializer().dumps(
        {"k": account_key(username), "n": secrets.token_urlsafe(12), "t": int(now.timestamp())}
    )


def device_key(token: str | None, username: str, now: datetime) -> str | None:
    """The throttle key of a known device of the account ``username`` signs in to, or None when the
    token is missing, forged, too old or for another account."""
    if not token:
        return None
    try:
        data = _device_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != account_key(username):
        return None
    nonce, issued = data.get("n"), data.get("t")
    if not isinstance(nonce, str) or not isinstance(issued, int):
        return None
    if now.timestamp() - issued > KNOWN_DEVICE_DAYS * 86400:
        return None
    return "device:" + hashlib.sha256(nonce.encode()).hexdigest()[:40]


def waiting_until(key: str, now: datetime) -> datetime | None:
    """When the key's wait ends, if it is waiting now."""
    until = db.session.scalar(sa.select(TABLE.c.next_attempt_at).where(TABLE.c.key == key))
    return until if until is not None and until > now else None


@lru_cache(maxsize=8)
def _count_statement(dialect: str, claim: bool):
    """``failures + 1`` (from 1 again once the row expired) in one statement; with ``claim``, only
    when no wait is on (no row comes back otherwise)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TABLE).values(
        key=sa.bindparam("key"), failures=1, next_attempt_at=None,
        expires_at=sa.bindparam("expires_at", type_=TABLE.c.expires_at.type),
    )
    now = sa.bindparam("now", type_=TABLE.c.expires_at.type)
    assign = {
        "failures": sa.case((TABLE.c.expires_at <= now, 1), else_=TABLE.c.failures + 1),
        "expires_at": insert.excluded.expires_at,
    }
    where = sa.or_(TABLE.c.next_attempt_at.is_(None), TABLE.c.next_attempt_at <= now) if claim else None
    return insert.on_conflict_do_update(index_elements=[TABLE.c.key], set_=assign, where=where).returning(
        TABLE.c.failures
    )


def count_attempt(key: str, policy: Policy, now: datetime, claim: bool) -> int | None:
    """Count one failure (or, with ``claim``, an attempt about to be checked) for ``key``, atomically.
    Returns the failures within the window, or None when ``claim`` found the key waiting."""
    statement = _count_statement(db.session.get_bind().dialect.name, claim)
    return db.session.execute(statement, {"key": key, "now": now, "expires_at": now + policy.window}).scalar()


def set_wait(key: str, failures: int, policy: Policy, now: datetime) -> datetime | None:
    """Make the key wait as its ``failures`` say; returns the end of the wait (None: no wait)."""
    delay = policy.delay(failures)
    until = now + delay if delay is not None else None
    db.session.execute(sa.update(TABLE).where(TABLE.c.key == key).values(next_attempt_at=until))
    return until


def forget(key: str) -> None:
    db.session.execute(sa.delete(TABLE).where(TABLE.c.key == key))


def delete_expired(now: datetime, limit: int = CLEANUP_BATCH) -> None:
    """Delete up to ``limit`` expired rows; rows another request holds are left for later."""
    expired = (
        sa.select(TABLE.c.key).where(TABLE.c.expires_at <= now).limit(limit).with_for_update(skip_locked=True)
    )
    db.session.execute(sa.delete(TABLE).where(TABLE.c.key.in_(expired.scalar_subquery())))
