"""Red flags: a district that has gone quiet (no programme reported, circulars unanswered past their due date,
action items overdue) is flagged on the office's and the in-charges' home pages, in the morning digest, on the
campaign's progress page and on the district's own page; the flag clears itself when the district acts."""

from __future__ import annotations


def init_app(app):
    from tracker.core.nav import register_nav
    from tracker.flags import home, models  # noqa: F401
    from tracker.flags.history import register_fields
    from tracker.flags.views import bp
    from tracker.i18n import _l

    app.register_blueprint(bp)
    register_fields()
    register_nav("flags.index", _l("Red flags"), "flags.view", order=54)
    home.register()
