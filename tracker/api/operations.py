"""API tokens: create, revoke, resolve. Operations flush; the caller commits once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
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
TOUCH_INTERVAL = timedelta(minutes=5)


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


def create_token(user: User, name: str | None) -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the row and the secret, which is never stored."""
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=_clean_name(name), token_hash=hash_token(secret), prefix=secret[:PREFIX_LENGTH])
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, now: datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or now_utc()
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


def resolve(secret: str) -> ApiToken | None:
    """The active token of an active user matching ``secret``, or None."""
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


def touch(token: ApiToken, *, separately: bool, now: datetime | None = None) -> None:
    """Record the token's use (at most every few minutes).

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
