"""API tokens: create, revoke, resolve, count. Operations flush; the caller commits once."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from tracker.api.models import ApiToken
from tracker.auth.models import User
from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.timeutil import now_utc

# Tokens look like "trk_" + 43 URL-safe characters (256 random bits); the prefix makes a leaked
# token easy to recognise (secret scanners, logs) and is what lists show.
TOKEN_MARK = "trk_"
PREFIX_LENGTH = len(TOKEN_MARK) + 8
NAME_MAX = 100
# last_used_at is refreshed at most this often, so that reading the API does not write on every call.
TOUCH_INTERVAL = timedelta(minutes=1)
# The rate limit counts requests in fixed windows of this length (API_RATE_LIMIT per window).
RATE_WINDOW = timedelta(minutes=1)


class TokenError(DomainError):
    """A refusal with a message for the user (translated in the caller's locale)."""


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _clean_name(name: str | None) -> str:
    from tracker.i18n import _

    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("Give the token a name, such as the tool that will use it."))
    if len(name) > NAME_MAX:
        raise TokenError(_("The name may have at most %(n)d characters.", n=NAME_MAX))
    return name


def create_token(user: User, name: str | None, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``, valid for ``days`` (default: the API_TOKEN_DAYS setting). Returns the
    row and the secret, which is never stored."""
    from tracker.i18n import _

    days = current_app.config["API_TOKEN_DAYS"] if days is None else days
    if not 1 <= days <= 3660:
        raise TokenError(_("A token is valid for 1 to 3660 days."))
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    now = now_utc()
    token = ApiToken(user=user, name=_clean_name(name), token_hash=hash_token(secret), prefix=secret[:PREFIX_LENGTH],
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, now: datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or now_utc()
        db.session.flush()


def revoke_all(user: User, **_kwargs) -> None:
    """Revoke every token of ``user`` still in force (their password changed or their login was
    deactivated: the ``credentials_revoked`` signal of the auth domain)."""
    now = now_utc()
    for token in db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                              ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
    db.session.flush()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.revoked_at.is_not(None),
                                                                         ApiToken.created_at.desc())
    ))


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).options(sa.orm.joinedload(ApiToken.user)).order_by(ApiToken.id)
    ))


def find_token(ident: str) -> ApiToken | None:
    """A token by id or by (a unique start of) its displayed prefix."""
    ident = ident.strip()
    if ident.isdigit():
        return db.session.get(ApiToken, int(ident))
    if len(ident) < len(TOKEN_MARK) + 4:
        return None
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.prefix.startswith(ident[:PREFIX_LENGTH])))
    matches = [row for row in rows if row.prefix.startswith(ident[:PREFIX_LENGTH])]
    return matches[0] if len(matches) == 1 else None


def _lookup(secret: str) -> ApiToken | None:
    """The unrevoked token of an active user matching ``secret`` (in force or expired), or None."""
    if not secret.startswith(TOKEN_MARK) or len(secret) > 200:
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .options(sa.orm.joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    return token


def resolve(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The token in force (unrevoked, unexpired) of an active user matching ``secret``, or None."""
    token = _lookup(secret)
    if token is None or token.expires_at <= (now or now_utc()):
        return None
    return token


def expired(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The token matching ``secret`` if it would be in force but for its expiry (to say so in the 401)."""
    token = _lookup(secret)
    return token if token is not None and token.expires_at <= (now or now_utc()) else None


def count_request(secret: str, now: datetime | None = None) -> int | None:
    """Count a request of the token in force matching ``secret`` in its current window (a fixed window of
    :data:`RATE_WINDOW`) and note its use (``last_used_at``, at most every :data:`TOUCH_INTERVAL`).

    One atomic UPDATE … RETURNING in a short transaction of its own, on a connection of its own, so
    that it holds across workers and processes on both databases; it runs before the request's own
    transaction begins (on SQLite a second writer would wait for that transaction's write lock).
    Returns the requests counted in the window so far, this one included, or None when no token in
    force matches (the caller then refuses the request with 401 and counts nothing).
    """
    if not secret.startswith(TOKEN_MARK) or len(secret) > 200:
        return None
    now = now or now_utc()
    window = window_start(now)
    table = ApiToken.__table__
    statement = (
        sa.update(table)
        .where(table.c.token_hash == hash_token(secret), table.c.revoked_at.is_(None), table.c.expires_at > now)
        .values(rate_count=sa.case((table.c.rate_window_at == window, table.c.rate_count + 1), else_=1),
                rate_window_at=window,
                last_used_at=sa.case((sa.or_(table.c.last_used_at.is_(None),
                                             table.c.last_used_at <= now - TOUCH_INTERVAL),
                                      sa.literal(now, table.c.last_used_at.type)),
                                     else_=table.c.last_used_at))
        .returning(table.c.rate_count)
    )
    if db.session().in_transaction():  # not expected (see above): count within the caller's transaction
        return db.session.execute(statement).scalar()
    with db.engine.begin() as conn:
        return conn.execute(statement).scalar()


def window_start(now: datetime) -> datetime:
    """The start of the rate-limit window ``now`` falls in (whole minutes)."""
    return now.replace(second=0, microsecond=0)


def retry_after(now: datetime) -> int:
    """Whole seconds until the next window opens (at least 1), for a 429's ``Retry-After``."""
    left = window_start(now) + RATE_WINDOW - now
    return max(1, math.ceil(left.total_seconds()))


def touch(token: ApiToken, *, separately: bool, now: datetime | None = None) -> None:
    """Record the token's use (at most every :data:`TOUCH_INTERVAL`), when :func:`count_request` did not.

    ``separately``: in a short transaction of its own, for requests that only read (and never
    commit); else in the caller's transaction, which a writing request commits anyway (on SQLite a
    second writer would wait for the request's own write lock).
    """
    now = now or now_utc()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    if not separately:
        token.last_used_at = now
        return
    with db.engine.begin() as conn:
        conn.execute(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    set_committed_value(token, "last_used_at", now)
