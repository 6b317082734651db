from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit.operations import Audited
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, UTCDateTime, enum_column
from tracker.extensions import db
from tracker.i18n import _l


class Role(TitledEnum):
    ADMIN = "admin", _l("Administrator")
    OFFICE = "office", _l("Office staff")
    COORDINATOR = "coordinator", _l("Coordinator")
    INCHARGE = "incharge", _l("In-charge")
    PRESIDENT = "president", _l("District president")


# The roles that may have to sign in with a password (STAFF_PASSWORD_REQUIRED).
PASSWORD_ROLES = (Role.ADMIN, Role.OFFICE)
# A password hash that no password matches (a login that signs in by mobile number only).
UNUSABLE_PASSWORD_PREFIX = "!"


class User(Audited, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "users"
    __audit_exclude__ = ("created_at", "updated_at", "password_hash", "session_version", "last_login_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(256), nullable=False)
    role: Mapped[Role] = enum_column(Role, "user_role", nullable=False)
    # A user may be a person of the directory (a district president logs in as themselves).
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL"), index=True, unique=True
    )
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # The login's own contact, used when it is not linked to a person (the office's digest).
    email: Mapped[str | None] = mapped_column(sa.String(254))
    mobile: Mapped[str | None] = mapped_column(sa.String(20))
    is_active_flag: Mapped[bool] = mapped_column("is_active", sa.Boolean, default=True, nullable=False)
    # Bumped on logout and on password change: every other session of the user ends.
    session_version: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Extra rights beyond the role, space-separated (e.g. "reviews.read" lets office staff read review notes).
    grants: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)

    person = db.relationship("Person", foreign_keys=[person_id], lazy="joined")

    def set_password(self, password: str) -> None:
        # scrypt (werkzeug's current default, memory-hard); tests may configure a cheaper method.
        from flask import current_app, has_app_context

        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def set_unusable_password(self) -> None:
        """No password signs in: the login signs in by mobile number (a login made from posts)."""
        import secrets

        self.password_hash = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)

    @property
    def has_usable_password(self) -> bool:
        return not self.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)

    def check_password(self, password: str) -> bool:
        return self.has_usable_password and check_password_hash(self.password_hash, password)

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_flag

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        if self.person is not None:
            from tracker.i18n import localized

            return localized(self.person) or self.full_name or self.username
        return self.full_name or self.username

    def has_grant(self, grant: str) -> bool:
        return grant in self.grants.split()

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginThrottle(db.Model):
    """Recent sign-in failures of one key (an account's HMAC, a client address): see tracker.auth.throttle.
    Kept in the database, so that the throttle holds across workers."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    # No attempt of the key is checked before this instant (None: no wait).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The row is forgotten (and deleted) from this instant on.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


class SignInCode(db.Model):
    """A one-time code sent to a login's mobile number (tracker.auth.codes.request_sign_in_code).
    Only an HMAC of the code is kept; a code is used once, ends after ``SIGN_IN_CODE_MAX_TRIES`` wrong
    tries, and expires ``SIGN_IN_CODE_MINUTES`` after it was sent."""

    __tablename__ = "sign_in_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    tries: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    # Set when the code was used, or ended (too many wrong tries, a newer code).
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
