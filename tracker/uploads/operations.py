"""Storing uploaded files. Every function flushes and never commits.

A file is checked in full (tracker/uploads/checks.py) before anything is written: a refused file leaves
no record and no bytes in the store. The record is flushed first and the bytes put in the store after, so
a file whose record cannot be written is never stored either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.i18n import _
from tracker.timeutil import now_utc
from tracker.uploads.checks import Checked, UploadRefused, check
from tracker.uploads.models import PartialUpload, StoredFile
from tracker.uploads.stores import KEY, current_store

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


# --- files sent in pieces (resumable uploads) -------------------------------------------------------
# A phone on a weak network sends a file in pieces: it starts an upload (size, name, its own key), sends the
# pieces at their offsets, asks how much arrived after a break and goes on from there, and finishes: the whole
# file then goes through check() and keep() like any other upload. The bytes so far wait in a file of their
# own under UPLOADS_PARTIAL_DIR (instance/partial-uploads/), outside the store; nothing reaches the store
# before the file is whole and checked.


class UploadOffsetMismatch(UploadRefused):
    """A piece sent at another offset than the bytes received so far (``received`` says where to go on)."""

    def __init__(self, message: str, received: int):
        super().__init__(message)
        self.received = received


def _partial_dir() -> Path:
    configured = current_app.config.get("UPLOADS_PARTIAL_DIR")
    return Path(configured or Path(current_app.instance_path) / "partial-uploads")


def _partial_path(partial: PartialUpload) -> Path:
    return _partial_dir() / KEY.match(partial.key).group(0)


def max_upload_bytes() -> int:
    cfg = current_app.config
    return max(int(cfg["UPLOADS_MAX_IMAGE_MB"]), int(cfg["UPLOADS_MAX_VIDEO_MB"])) * 1024 * 1024


def clean_stale_uploads(now: datetime | None = None) -> int:
    """Forget the uploads not touched for UPLOADS_PARTIAL_HOURS (their bytes so far too); how many."""
    now = now or now_utc()
    limit = now - timedelta(hours=int(current_app.config["UPLOADS_PARTIAL_HOURS"]))
    stale = list(db.session.scalars(sa.select(PartialUpload).where(PartialUpload.updated_at < limit)))
    for partial in stale:
        _partial_path(partial).unlink(missing_ok=True)
        db.session.delete(partial)
    db.session.flush()
    if stale:
        log.info("%d stale partial uploads removed", len(stale))
    return len(stale)


def start_upload(user, size: int, filename: str, client_key: str, now: datetime | None = None) -> PartialUpload:
    """A new upload of ``size`` bytes, or the user's upload already started under ``client_key`` (a phone that
    did not hear the first answer asks again)."""
    client_key = (client_key or "").strip()[:64]
    if not client_key:
        raise UploadRefused(_("The upload has no key."))
    clean_stale_uploads(now)
    earlier = db.session.scalar(sa.select(PartialUpload).where(PartialUpload.user_id == user.id,
                                                               PartialUpload.client_key == client_key))
    if earlier is not None:
        return earlier
    if not isinstance(size, int) or size <= 0:
        raise UploadRefused(_("The file is empty."))
    if size > max_upload_bytes():
        raise UploadRefused(_("The file is larger than %(mb)d MB.", mb=max_upload_bytes() // (1024 * 1024)))
    open_count = db.session.scalar(sa.select(sa.func.count()).select_from(PartialUpload).where(
        PartialUpload.user_id == user.id, PartialUpload.stored_file_id.is_(None)))
    if open_count >= int(current_app.config["UPLOADS_MAX_OPEN"]):
        raise UploadRefused(_("Too many files are being sent at once; try again later."))
    partial = PartialUpload(user_id=user.id, client_key=client_key, filename=(filename or "")[-200:], size=size,
                            received=0, resumed_from=0)
    db.session.add(partial)
    db.session.flush()
    path = _partial_path(partial)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    log.info("upload %s of %d bytes started by %s", partial.id, size, user.username)
    return partial


def append_piece(partial: PartialUpload, offset: int, piece: bytes, resumed: bool = False) -> int:
    """Add ``piece`` at ``offset`` (which must be the bytes received so far); the new count. ``resumed``: the
    phone goes on after a break, from the offset the server gave it (recorded and logged)."""
    if partial.is_finished:
        raise UploadOffsetMismatch(_("This file was already received."), partial.received)
    if offset != partial.received:
        raise UploadOffsetMismatch(_("This piece does not follow the bytes received so far."), partial.received)
    if offset + len(piece) > partial.size:
        raise UploadRefused(_("The file is larger than it was announced."))
    path = _partial_path(partial)
    if not path.exists() or path.stat().st_size < offset:
        raise UploadRefused(_("The bytes received so far are lost; send the file again."))
    with path.open("r+b") as out:  # a piece written before a failed commit is written over
        out.seek(offset)
        out.write(piece)
        out.truncate()
    if resumed and offset > 0 and not partial.resumed_from:
        partial.resumed_from = offset
        log.info("upload %s resumed from byte %d of %d", partial.id, offset, partial.size)
    partial.received = offset + len(piece)
    db.session.flush()
    return partial.received


def finish_upload(partial: PartialUpload, user) -> StoredFile:
    """The whole file, checked and stored (the same file when asked again). Refused, nothing is stored and the
    upload is forgotten (:func:`discard_upload`)."""
    if partial.is_finished:
        return db.session.get(StoredFile, partial.stored_file_id)
    if partial.received != partial.size:
        raise UploadOffsetMismatch(_("Not all of the file has arrived."), partial.received)
    path = _partial_path(partial)
    stored = keep(check(path.read_bytes()), partial.filename, user)
    partial.stored_file_id = stored.id
    db.session.flush()
    return stored


def discard_upload(partial: PartialUpload) -> None:
    _partial_path(partial).unlink(missing_ok=True)
    db.session.delete(partial)
    db.session.flush()


def remove_finished_bytes(partial_key: str) -> None:
    """After the commit that stored the file: its pieces are no longer needed."""
    if KEY.match(partial_key):
        (_partial_dir() / partial_key).unlink(missing_ok=True)


def finished_files(user, keys: Iterable[str]) -> list[StoredFile]:
    """The stored files of the user's finished uploads named by their keys, in the order given; refused when one
    is not theirs, not finished or already given to a record."""
    keys = [k for k in keys if k]
    if not keys:
        return []
    found = {f.key: f for f in db.session.scalars(sa.select(StoredFile).where(
        StoredFile.key.in_(keys), StoredFile.uploaded_by_id == user.id, StoredFile.owner_kind.is_(None)))}
    if len(found) != len(set(keys)):
        raise UploadRefused(_("A file sent earlier is no longer there; send it again."))
    return [found[k] for k in dict.fromkeys(keys)]
