"""Stored files (photos and videos of programme reports, files sent as answers to circulars) by their
unguessable key, to a token whose user may see the record that owns the file (``stored_file.view``, the same
rule as ``/files/<key>`` of the pages); any other key is "not found"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from flask.views import MethodView

from tracker import policy
from tracker.api.framework import api_user, error_responses, guard, resource_blueprint
from tracker.api.problems import ApiError
from tracker.extensions import db
from tracker.uploads.models import StoredFile
from tracker.uploads.operations import read_bytes
from tracker.uploads.stores import KEY

files = resource_blueprint("Files", "Photos and videos by their key, to whoever may see the record owning them.")

MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp", "video/mp4", "video/webm")


def _visible_or_404(key: str) -> StoredFile:
    stored = db.session.scalar(sa.select(StoredFile).where(StoredFile.key == key)) if KEY.match(key) else None
    if stored is None or not policy.can(api_user(), "stored_file.view", stored):
        raise ApiError(404)
    return stored


@files.route("/files/<string:key>")
class FileItem(MethodView):
    @guard(lambda key: _visible_or_404(key))
    @files.doc(responses={**error_responses(), "200": {
        "description": "The file's bytes, as stored (photos re-encoded, their metadata stripped).",
        "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES}}})
    def get(self, key):
        """A stored file's bytes."""
        stored = _visible_or_404(key)
        response = Response(read_bytes(stored), mimetype=stored.content_type)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response
