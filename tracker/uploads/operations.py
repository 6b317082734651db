"""Storing uploaded files. Every function flushes and never commits.

A file is checked in full (tracker/uploads/checks.py) before anything is written: a refused file leaves
no record and no bytes in the store. The record is flushed first and the bytes put in the store after, so
a file whose record cannot be written is never stored either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy as sa

from tracker.extensions import db
from tracker.i18n import _
from tracker.uploads.checks import Checked, UploadRefused, check
from tracker.uploads.models import StoredFile
from tracker.uploads.stores import current_store

log = logging.getLogger(__name__)

__all__ = ["UploadRefused", "attach", "files_of", "keep", "read_bytes", "store_upload", "store_uploads"]


def store_upload(data: bytes, filename: str, user=None) -> StoredFile:
    """Check ``data`` and keep it (re-encoded when it is a photo); raises :class:`UploadRefused`."""
    return keep(check(data), filename, user)


def store_uploads(files: list[tuple[bytes, str]], user=None) -> list[StoredFile]:
    """Several files, all or none: every file is checked before the first is kept. A refusal names the file."""
    checked = []
    for data, filename in files:
        try:
            checked.append((check(data), filename))
        except UploadRefused as refused:
            raise UploadRefused(_("%(file)s: %(reason)s", file=filename or "?", reason=refused.message)) from None
    return [keep(one, filename, user) for one, filename in checked]


def keep(checked: Checked, filename: str, user=None) -> StoredFile:
    """Record a checked file and put its bytes in the store."""
    stored = StoredFile(
        kind=checked.kind, content_type=checked.content_type, size=len(checked.data),
        width=checked.width, height=checked.height, duration_seconds=checked.duration_seconds,
        taken_at=checked.taken_at, original_name=(filename or "")[-200:],
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    current_store().put(stored.key, checked.data, checked.content_type)
    log.info("file %s (%s, %d bytes) stored by %s", stored.key, stored.content_type, stored.size,
             getattr(user, "username", None))
    return stored


def attach(files: Iterable[StoredFile], owner_kind: str, owner_id: int) -> None:
    """Give files to the record that owns them (its rules decide who sees them from now on)."""
    for stored in files:
        stored.owner_kind = owner_kind
        stored.owner_id = owner_id
    db.session.flush()


def files_of(owner_kind: str, owner_ids: Iterable[int]) -> dict[int, list[StoredFile]]:
    """The files of several records of one kind, in the order they were stored (one query)."""
    ids = list(owner_ids)
    found: dict[int, list[StoredFile]] = {owner_id: [] for owner_id in ids}
    if not ids:
        return found
    query = (sa.select(StoredFile).where(StoredFile.owner_kind == owner_kind, StoredFile.owner_id.in_(ids))
             .order_by(StoredFile.id))
    for stored in db.session.scalars(query):
        found[stored.owner_id].append(stored)
    return found


def read_bytes(stored: StoredFile) -> bytes:
    return current_store().get(stored.key)
