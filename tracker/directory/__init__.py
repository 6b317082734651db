"""Party directory: units, people, posts and terms."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.core.nav import register_nav
    from tracker.directory import models  # noqa: F401
    from tracker.directory.history import register_fields
    from tracker.directory.views import bp
    from tracker.i18n import _l

    app.register_blueprint(bp)
    register_fields()
    register_nav("directory.tree", _l("Directory"), "directory.view", order=20)
    # --- part B: search, import/export, the `tracker directory` CLI register themselves ---
    from tracker.directory import cli, io_views, search_views

    for part in (cli, io_views, search_views):
        part.init_app(app)
