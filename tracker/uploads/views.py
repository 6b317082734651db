"""The one way a stored file leaves the app: by its random key, to a viewer the policy allows."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core.transaction import after_commit, always_commit, refusals_go_to
from tracker.extensions import db
from tracker.uploads import operations as ops
from tracker.uploads.models import PartialUpload, StoredFile
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


# --- files sent in pieces (static/js/reports.js; docs/api.md "Resumable uploads") -------------------
# Every answer is JSON. The pieces carry the CSRF token in the X-CSRFToken header like any other post.


def _partial_or_404(key: str) -> PartialUpload:
    """The user's own upload; another's answers the 404 of a missing one."""
    partial = db.session.scalar(sa.select(PartialUpload).where(PartialUpload.key == key)) if KEY.match(key) else None
    if partial is None:
        abort(404)
    policy.require(current_user, "partial_upload.use", partial, hidden=True)
    return partial


def _state(partial: PartialUpload, status: int = 200, **extra):
    response = jsonify(key=partial.key, offset=partial.received, size=partial.size,
                       finished=partial.is_finished, url=url_for("uploads.upload", key=partial.key), **extra)
    response.status_code = status
    response.headers["Upload-Offset"] = str(partial.received)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusal(exc):
    if isinstance(exc, ops.UploadOffsetMismatch):
        response = jsonify(error=exc.message, offset=exc.received)
        response.headers["Upload-Offset"] = str(exc.received)
        return response, 409
    return jsonify(error=exc.message), 422


@bp.route("/uploads", methods=["POST"])
@login_required
def start_upload():
    """Start sending a file in pieces: ``{"size": bytes, "name": "...", "client_key": "..."}``."""
    refusals_go_to(_refusal)
    body = request.get_json(silent=True) or {}
    size = body.get("size")
    partial = ops.start_upload(current_user, size if isinstance(size, int) and not isinstance(size, bool) else 0,
                               str(body.get("name") or ""), str(body.get("client_key") or ""))
    return _state(partial, 201)


@bp.route("/uploads/<key>", methods=["GET"])
@login_required
def upload(key: str):
    """How much of the file arrived (also as HEAD): where the phone goes on after a break."""
    return _state(_partial_or_404(key))


@bp.route("/uploads/<key>", methods=["PATCH"])
@login_required
def upload_piece(key: str):
    """One piece, at the offset in the ``Upload-Offset`` header (the bytes received so far); ``Upload-Resumed: 1``
    says the phone goes on after a break from the offset it asked for."""
    request.max_content_length = int(current_app.config["UPLOADS_PIECE_KB"]) * 1024
    partial = _partial_or_404(key)
    refusals_go_to(_refusal)
    offset = request.headers.get("Upload-Offset", "")
    if not offset.isdigit():
        return jsonify(error="Upload-Offset"), 400
    ops.append_piece(partial, int(offset), request.get_data(cache=False),
                     resumed=request.headers.get("Upload-Resumed") == "1")
    return _state(partial)


@bp.route("/uploads/<key>/finish", methods=["POST"])
@login_required
def finish_upload(key: str):
    """The whole file is checked and stored: ``{"file": key of the stored file}``; refused, nothing is stored and
    the upload is forgotten (the answer says why)."""
    partial = _partial_or_404(key)
    refusals_go_to(_refusal)
    try:
        stored = ops.finish_upload(partial, current_user)
    except ops.UploadOffsetMismatch:
        raise
    except ops.UploadRefused as refused:
        ops.discard_upload(partial)
        always_commit()
        return jsonify(error=refused.message), 422
    after_commit(lambda partial_key=partial.key: ops.remove_finished_bytes(partial_key))
    return _state(partial, file=stored.key)
