"""The record of a stored file. The bytes live in the store (tracker/uploads/stores.py) under ``key``."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import TimestampMixin, UTCDateTime
from tracker.extensions import db

IMAGE = "image"
VIDEO = "video"


def new_key() -> str:
    """A random key of 32 URL-safe characters (192 bits): the file's name in the store and in its URL."""
    return secrets.token_urlsafe(24)


class StoredFile(TimestampMixin, db.Model):
    """A file that passed the checks. ``owner_kind``/``owner_id`` name the record it belongs to (a programme
    report …); the policy asks that record who may see the file. A file with no owner yet is its uploader's."""

    __tablename__ = "stored_files"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('image', 'video')", name="kind"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False, default=new_key)
    kind: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    duration_seconds: Mapped[float | None] = mapped_column(sa.Float)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # from the photo's EXIF, before stripping
    original_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    owner_kind: Mapped[str | None] = mapped_column(sa.String(32))
    owner_id: Mapped[int | None] = mapped_column(sa.Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    __table_args__ = (*__table_args__, sa.Index("ix_stored_files_owner", "owner_kind", "owner_id"))

    @property
    def is_image(self) -> bool:
        return self.kind == IMAGE


class PartialUpload(TimestampMixin, db.Model):
    """A file being sent in pieces (a phone on a weak network): its bytes so far wait in a file of their own
    under ``instance/partial-uploads/`` named by ``key``; ``received`` is how many arrived. Finished, the whole
    file goes through the same checks and store as any upload and ``stored_file_id`` names the result.
    Only its uploader may continue, ask about or finish it."""

    __tablename__ = "partial_uploads"
    __table_args__ = (
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("received >= 0 AND received <= size", name="received_within_size"),
        sa.UniqueConstraint("user_id", "client_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False, default=new_key)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    client_key: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    received: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # The offset of the first piece that arrived after a break (0 when it came in one go): what resumed.
    resumed_from: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    stored_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))

    @property
    def is_finished(self) -> bool:
        return self.stored_file_id is not None
