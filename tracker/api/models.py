"""Per-user API tokens. Only a SHA-256 hash of the secret is stored; the secret is shown once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.auth.models import User
from tracker.db import UTCDateTime
from tracker.extensions import db
from tracker.timeutil import now_utc


class ApiToken(Audited, db.Model):
    """A bearer token acting with exactly its user's rights until it expires or is revoked (by its user,
    or with all of the user's tokens when their password changes or their login is deactivated)."""

    __tablename__ = "api_tokens"
    # The hash is useless to an attacker but says nothing to a reader either; last use is noise.
    __audit_exclude__ = ("token_hash", "last_used_at", "created_at", "rate_window_at", "rate_count")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    # hex SHA-256 of the whole token; tokens carry 256 random bits, so no salt or slow hash is needed.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    # The token's first characters, shown in lists so that a user can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16), index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The rate limit's fixed window: the minute being counted and the requests made in it so far.
    rate_window_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rate_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"), nullable=False)

    user: Mapped[User] = relationship()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= now_utc()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}…>"
