"""Uploaded files: checked on the server (type by content, size, images re-encoded, videos by length),
kept in a store (``instance/uploads/`` or an S3-compatible object store) under an unguessable key, and
served only through a view that asks the policy about the record that owns the file."""

from __future__ import annotations


def init_app(app):
    from tracker.uploads import models  # noqa: F401
    from tracker.uploads.views import bp

    app.register_blueprint(bp)
