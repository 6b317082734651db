"""Circulars (निर्देश): instructions from the state office (or an in-charge) to districts, read,
acknowledged and answered by the district presidents, followed on the sender's status table."""

from __future__ import annotations


def init_app(app):
    from tracker.circulars import home, models  # noqa: F401
    from tracker.circulars.views import bp, link_bp
    from tracker.core.nav import register_nav
    from tracker.i18n import _l

    app.register_blueprint(bp)
    app.register_blueprint(link_bp)
    register_nav("circulars.index", _l("Circulars"), "circulars.list", order=55)
    register_nav("circulars.mine", _l("My circulars"), "circulars.mine", order=56)
    home.register()
