"""The one way a stored file leaves the app: by its random key, to a viewer the policy allows."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort
from flask_login import current_user, login_required

from tracker import policy
from tracker.extensions import db
from tracker.uploads.models import StoredFile
from tracker.uploads.operations import read_bytes
from tracker.uploads.stores import KEY

bp = Blueprint("uploads", __name__, url_prefix="/files")


@bp.route("/<key>")
@login_required
def file(key: str):
    """The file, to whoever may see the record that owns it; anyone else gets the 404 of a missing file."""
    stored = db.session.scalar(sa.select(StoredFile).where(StoredFile.key == key)) if KEY.match(key) else None
    if stored is None:
        abort(404)
    policy.require(current_user, "stored_file.view", stored, hidden=True)
    response = Response(read_bytes(stored), mimetype=stored.content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
