"""Programme reports (issue 19): a district president reports each programme held in the district, with
photos and videos; the office and the in-charges read them by district, kind and period, and verify them
or ask a question back."""

from __future__ import annotations


def init_app(app):
    from tracker.core.nav import register_nav
    from tracker.i18n import _l
    from tracker.reports import home, models  # noqa: F401
    from tracker.reports.views import bp, link_bp

    app.register_blueprint(bp)
    app.register_blueprint(link_bp)
    register_nav("reports.index", _l("Programme reports"), "report.index", order=55)
    home.register()
